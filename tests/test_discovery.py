"""--dynamic: a few meta-tools; search, enable, describe and call reach the whole catalog safely."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import mcp_types as types
import pytest
from mcp import Client
from mcp.server import Server

from tests.conftest import CATALOG, running
from zoom_mcp.clock import FixedClock
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.tasks.tools import TASK_TOOLS

pytestmark = pytest.mark.anyio
META = {"list_toolsets", "search_tools", "enable_toolset", "describe_tool", "call_tool"}


@asynccontextmanager
async def dynamic(sandbox: Sandbox, clock: FixedClock, **flags: Any) -> AsyncIterator[Server]:
    """`zoom-mcp --sandbox --dynamic --toolsets all [flags]`."""
    async with running(sandbox, clock, dynamic=True, **flags) as app:
        yield app.server


def tokens(text: str) -> int:
    import bpe_openai

    return len(bpe_openai.get_encoding("o200k_base").encode(text))


async def test_dynamic_list_is_small_and_meta_only(sandbox: Sandbox, clock: FixedClock) -> None:
    async with dynamic(sandbox, clock) as server, Client(server) as client:
        listed = await client.list_tools()
        assert {t.name for t in listed.tools} == META
        assert "search_tools" in (client.instructions or "")
    wire = json.dumps([t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in listed.tools])
    assert tokens(wire) < 1500


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_enable_toolset_adds_typed_tools_and_notifies(sandbox: Sandbox, clock: FixedClock, mode: str) -> None:
    notices: list[str] = []

    async def on_message(message: Any) -> None:
        if isinstance(message, types.ServerNotification):
            notices.append(message.method)

    async with dynamic(sandbox, clock) as server, Client(server, mode=mode, message_handler=on_message) as client:
        sets = (await client.call_tool("list_toolsets", {})).structured_content["toolsets"]
        assert {row["toolset"] for row in sets} == set(CATALOG.toolsets)
        assert all(row["enabled"] is False for row in sets)
        enabled = await client.call_tool("enable_toolset", {"toolset": "recordings"})
        assert not enabled.is_error
        names = {t.name for t in (await client.list_tools()).tools}
        assert names == META | {op.name for op in CATALOG if op.toolset == "recordings"} | set(TASK_TOOLS)
        listed = await client.call_tool("list_user_recordings", {"userId": "me"})
        assert not listed.is_error and listed.structured_content["meetings"]
        bad = await client.call_tool("enable_toolset", {"toolset": "recordingz"})
        assert bad.is_error and "recordings" in bad.content[0].text
    if mode == "legacy":
        assert "notifications/tools/list_changed" in notices


async def test_task_tools_are_found_described_and_called_by_name(sandbox: Sandbox, clock: FixedClock) -> None:
    async with dynamic(sandbox, clock) as server, Client(server) as client:
        found = await client.call_tool("search_tools", {"query": "search what was said"})
        assert "search_recordings" in [row["name"] for row in found.structured_content["tools"]][:3]
        described = await client.call_tool("describe_tool", {"name": "read_meeting_transcript"})
        assert described.structured_content["input_schema"]["required"] == ["meeting_id"]
        bad = await client.call_tool("call_tool", {"name": "read_meeting_transcript", "arguments": {}})
        assert bad.is_error and "meeting_id: is required" in bad.content[0].text
        read = await client.call_tool(
            "call_tool", {"name": "read_meeting_transcript", "arguments": {"meeting_id": "4444AAAiAAAAAiAiAiiAii=="}}
        )
        assert not read.is_error and read.structured_content["turns"][0]["speaker"] == "Alex Rivera"


async def test_describe_and_call_go_through_the_same_checks(sandbox: Sandbox, clock: FixedClock) -> None:
    async with dynamic(sandbox, clock) as server, Client(server) as client:
        described = (await client.call_tool("describe_tool", {"name": "delete_meeting"})).structured_content
        assert described["safety"] == "destructive" and "confirmation_token" in described["input_schema"]["properties"]
        missing = await client.call_tool("call_tool", {"name": "get_meeting", "arguments": {}})
        assert missing.is_error and "meetingId: is required" in missing.content[0].text
        got = await client.call_tool("call_tool", {"name": "get_meeting", "arguments": {"meetingId": 85746065432}})
        assert not got.is_error and got.structured_content["topic"] == "Weekly design review"
        gated = await client.call_tool("call_tool", {"name": "delete_meeting", "arguments": {"meetingId": 85746065432}})
        assert gated.structured_content["status"] == "confirmation_required"
        assert sandbox.mutating_requests() == []
        token = gated.structured_content["confirmation_token"]
        done = await client.call_tool(
            "call_tool",
            {"name": "delete_meeting", "arguments": {"meetingId": 85746065432, "confirmation_token": token}},
        )
        assert not done.is_error and len(sandbox.mutating_requests()) == 1
        unknown = await client.call_tool("describe_tool", {"name": "nuke_meeting"})
        assert unknown.is_error and "search_tools" in unknown.content[0].text


async def test_policy_still_applies_in_dynamic_mode(sandbox: Sandbox, clock: FixedClock) -> None:
    async with dynamic(sandbox, clock, read_only=True) as server, Client(server) as client:
        found = (await client.call_tool("search_tools", {"query": "delete meeting"})).structured_content["tools"]
        assert all(row["safety"] == "read" for row in found)
        refused = await client.call_tool("call_tool", {"name": "delete_meeting", "arguments": {"meetingId": 1}})
        assert refused.is_error
    assert sandbox.requests == []


# Plain-language requests and the tool that should come up in the top 3 of search_tools.
SEARCHES = [
    ("list my cloud recordings", "list_user_recordings"),
    ("recordings of a meeting", "get_meeting_recordings"),
    ("delete recording", "delete_meeting_recordings"),
    ("delete one recording file", "delete_recording_file"),
    ("recover recordings from trash", "recover_meeting_recordings"),
    ("restore a deleted recording file", "recover_recording_file"),
    ("recording sharing settings", "get_recording_settings"),
    ("change who can download the recording", "update_recording_settings"),
    ("who viewed the recording", "get_recording_analytics_details"),
    ("recording view counts per day", "get_recording_analytics_summary"),
    ("approve recording registrant", "update_recording_registrant_status"),
    ("schedule a meeting", "create_meeting"),
    ("get meeting details", "get_meeting"),
    ("change the meeting time", "update_meeting"),
    ("cancel a meeting", "delete_meeting"),
    ("meeting invitation text", "get_meeting_invitation"),
    ("register someone for a meeting", "add_meeting_registrant"),
    ("register many people at once", "add_meeting_registrants_batch"),
    ("create a poll", "create_meeting_poll"),
    ("AI meeting summaries", "list_meeting_summaries"),
    ("save meeting as template", "create_meeting_template"),
    ("stop the recording of a live meeting", "control_live_meeting"),
    ("delete a chat message in a live meeting", "delete_live_meeting_chat_message"),
    ("livestream settings of a meeting", "get_meeting_livestream"),
    ("list devices", "list_devices"),
    ("rename a device", "update_device"),
    ("remove a device", "delete_device"),
    ("upgrade phone firmware", "upgrade_zpa_firmware"),
    ("list H.323 SIP devices", "list_h323_devices"),
    ("all archived files of the account", "list_archived_files"),
    ("archived files of one meeting", "get_meeting_archived_files"),
    ("invite links for attendees", "create_meeting_invite_links"),
    ("what meetings do I have this week", "list_upcoming_meetings"),
    ("upcoming meetings", "list_upcoming_meetings"),
    ("list a user's scheduled meetings", "list_user_meetings"),
    ("who attended the meeting", "list_past_meeting_participants"),
    ("past meeting details", "get_past_meeting"),
    ("meeting summary", "get_meeting_summary"),
    ("meeting transcript", "get_meeting_transcript"),
    ("end a meeting", "update_meeting_status"),
    ("meeting registrants", "list_meeting_registrants"),
    ("list webinars", "list_webinars"),
    ("schedule a webinar", "create_webinar"),
    ("webinar registrants", "list_webinar_registrants"),
    ("webinar panelists", "list_webinar_panelists"),
    ("participants report", "get_meeting_participants_report"),
    ("tracking fields", "list_tracking_fields"),
    ("sip phones", "list_sip_phones"),
    ("meeting templates", "list_meeting_templates"),
]


async def test_search_finds_the_right_tool_in_the_top_three(sandbox: Sandbox, clock: FixedClock) -> None:
    misses = []
    async with dynamic(sandbox, clock) as server, Client(server) as client:
        for query, expected in SEARCHES:
            found = await client.call_tool("search_tools", {"query": query, "limit": 3})
            top = [row["name"] for row in found.structured_content["tools"]]
            if expected not in top:
                misses.append((query, expected, top))
    assert len(SEARCHES) >= 30
    assert misses == []
