"""`--confirm human`: only a person's decision on the approval page, with their passkey, lets a
destructive call through.

These tests play the person with an HTTP client and a passkey in software (`tests/authenticator.py`;
the browser tests in test_approvals_browser.py use Chromium's virtual authenticator) and play a model
that tries everything else: re-calling, tokens, GETs, forged POSTs, other meetings. The attacks of an
agent that can also fetch URLs and read files are in test_approval_attacks.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx2
import mcp_types as types
import pytest
from mcp import Client
from mcp.server import Server

import zoom_mcp.sandbox.fixtures as s
from tests.authenticator import SoftAuthenticator, enrol
from tests.conftest import running
from zoom_mcp.client.store import MemoryStore
from zoom_mcp.clock import FixedClock
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.transport.approval_server import approval_server

pytestmark = pytest.mark.anyio
MEETING = {"meetingId": s.SCHEDULED_MEETING_ID}
OTHER = {"meetingId": s.RECURRING_MEETING_ID}


HUMAN_SANDBOX = ("--sandbox", "--confirm", "human")
PASSKEY = SoftAuthenticator()  # the person's passkey; every server below has it enrolled


@contextmanager
def enrolled_config(authenticator: SoftAuthenticator = PASSKEY) -> Iterator[dict[str, str]]:
    """A fresh config directory with the person's passkey enrolled for localhost, as the environment."""
    with tempfile.TemporaryDirectory() as config:
        enrol(Path(config), authenticator)
        yield {"ZOOM_MCP_CONFIG_DIR": config}


@asynccontextmanager
async def human(sandbox: Sandbox, clock: FixedClock, ttl: float = 300, **flags: Any) -> AsyncIterator[Server]:
    """The server as `zoom-mcp --sandbox --confirm human` runs it on stdio, with its approval page server."""
    flags.setdefault("confirm", "human")
    with enrolled_config() as env:
        async with running(sandbox, clock, {**env, "ZOOM_MCP_APPROVAL_TTL": str(ttl)}, **flags) as app:
            assert app.approvals is not None
            async with approval_server(app.approvals):
                yield app.server


def webauthn_options(page: str) -> dict[str, Any]:
    found = re.search(r"<script type=application/json id=webauthn>(.*?)</script>", page)
    return json.loads(found.group(1)) if found else {}


class Person:
    """What a person does in the browser: open the page, maybe type the name, click a button, give the
    passkey (the browser signs the page's challenge for the page's origin)."""

    def __init__(self, url: str, passkey: SoftAuthenticator | None = PASSKEY) -> None:
        self.url = url
        self.origin = re.match(r"https?://[^/]+", url).group(0)  # type: ignore[union-attr]
        self.passkey = passkey

    async def page(self) -> str:
        async with httpx2.AsyncClient() as browser:
            return (await browser.get(self.url)).text

    async def decide(self, decision: str, typed: str | None = None, **overrides: str) -> httpx2.Response:
        page = await self.page()
        csrf = re.search(r"name=csrf value='([^']+)'", page)
        target = re.search(r"<b id=target>([^<]+)</b>", page)
        form = {"csrf": csrf.group(1) if csrf else "", "decision": decision}
        if typed is not None or target:
            form["typed"] = typed if typed is not None else target.group(1)  # type: ignore[union-attr]
        options = webauthn_options(page).get("get")
        if decision == "approve" and self.passkey is not None and options:
            form["assertion"] = self.passkey.get(options, self.origin)
        form.update(overrides)
        async with httpx2.AsyncClient() as browser:
            return await browser.post(self.url, data=form, headers={"Origin": self.origin})


async def first_call(client: Client, arguments: dict[str, Any] = MEETING) -> tuple[types.CallToolResult, Person]:
    result = await client.call_tool("delete_meeting", arguments)
    assert not result.is_error, result.content[0].text
    data = result.structured_content
    assert data["status"] == "approval_required" and "You cannot approve it yourself" in result.content[0].text
    return result, Person(data["approval_url"])


async def test_nothing_runs_until_a_person_approves_then_exactly_once(sandbox: Sandbox, clock: FixedClock) -> None:
    async with human(sandbox, clock) as server, Client(server) as client:
        result, person = await first_call(client)
        assert "deletes meeting 85746065432 (Weekly design review" in result.content[0].text
        again = await client.call_tool("delete_meeting", MEETING)
        assert again.structured_content["status"] == "waiting_for_approval" and "STILL WAITING" in again.content[0].text
        assert sandbox.mutating_requests() == []

        page = await person.page()
        assert "DELETE /meetings/85746065432" in page and "Weekly design review" in page
        decided = await person.decide("approve")
        assert decided.status_code == 200 and "Approved" in decided.text

        ran = await client.call_tool("delete_meeting", MEETING)
        assert not ran.is_error and "answered HTTP 204" in ran.content[0].text
        assert [(r.method, r.operation) for r in sandbox.mutating_requests()] == [("DELETE", "delete_meeting")]
        # Spent: the same call again needs a new approval (and the meeting is gone anyway).
        after = await client.call_tool("delete_meeting", MEETING)
        assert len(sandbox.mutating_requests()) == 1 and after.structured_content["status"] == "approval_required"


async def test_the_model_cannot_approve_by_itself(sandbox: Sandbox, clock: FixedClock) -> None:
    async with human(sandbox, clock) as server, Client(server) as client:
        _, person = await first_call(client)
        # A token: not even in the schema under --confirm human.
        tool = next(t for t in (await client.list_tools()).tools if t.name == "delete_meeting")
        assert "confirmation_token" not in tool.input_schema["properties"]
        assert "You cannot approve it" in (tool.description or "")
        token = await client.call_tool("delete_meeting", {**MEETING, "confirmation_token": "x"})
        assert token.is_error
        # GETs of any URL never approve, however often.
        async with httpx2.AsyncClient() as bot:
            for url in (person.url, person.url + "?decision=approve", f"{person.url}/approve"):
                await bot.get(url)
            # A POST without the page's CSRF token, or from elsewhere, or with no Origin at all.
            no_csrf = await bot.post(
                person.url,
                data={"decision": "approve", "typed": "Weekly design review"},
                headers={"Origin": person.origin},
            )
            assert no_csrf.status_code == 403
            foreign = await bot.post(
                person.url, data={"decision": "approve"}, headers={"Origin": "https://evil.example"}
            )
            assert foreign.status_code == 403
            blind = await bot.post(person.url, data={"decision": "approve"})
            assert blind.status_code == 403
        wrong_name = await person.decide("approve", typed="weekly design review")
        assert wrong_name.status_code == 400 and "type exactly: Weekly design review" in wrong_name.text
        still = await client.call_tool("delete_meeting", MEETING)
        assert still.structured_content["status"] == "waiting_for_approval"
    assert sandbox.mutating_requests() == []


async def test_an_approval_for_one_meeting_does_not_run_another(sandbox: Sandbox, clock: FixedClock) -> None:
    async with human(sandbox, clock) as server, Client(server) as client:
        _, person = await first_call(client, MEETING)
        assert (await person.decide("approve")).status_code == 200
        other = await client.call_tool("delete_meeting", OTHER)
        assert other.structured_content["status"] == "approval_required"
        assert other.structured_content["approval_url"] != person.url
        assert sandbox.mutating_requests() == []
        ran = await client.call_tool("delete_meeting", MEETING)
        assert not ran.is_error
    assert [r.path_params["meetingId"] for r in sandbox.mutating_requests()] == [str(s.SCHEDULED_MEETING_ID)]


async def test_deny_and_expiry_send_nothing(sandbox: Sandbox, clock: FixedClock) -> None:
    async with human(sandbox, clock, ttl=60) as server, Client(server) as client:
        _, person = await first_call(client)
        assert "Denied" in (await person.decide("deny")).text
        denied = await client.call_tool("delete_meeting", MEETING)
        assert "denied it on the approval page" in denied.content[0].text
        _, late = await first_call(client, OTHER)
        clock.advance(61)
        expired = await client.call_tool("delete_meeting", OTHER)
        assert "did not approve it in time" in expired.content[0].text
        assert (await late.decide("approve")).status_code in (400, 404)  # too late to approve now
    assert sandbox.mutating_requests() == []


@pytest.mark.parametrize("mode", ["legacy", "auto"])  # protocol 2025-11-25 and 2026-07-28
@pytest.mark.parametrize("decision", ["approve", "deny"])
async def test_url_elicitation_client_completes_the_flow(
    sandbox: Sandbox, clock: FixedClock, mode: str, decision: str
) -> None:
    seen: list[str] = []

    async def open_in_browser(context: Any, params: Any) -> types.ElicitResult:
        assert isinstance(params, types.ElicitRequestURLParams), params
        seen.append(params.message)
        response = await Person(params.url).decide(decision)  # the person, in the page the client opened
        assert response.status_code == 200
        return types.ElicitResult(action="accept")

    async with (
        human(sandbox, clock) as server,
        Client(server, mode=mode, elicitation_callback=open_in_browser) as client,
    ):
        result = await client.call_tool("delete_meeting", MEETING)
    assert len(seen) == 1 and "Approve or deny in your browser" in seen[0]
    if decision == "approve":
        assert not result.is_error and "answered HTTP 204" in result.content[0].text
        assert [r.operation for r in sandbox.mutating_requests()] == ["delete_meeting"]
    else:
        assert "denied it on the approval page" in result.content[0].text and sandbox.mutating_requests() == []


async def test_declining_to_open_the_link_denies(sandbox: Sandbox, clock: FixedClock) -> None:
    async def decline(context: Any, params: Any) -> types.ElicitResult:
        return types.ElicitResult(action="decline")

    async with human(sandbox, clock) as server, Client(server, mode="legacy", elicitation_callback=decline) as client:
        result = await client.call_tool("delete_meeting", MEETING)
    assert "denied" in result.content[0].text and sandbox.mutating_requests() == []


async def test_every_step_is_audited_by_a_hash_of_the_approval_id(
    sandbox: Sandbox, clock: FixedClock, tmp_path: Path
) -> None:
    audit_log = str(tmp_path / "audit.jsonl")
    async with human(sandbox, clock, audit_log=audit_log) as server, Client(server) as client:
        _, person = await first_call(client)
        await person.decide("approve")
        await client.call_tool("delete_meeting", MEETING)
    text = (tmp_path / "audit.jsonl").read_text()
    entries = [json.loads(line) for line in text.splitlines()]
    events = [e["event"] for e in entries]
    for event in ("approval_created", "approval_viewed", "approval_approved", "accepted", "executed"):
        assert event in events, events
    approval_id = person.url.rsplit("/", 1)[1]
    assert approval_id not in text  # the log names the approval, it does not hold its address
    ref = hashlib.sha256(approval_id.encode()).hexdigest()[:16]
    assert {e.get("approval") for e in entries if e["event"].startswith("approval_")} == {ref}
    assert next(e for e in entries if e["event"] == "executed")["approval"] == ref
    assert next(e for e in entries if e["event"] == "approval_approved")["passkey"]  # which passkey approved
    assert "Weekly design review" not in text  # IDs only, no names


async def test_write_calls_need_approval_only_with_writes(sandbox: Sandbox, clock: FixedClock) -> None:
    arguments = {"meetingId": s.SCHEDULED_MEETING_ID, "topic": "Renamed"}
    async with human(sandbox, clock, confirm="human,writes") as server, Client(server) as client:
        gated = await client.call_tool("update_meeting", arguments)
    assert gated.structured_content["status"] == "approval_required" and sandbox.mutating_requests() == []
    async with human(sandbox, clock) as server, Client(server) as client:
        free = await client.call_tool("update_meeting", arguments)
    assert not free.is_error and len(sandbox.mutating_requests()) == 1


async def test_over_stdio_the_page_has_its_own_loopback_port() -> None:
    import sys

    from mcp import StdioServerParameters

    with enrolled_config() as env:
        params = StdioServerParameters(
            command=sys.executable, args=["-m", "zoom_mcp", "--sandbox", "--confirm", "human"], env=env
        )
        async with Client(params) as client:
            _, person = await first_call(client)
            assert person.origin.startswith("http://localhost:")  # a secure context and an RP ID: localhost
            assert (await person.decide("approve")).status_code == 200
            ran = await client.call_tool("delete_meeting", MEETING)
    assert not ran.is_error and "answered HTTP 204" in ran.content[0].text


async def test_over_http_the_page_is_on_the_servers_origin_and_only_it_skips_the_bearer() -> None:
    from mcp.client.streamable_http import streamable_http_client

    from tests.http_server import zoom_mcp_http

    token = "approval-test-token"
    with (
        enrolled_config() as env,
        zoom_mcp_http(*HUMAN_SANDBOX, env=env | {"ZOOM_MCP_AUTH_TOKEN": token}, token=token) as base,
    ):
        async with (
            httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as http,
            Client(streamable_http_client(f"{base}/mcp", http_client=http)) as client,
        ):
            _, person = await first_call(client)
            assert person.origin == base.replace("127.0.0.1", "localhost")  # links never use the bind address
            assert (await person.decide("approve")).status_code == 200  # a browser: no bearer token
            ran = await client.call_tool("delete_meeting", MEETING)
        assert not ran.is_error
        async with httpx2.AsyncClient() as anonymous:
            assert (await anonymous.post(f"{base}/mcp", json={})).status_code == 401  # everything else keeps it
            assert (await anonymous.get(f"{base}/approvals/not-a-real-id")).status_code == 404


async def test_long_expired_approvals_are_forgotten(sandbox: Sandbox, clock: FixedClock) -> None:
    with enrolled_config() as config:
        env = {**config, "ZOOM_MCP_APPROVAL_TTL": "60"}
        async with running(sandbox, clock, env, confirm="human") as app, Client(app.server) as client:
            approvals = app.approvals
            assert approvals is not None
            old = (await client.call_tool("delete_meeting", MEETING)).structured_content["approval_url"]
            clock.advance(500)
            await client.call_tool("delete_meeting", OTHER)
            assert await approvals.get(old.rsplit("/", 1)[1]) is None
            store = approvals.store
            assert isinstance(store, MemoryStore)
            assert len(store) == 2  # the new approval's record and its call's index: the old one's are gone


def test_zoom_mcp_call_on_a_terminal_prints_the_page_and_waits_for_the_decision() -> None:
    import subprocess
    import sys

    import anyio

    primary, secondary = os.openpty()  # a terminal on stdin, as when a person runs the command
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("ZOOM_")}
    with enrolled_config() as env:
        proc = subprocess.Popen(
            [sys.executable, "-m", "zoom_mcp", "call", "delete_meeting", json.dumps(MEETING), *HUMAN_SANDBOX],
            stdin=secondary,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**base_env, **env},
        )
        os.close(secondary)
        try:
            assert proc.stderr is not None
            url = ""
            for _ in range(20):
                line = proc.stderr.readline()
                if "/approvals/" in line and line.startswith("http"):
                    url = line.strip()
                    break
            assert url.startswith("http://localhost:"), "no approval page printed"
            decided = anyio.run(Person(url).decide, "approve")
            assert decided.status_code == 200
            out, _ = proc.communicate(timeout=60)
        finally:
            os.close(primary)
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0 and "answered HTTP 204" in out
