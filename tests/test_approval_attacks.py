"""The agent as an attacker: it can call tools, fetch any URL with any headers (curl), and read files,
but it does not hold the person's passkey. Each test is one attack from issue 15 (or from the threat
model) and asserts that nothing reaches Zoom.

The person is `Person` with their passkey (tests/authenticator.py); the attacker is `Agent`, which
does what `curl` would: scrape the page for the CSRF token and the name to type, forge `Origin` and
`Host`, replay, race, read the audit log and the server's stderr. The last test shows the limit the
README's threat model states: a program that can write the config directory as the same user can
enrol its own passkey, which no local mechanism prevents.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import httpx2
import mcp_types as types
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

import zoom_mcp.sandbox.fixtures as s
from tests.authenticator import SoftAuthenticator, enrol
from tests.conftest import running
from tests.http_server import zoom_mcp_http
from tests.test_approvals import MEETING, OTHER, PASSKEY, enrolled_config, first_call, human
from zoom_mcp.clock import FixedClock
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.transport.approval_server import approval_server

pytestmark = pytest.mark.anyio
BASE_ENV = {k: v for k, v in os.environ.items() if not k.startswith("ZOOM_")}


class Agent:
    """curl with a scraper: everything on the page, every header it likes, no passkey of the person's."""

    def __init__(self, url: str, passkey: SoftAuthenticator | None = None) -> None:
        self.url = url
        self.origin = re.match(r"https?://[^/]+", url).group(0)  # type: ignore[union-attr]
        self.passkey = passkey  # one the agent made itself, never enrolled

    async def approve(self, headers: dict[str, str] | None = None, **extra: str) -> httpx2.Response:
        """Scrape the page and post the approval exactly as the page would, from the page's own origin."""
        async with httpx2.AsyncClient(headers=headers) as http:
            page = (await http.get(self.url)).text
            csrf = re.search(r"name=csrf value='([^']+)'", page)
            target = re.search(r"<b id=target>([^<]+)</b>", page)
            form = {"csrf": csrf.group(1) if csrf else "", "decision": "approve"}
            if target:
                form["typed"] = target.group(1)
            options = re.search(r"<script type=application/json id=webauthn>(.*?)</script>", page)
            if self.passkey is not None and options:
                form["assertion"] = self.passkey.get(json.loads(options.group(1))["get"], self.origin)
            form.update(extra)
            return await http.post(self.url, data=form, headers={"Origin": self.origin, **(headers or {})})


def approved(response: httpx2.Response) -> bool:
    return response.status_code == 200 and "Approved" in response.text


# 1. The tool result gives the URL; the page gives the CSRF token and the name; a POST with the page's
#    own Origin approved, and the re-call ran. Now the page also asks for a passkey the agent has not.


async def test_scraping_the_page_and_posting_from_its_origin_approves_nothing(
    sandbox: Sandbox, clock: FixedClock
) -> None:
    async with human(sandbox, clock) as server, Client(server) as client:
        _, person = await first_call(client)
        agent = Agent(person.url)
        assert not approved(await agent.approve())
        assert not approved(await agent.approve(assertion="{}"))  # a made-up assertion
        with_own_key = Agent(person.url, SoftAuthenticator())  # a passkey the agent made: never enrolled
        assert not approved(await with_own_key.approve())
        again = await client.call_tool("delete_meeting", MEETING)
        assert again.structured_content["status"] == "waiting_for_approval"
    assert sandbox.mutating_requests() == []


async def test_over_http_a_client_without_the_bearer_token_approves_nothing() -> None:
    token = "attack-test-token"
    with (
        enrolled_config() as env,
        zoom_mcp_http("--sandbox", "--confirm", "human", env=env | {"ZOOM_MCP_AUTH_TOKEN": token}, token=token) as base,
    ):
        async with (
            httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as http,
            Client(streamable_http_client(f"{base}/mcp", http_client=http)) as client,
        ):
            _, person = await first_call(client)
            assert not approved(await Agent(person.url).approve())  # no bearer token, no passkey
            async with httpx2.AsyncClient() as anonymous:  # and no way around the token to /mcp itself
                assert (await anonymous.post(f"{base}/mcp", json={})).status_code == 401
            again = await client.call_tool("delete_meeting", MEETING)
            assert again.structured_content["status"] == "waiting_for_approval"
            meeting = await client.call_tool("get_meeting", MEETING)
    assert not meeting.is_error and "Weekly design review" in meeting.content[0].text  # still there


# 2. The audit log stored the approval ID and the stdio server printed the page origin on stderr, so an
#    agent that reads files rebuilt the URL even under URL elicitation, where it never sees it.


async def test_the_audit_log_and_stderr_hold_no_capability(tmp_path: Path) -> None:
    from mcp import StdioServerParameters
    from mcp.client.stdio import stdio_client

    audit = tmp_path / "audit.jsonl"
    stderr_path = tmp_path / "stderr.txt"
    rebuilt: list[str] = []
    shown: list[str] = []

    async def client_opens_the_page(context: Any, params: Any) -> types.ElicitResult:
        # The URL goes to the person's browser; the agent sees only the files it can read.
        assert isinstance(params, types.ElicitRequestURLParams)
        shown.append(params.url)
        files = audit.read_text() + stderr_path.read_text()
        approval_id = params.url.rsplit("/", 1)[1]
        for found in re.findall(r'"approval_id":"([^"]+)"', files):
            for origin in re.findall(r"https?://(?:127\.0\.0\.1|localhost):\d+", files):
                rebuilt.append(f"{origin}/approvals/{found}")
        decisions = [await Agent(url).approve() for url in rebuilt]
        assert approval_id not in files  # what the agent could read names no approval it could open
        return types.ElicitResult(action="accept" if any(map(approved, decisions)) else "decline")

    with enrolled_config() as env, stderr_path.open("w") as errlog:
        params = StdioServerParameters(
            command=sys.executable,
            args=["-m", "zoom_mcp", "--sandbox", "--confirm", "human", "--audit-log", str(audit)],
            env={**BASE_ENV, **env, "ZOOM_MCP_LOG_LEVEL": "INFO"},
        )
        transport = stdio_client(params, errlog=errlog)
        async with Client(transport, mode="legacy", elicitation_callback=client_opens_the_page) as c:
            result = await c.call_tool("delete_meeting", MEETING)
    assert shown and rebuilt == []
    assert "answered HTTP 204" not in result.content[0].text and "denied" in result.content[0].text


# 3. The stdio approval server had no Host/Origin allow-list: DNS rebinding (Host and Origin both
#    evil.example:PORT, the page reached through a name the attacker controls) approved.


async def test_dns_rebinding_to_the_stdio_approval_server_gets_403(sandbox: Sandbox, clock: FixedClock) -> None:
    async with human(sandbox, clock) as server, Client(server) as client:
        _, person = await first_call(client)
        port = person.url.split(":")[2].split("/")[0]
        rebound = {"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"}
        assert not approved(await Agent(person.url).approve(headers=rebound))
        async with httpx2.AsyncClient(headers=rebound) as http:
            assert (await http.get(person.url)).status_code == 403
            assert (await http.post(person.url, data={"decision": "approve"})).status_code == 403
        again = await client.call_tool("delete_meeting", MEETING)
        assert again.structured_content["status"] == "waiting_for_approval"
    assert sandbox.mutating_requests() == []


# 4. The HTTP Host check took any name starting with "127." (fixed before this branch; kept as a guard).


async def test_a_host_that_only_starts_with_127_is_not_loopback() -> None:
    with enrolled_config() as env, zoom_mcp_http("--sandbox", "--confirm", "human", env=env) as base:
        async with httpx2.AsyncClient() as http:
            for host in ("127.0.0.1.evil.example", "127.evil.example:8000", "localhost.evil.example"):
                response = await http.post(f"{base}/mcp", json={}, headers={"Host": host})
                assert response.status_code == 403, host


# 5. An approved approval never expired until used: approve, wait past the lifetime, re-call: it ran.


async def test_an_approved_call_not_made_in_time_expires(sandbox: Sandbox, clock: FixedClock) -> None:
    async with human(sandbox, clock, ttl=60) as server, Client(server) as client:
        _, person = await first_call(client)
        assert approved(await person.decide("approve"))  # the person approved, the agent waits
        clock.advance(61)
        late = await client.call_tool("delete_meeting", MEETING)
        assert "did not approve it in time" in late.content[0].text
    assert sandbox.mutating_requests() == []


# 6. An oversized chunked body got 500 (the 413 came after Starlette's error middleware had answered).


def test_an_oversized_chunked_body_gets_413() -> None:
    with zoom_mcp_http("--sandbox", "--max-body-bytes", "1000") as base:
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            head = (
                f"POST /mcp HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
                "Accept: application/json, text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            chunks = b"".join(b"%x\r\n%s\r\n" % (500, b"x" * 500) for _ in range(6)) + b"0\r\n\r\n"
            sock.sendall(head.encode() + chunks)
            answer = sock.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 413"), answer.splitlines()[0]


# 7. `zoom-mcp call` without a terminal: the token it printed ran twice in two processes (ZOOM_MCP_SECRET
#    shared); without a secret the token was useless, under --confirm human the URL died with it.


def _call(arguments: dict[str, Any], env: dict[str, str], *flags: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "zoom_mcp", "call", "delete_meeting", json.dumps(arguments), "--sandbox", *flags]
    return subprocess.run(
        command, stdin=subprocess.DEVNULL, capture_output=True, text=True, env={**BASE_ENV, **env}, timeout=60
    )


def test_zoom_mcp_call_without_a_terminal_stops_and_a_token_runs_once_across_processes(tmp_path: Path) -> None:
    env = {"ZOOM_MCP_SECRET": "shared-between-processes", "ZOOM_MCP_CONFIG_DIR": str(tmp_path)}
    first = _call(MEETING, env)
    assert first.returncode == 3 and "Nothing was sent to Zoom" in first.stderr and "in a terminal" in first.stderr
    token = re.search(r'"confirmation_token": "([^"]+)"', first.stderr + first.stdout).group(1)  # type: ignore[union-attr]
    runs = [_call({**MEETING, "confirmation_token": token}, env) for _ in range(2)]  # two processes, one token
    assert ["answered HTTP 204" in r.stdout for r in runs] == [True, False]
    assert "already used" in runs[1].stdout
    assert (tmp_path / "used-tokens.sqlite3").stat().st_mode & 0o077 == 0  # owner-only


def test_zoom_mcp_call_under_confirm_human_without_a_terminal_says_how() -> None:
    with enrolled_config() as env:
        stopped = _call(MEETING, env, "--confirm", "human")
    assert stopped.returncode == 3 and "in a terminal" in stopped.stderr and "passkey" in stopped.stderr
    assert "/approvals/" not in stopped.stderr + stopped.stdout  # no page that dies with the process


# Beyond the list: replay, race, other arguments, a second passkey.


async def test_a_captured_assertion_replays_nowhere(sandbox: Sandbox, clock: FixedClock) -> None:
    """Even an agent that saw the person's assertion for one call (say, a browser extension) cannot
    use it for another call, nor twice: the challenge is the approval's, derived from its call."""
    async with human(sandbox, clock) as server, Client(server) as client:
        _, first = await first_call(client, MEETING)
        _, other = await first_call(client, OTHER)
        page = await first.page()
        options = json.loads(re.search(r"id=webauthn>(.*?)</script>", page).group(1))["get"]  # type: ignore[union-attr]
        captured = PASSKEY.get(options, first.origin)  # signed for the first approval's challenge
        assert not approved(await Agent(other.url).approve(assertion=captured))  # moved to another call
        assert approved(await Agent(first.url).approve(assertion=captured))  # where it belongs (the person)
        assert not approved(await Agent(first.url).approve(assertion=captured))  # and only once
        assert (await client.call_tool("delete_meeting", OTHER)).structured_content["status"] == "waiting_for_approval"
        ran = await client.call_tool("delete_meeting", MEETING)
        assert not ran.is_error
    assert [r.path_params["meetingId"] for r in sandbox.mutating_requests()] == [str(s.SCHEDULED_MEETING_ID)]


async def test_racing_re_calls_after_one_approval_run_once(sandbox: Sandbox, clock: FixedClock) -> None:
    async with human(sandbox, clock) as server, Client(server) as client:
        _, person = await first_call(client)
        assert approved(await person.decide("approve"))
        results: list[types.CallToolResult] = []

        async def call() -> None:
            results.append(await client.call_tool("delete_meeting", MEETING))

        async with anyio.create_task_group() as group:
            for _ in range(5):
                group.start_soon(call)
    assert len(results) == 5 and len(sandbox.mutating_requests()) == 1


async def test_an_approval_does_not_run_other_arguments(sandbox: Sandbox, clock: FixedClock) -> None:
    arguments = {"meetingId": s.SCHEDULED_MEETING_ID, "topic": "Renamed"}
    async with human(sandbox, clock, confirm="human,writes") as server, Client(server) as client:
        _, person = await first_call(client)
        assert approved(await person.decide("approve"))
        for changed in ({**MEETING, "schedule_for_reminder": True}, OTHER, {"meetingId": str(s.SCHEDULED_MEETING_ID)}):
            result = await client.call_tool("delete_meeting", changed)
            assert result.is_error or result.structured_content["status"] == "approval_required", changed
        updated = await client.call_tool("update_meeting", arguments)
        assert updated.structured_content["status"] == "approval_required"
    assert sandbox.mutating_requests() == []


async def test_the_limit_a_program_that_can_write_the_config_dir_enrols_its_own_passkey(
    sandbox: Sandbox, clock: FixedClock, tmp_path: Path
) -> None:
    """What the threat model says no local mechanism stops: a program running as the same user that
    can write ~/.config/zoom-mcp adds its own public key, and then approves. Run the agent as another
    user, in a sandbox without that directory, or use a deployed server (README, threat model)."""
    enrol(tmp_path, PASSKEY)
    env = {"ZOOM_MCP_CONFIG_DIR": str(tmp_path)}
    async with running(sandbox, clock, env, confirm="human") as app, Client(app.server) as client:
        assert app.approvals is not None
        async with approval_server(app.approvals):
            _, person = await first_call(client)
            own = SoftAuthenticator()
            enrol(tmp_path, own)  # what writing passkeys.json amounts to
            assert approved(await Agent(person.url, own).approve())
            await client.call_tool("delete_meeting", MEETING)
    assert len(sandbox.mutating_requests()) == 1
