"""Under `--auth oauth` what is one person's stays theirs: their transcript index, their confirmation tokens,
their approvals (which also need their browser session, besides the passkey), their one Zoom grant shared by
all their MCP clients and refreshed once however many of them call at the same time."""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import anyio
import pytest
from mcp.shared.auth import AuthorizationCodeResult

import zoom_mcp.sandbox.fixtures as s
from tests.authenticator import SoftAuthenticator, enrol
from tests.oauth_harness import Browser, MemoryTokens, code_of, connected, sdk_provider, serving
from tests.test_approvals import webauthn_options
from zoom_mcp.clock import FixedClock
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.sandbox.fixtures.people import OWNER_ID, SAM_ID

pytestmark = pytest.mark.anyio
H323 = {"deviceId": s.H323_DEVICE_ID}
MEETING = {"meetingId": s.SCHEDULED_MEETING_ID}


async def test_each_person_has_their_own_transcript_index(sandbox: Sandbox, clock: FixedClock, tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite3"
    async with serving(sandbox, clock, index=str(index)) as served:
        alex, sam = Browser(), Browser()
        async with (
            connected(served, sdk_provider(served, alex, OWNER_ID)) as as_alex,
            connected(served, sdk_provider(served, sam, SAM_ID)) as as_sam,
        ):
            found = await as_alex.call_tool("search_recordings", {"query": "budget"})
            assert not found.is_error and (found.structured_content or {})["hits"]
            theirs = await as_sam.call_tool("search_recordings", {"query": "budget"})
            assert not theirs.is_error and not (theirs.structured_content or {})["hits"]
            # Sam cannot read Alex's meeting through the index either: Zoom says it is not Sam's to see.
            read = await as_sam.call_tool("read_meeting_transcript", {"meeting_id": s.BUDGET_UUID})
            assert read.is_error
        tasks = served.app.tasks
        budget_files = {f["id"] for f in sandbox.state.recordings[s.BUDGET_UUID]["recording_files"]}
        assert any(tasks.index_for(OWNER_ID).has_file(f) for f in budget_files)
        assert not any(tasks.index_for(SAM_ID).has_file(f) for f in budget_files)
        await alex.aclose()
        await sam.aclose()
    files = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("index.sqlite3."))
    assert len(files) == 2 and not index.exists()  # one file per person, none shared
    assert all((tmp_path / f).stat().st_mode & 0o077 == 0 for f in files)


@pytest.mark.parametrize("stateless", [False, True], ids=["sessions", "stateless"])
async def test_a_confirmation_token_is_its_persons_only(sandbox: Sandbox, clock: FixedClock, stateless: bool) -> None:
    flags = {"stateless": True} if stateless else {}
    async with serving(sandbox, clock, **flags) as served:
        alex, sam = Browser(), Browser()
        async with (
            connected(served, sdk_provider(served, alex, OWNER_ID), mode="legacy") as as_alex,
            connected(served, sdk_provider(served, sam, SAM_ID), mode="legacy") as as_sam,
        ):
            preview = await as_alex.call_tool("delete_meeting", MEETING)
            token = (preview.structured_content or {})["confirmation_token"]
            stolen = await as_sam.call_tool("delete_meeting", {**MEETING, "confirmation_token": token})
            assert stolen.is_error and "another client" in stolen.content[0].text
            assert sandbox.mutating_requests() == []
            used = await as_alex.call_tool("delete_meeting", {**MEETING, "confirmation_token": token})
            assert not used.is_error, used.content
        await alex.aclose()
        await sam.aclose()


async def test_one_zoom_grant_per_person_across_their_clients(sandbox: Sandbox, clock: FixedClock) -> None:
    async with serving(sandbox, clock) as served:
        browser = Browser()  # one person, one browser, two MCP clients (say a desktop app and an editor)
        first = sdk_provider(served, browser, OWNER_ID)
        async with connected(served, first) as desktop:
            assert not (await desktop.call_tool("list_user_meetings", {"userId": "me"})).is_error
            authorizations = sandbox.app.user_oauth.authorizations
            assert authorizations == 1
            # The second client: the browser is signed in, so the consent page offers Allow, without Zoom.
            landed: list[str] = []

            async def allow(url: str) -> None:
                landed.append(await browser.sign_in(url, OWNER_ID, choice="allow"))

            second = sdk_provider(served, browser, OWNER_ID, storage=MemoryTokens())
            second.context.redirect_handler = allow
            second.context.callback_handler = _callback(landed)
            async with connected(served, second) as editor:
                assert sandbox.app.user_oauth.authorizations == 1  # no second Zoom grant, none revoked
                sandbox.expire_tokens()  # Zoom's access token dies: both clients call at once
                sandbox.reset_log()

                async def call(client: object) -> None:
                    answer = await client.call_tool("list_user_meetings", {"userId": "me"})  # type: ignore[attr-defined]
                    assert not answer.is_error, answer.content

                async with anyio.create_task_group() as group:
                    for _ in range(4):
                        group.start_soon(call, desktop)
                        group.start_soon(call, editor)
                assert sandbox.token_requests == 1  # one refresh for the person, single-flight
        await browser.aclose()


def _callback(landed: list[str]) -> Callable[[], Awaitable[AuthorizationCodeResult]]:
    async def wait() -> AuthorizationCodeResult:
        return code_of(landed.pop())

    return wait


async def test_approvals_need_the_persons_browser_session_and_stay_theirs(
    sandbox: Sandbox, clock: FixedClock, tmp_path: Path
) -> None:
    passkey = SoftAuthenticator()
    config = tmp_path / "config"
    enrol(config, passkey)
    env = {"ZOOM_MCP_CONFIG_DIR": str(config)}
    async with serving(sandbox, clock, env, confirm="human") as served:
        alex, sam = Browser(), Browser()
        async with (
            connected(served, sdk_provider(served, alex, OWNER_ID), mode="legacy") as as_alex,
            connected(served, sdk_provider(served, sam, SAM_ID), mode="legacy") as as_sam,
        ):
            first = await as_alex.call_tool("delete_meeting", MEETING)
            url = (first.structured_content or {})["approval_url"]
            theirs = await as_sam.call_tool("delete_meeting", MEETING)  # the same call, by another person
            sam_url = (theirs.structured_content or {})["approval_url"]
            assert url.startswith(served.base + "/approvals/") and sam_url != url

            async def decide(browser: Browser, with_passkey: bool = True) -> int:
                page = await browser.get(url)
                csrf = re.search(r"name=csrf value='([^']+)'", page.text)
                options = webauthn_options(page.text).get("get")
                target = re.search(r"<b id=target>([^<]+)</b>", page.text)
                form = {"csrf": csrf.group(1) if csrf else "", "decision": "approve"}
                form["typed"] = html.unescape(target.group(1)) if target else ""
                if with_passkey and options:
                    form["assertion"] = passkey.get(options, served.base)
                answer = await browser.request("POST", url, data=form, headers={"Origin": served.base})
                return answer.status_code

            # No browser session (an agent with the URL, the passkey's assertion and all): refused.
            stranger = Browser()
            page = await stranger.get(url)
            assert "sign-in" in page.text.lower() and "name=csrf" not in page.text
            assert await decide(stranger) == 403
            # Another person's session, even with a valid passkey assertion: refused.
            assert await decide(sam) == 403
            # The person's own session without the passkey: refused.
            assert await decide(alex, with_passkey=False) == 403
            assert await decide(alex) == 200
            # Alex's approval releases Alex's call, not Sam's identical one.
            still = await as_sam.call_tool("delete_meeting", MEETING)
            assert (still.structured_content or {})["status"] == "waiting_for_approval"
            ran = await as_alex.call_tool("delete_meeting", MEETING)
            assert not ran.is_error and "204" in ran.content[0].text
            await stranger.aclose()
        await alex.aclose()
        await sam.aclose()
