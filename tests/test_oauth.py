"""`--auth oauth` end to end on the sandbox: the SDK's own OAuth client discovers the server from its 401,
registers, sends the person through our consent page and the sandbox's Zoom sign-in, and calls tools as
that person; two people with different Zoom scopes see different tools and their own data."""

from __future__ import annotations

import json

import pytest

from tests.oauth_harness import Browser, connected, sdk_provider, serving
from zoom_mcp.clock import FixedClock
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.sandbox.fixtures.account import BUDGET_UUID, CUSTOMER_UUID
from zoom_mcp.sandbox.fixtures.people import OWNER_EMAIL, OWNER_ID, SAM_ID

pytestmark = pytest.mark.anyio


async def test_dcr_sign_in_then_tools_as_the_person(sandbox: Sandbox, clock: FixedClock) -> None:
    async with serving(sandbox, clock, hide_unauthorized=True) as served:
        alex, sam = Browser(), Browser()
        async with (
            connected(served, sdk_provider(served, alex, OWNER_ID)) as as_alex,
            connected(served, sdk_provider(served, sam, SAM_ID)) as as_sam,
        ):
            alex_tools = {t.name for t in (await as_alex.list_tools()).tools}
            sam_tools = {t.name for t in (await as_sam.list_tools()).tools}
            assert "delete_meeting_recordings" in alex_tools and "list_webinars" in alex_tools
            assert "delete_meeting_recordings" not in sam_tools and "list_webinars" not in sam_tools
            assert "list_user_recordings" in sam_tools and sam_tools < alex_tools

            mine = await as_sam.call_tool("list_user_recordings", {"userId": "me", "from": "2026-06-01"})
            hosts = {m["host_id"] for m in (mine.structured_content or {})["meetings"]}
            uuids = {m["uuid"] for m in (mine.structured_content or {})["meetings"]}
            assert hosts == {SAM_ID} and CUSTOMER_UUID in uuids and BUDGET_UUID not in uuids
            theirs = await as_alex.call_tool("list_user_recordings", {"userId": "me", "from": "2026-06-01"})
            assert BUDGET_UUID in {m["uuid"] for m in (theirs.structured_content or {})["meetings"]}

            refused = await as_sam.call_tool("delete_meeting_recordings", {"meetingId": CUSTOMER_UUID})
            assert refused.is_error and "cloud_recording:delete:meeting_recording," in refused.content[0].text  # named
            assert not [r for r in sandbox.mutating_requests() if r.operation == "delete_meeting_recordings"]
        await alex.aclose()
        await sam.aclose()


async def test_the_audit_log_names_the_person(sandbox: Sandbox, clock: FixedClock, tmp_path) -> None:
    log = tmp_path / "audit.jsonl"
    async with serving(sandbox, clock, audit_log=str(log)) as served:
        alex = Browser()
        async with connected(served, sdk_provider(served, alex, OWNER_ID)) as client:
            answer = await client.call_tool("create_meeting", {"userId": "me", "topic": "Planning", "dry_run": True})
            assert not answer.is_error
        await alex.aclose()
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert entries and all(e["person"] == OWNER_ID and e["email"] == OWNER_EMAIL for e in entries)
