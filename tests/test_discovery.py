"""--dynamic: a few meta-tools; search, enable, describe and call reach the whole catalog safely, and the
search ranks the right tool first on tasks it was not tuned on (tests/data/discovery_tasks.yaml)."""

from __future__ import annotations

import json
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import mcp_types as types
import pytest
from mcp import Client
from mcp.server import Server

from tests.conftest import CATALOG, running
from tests.discovery_eval import SPLITS, expected_splits, load_tasks, score
from zoom_mcp.clock import FixedClock
from zoom_mcp.inventory import Inventory, Selection
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.server.tool_search import PLAIN, ToolIndex
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


async def test_dynamic_alone_searches_every_toolset_and_enables_a_hit_in_one_step(
    sandbox: Sandbox, clock: FixedClock
) -> None:
    """`--dynamic` without `--toolsets`: webinars are found although they are not in the default profile."""
    async with dynamic(sandbox, clock, toolsets=None) as server, Client(server) as client:
        sets = (await client.call_tool("list_toolsets", {})).structured_content["toolsets"]
        assert {row["toolset"] for row in sets} == set(CATALOG.toolsets)
        found = await client.call_tool("search_tools", {"query": "registered for my webinar but never came"})
        rows = found.structured_content["tools"]
        hit = next(row for row in rows if row["name"] == "list_webinar_absentees")
        assert hit["toolset"] == "webinars" and hit["listed"] is False
        assert "enable_toolset" in found.content[0].text
        assert {t.name for t in (await client.list_tools()).tools} == META
        enabled = await client.call_tool("enable_toolset", {"toolset": "list_webinar_absentees"})
        assert not enabled.is_error and enabled.structured_content["toolset"] == "webinars"
        assert "the toolset of list_webinar_absentees" in enabled.content[0].text
        listed = {t.name for t in (await client.list_tools()).tools}
        assert listed == META | {op.name for op in CATALOG if op.toolset == "webinars"}
        again = await client.call_tool("search_tools", {"query": "webinar no-shows"})
        assert next(r for r in again.structured_content["tools"] if r["name"] == "list_webinar_absentees")["listed"]


async def test_enabling_by_tool_name_obeys_the_policy(sandbox: Sandbox, clock: FixedClock) -> None:
    async with dynamic(sandbox, clock, toolsets="meetings") as server, Client(server) as client:
        found = (await client.call_tool("search_tools", {"query": "webinar absentees"})).structured_content["tools"]
        assert all(row["toolset"] == "meetings" for row in found)
        refused = await client.call_tool("enable_toolset", {"toolset": "list_webinar_absentees"})
        assert refused.is_error and "not enabled (--toolsets)" in refused.content[0].text
        refused = await client.call_tool("enable_toolset", {"toolset": "webinars"})
        assert refused.is_error and "meetings" in refused.content[0].text
        unknown = await client.call_tool("enable_toolset", {"toolset": "list_webinar_absentes"})
        assert unknown.is_error and "search_tools" in unknown.content[0].text
    async with dynamic(sandbox, clock, toolsets=None, read_only=True) as server, Client(server) as client:
        refused = await client.call_tool("enable_toolset", {"toolset": "delete_webinar"})
        assert refused.is_error and "--read-only" in refused.content[0].text
        ok = await client.call_tool("enable_toolset", {"toolset": "list_webinars"})
        assert not ok.is_error and "delete_webinar" not in ok.structured_content["tools"]
    assert sandbox.requests == []


def test_the_index_scores_bm25f_with_a_positive_idf() -> None:
    """On a hand-sized corpus: the score is the BM25F formula, and a word in most tools still counts (FTS5's
    own bm25() gives such a word no weight, so 'meeting' could not tell a meeting tool from a webinar one)."""
    tools = Inventory.build(CATALOG, Selection(dynamic=True)).tools()
    chosen = [i for i in tools if i.name in ("get_meeting", "get_webinar", "get_meeting_recordings")]
    index = ToolIndex(chosen, {"name": 1.0})
    assert index.terms("Get the meetings!") == ["get", "meet"]
    n, lengths = 3, {"get_meeting": 2, "get_webinar": 2, "get_meeting_recordings": 3}
    average = sum(lengths.values()) / n

    def expected(name: str, matching: dict[str, int]) -> float:
        total = 0.0
        for in_docs in matching.values():
            frequency = 1 / (1 - 0.75 + 0.75 * lengths[name] / average)
            idf = math.log(1 + (n - in_docs + 0.5) / (in_docs + 0.5))
            total += idf * frequency * 2.2 / (frequency + 1.2)
        return total

    scored = {item.name: points for item, points in index.scored("get meeting")}
    assert scored["get_meeting"] == pytest.approx(expected("get_meeting", {"get": 3, "meet": 2}))
    assert scored["get_webinar"] == pytest.approx(expected("get_webinar", {"get": 3}))
    assert [i.name for i in index.search("get meeting", 3)] == ["get_meeting", "get_meeting_recordings", "get_webinar"]


def test_near_ties_prefer_a_read_only_when_no_change_is_asked_for() -> None:
    index = ToolIndex(Inventory.build(CATALOG, Selection(dynamic=True)).tools())
    assert index.asks_for_action("delete the webinar registrant") and not index.asks_for_action("webinar registrants")
    top = index.search("webinar registrants", 3)
    assert top[0].safety == "read" and "list_webinar_registrants" in [i.name for i in top]
    assert index.search("delete webinar registrant", 1)[0].name == "delete_webinar_registrant"
    untied = ToolIndex(index.items, tie_break=False)
    assert untied.search("webinar registrants", 1)[0].safety != "read"  # the tie-breaker is what decides here


def test_the_evaluation_set_is_large_split_by_its_rule_and_names_real_tools() -> None:
    tasks = load_tasks()
    known = {op.name for op in CATALOG} | set(TASK_TOOLS)
    assert len(tasks) >= 150 and len({t.query for t in tasks}) == len(tasks)
    assert {t.source for t in tasks} == {"docs", "users"} and {t.split for t in tasks} == set(SPLITS)
    assert all(t.tools and set(t.tools) <= known for t in tasks), [t.query for t in tasks if set(t.tools) - known]
    rule = expected_splits(tasks)
    assert [t.query for t in tasks if t.split != rule[t.query]] == []  # nobody moved a task between the halves
    for split in SPLITS:
        assert len([t for t in tasks if t.split == split]) >= 75
    covered = {name for t in tasks for name in t.tools}
    assert {CATALOG.get(n).toolset for n in covered if CATALOG.get(n)} == set(CATALOG.toolsets)


async def test_search_meets_the_bars_on_the_held_out_half_and_beats_plain_bm25(
    sandbox: Sandbox, clock: FixedClock
) -> None:
    """The server's own ranking (as `--dynamic` builds it), both halves scored apart; the baseline is plain
    BM25 over the same tools' names and descriptions, computed here."""
    tasks = load_tasks()
    async with dynamic(sandbox, clock, toolsets=None) as server:
        discovery = server.discovery
        assert discovery is not None
        baseline = ToolIndex(discovery.inventory.tools(), PLAIN, tie_break=False)
        results = {}
        for split in SPLITS:
            half = [t for t in tasks if t.split == split]
            ours = score(lambda q: [i.name for i in discovery.search(q, 3)], half)
            plain = score(lambda q: [i.name for i in baseline.search(q, 3)], half)
            results[split] = (ours, plain)
    for split, (ours, plain) in results.items():
        assert ours.top1 >= plain.top1 and ours.top3 >= plain.top3, (split, ours.line(), plain.line())
    held_out, _ = results["held_out"]
    assert held_out.top3_rate >= 0.90, held_out.line()
    assert held_out.top1_rate >= 0.70, held_out.line()
