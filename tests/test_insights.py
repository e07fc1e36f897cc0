"""Task-level recording tools, resources and prompts, through real MCP client sessions on the sandbox."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import jsonschema
import mcp_types as types
import pytest
from mcp import Client
from mcp.server import Server
from mcp.shared.exceptions import MCPError

import zoom_mcp.sandbox.fixtures as s
from tests.conftest import running
from zoom_mcp.clock import FixedClock
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.tasks.resources import meeting_uri
from zoom_mcp.tasks.tools import TASK_TOOLS

pytestmark = pytest.mark.anyio


def downloads(sandbox: Sandbox) -> int:
    return sum(1 for r in sandbox.requests if r.raw_path.startswith("/rec/"))


async def call(mcp: Client, name: str, arguments: dict[str, Any]) -> types.CallToolResult:
    result = await mcp.call_tool(name, arguments)
    assert not result.is_error, result.content[0].text
    tool = TASK_TOOLS[name]
    jsonschema.validate(result.structured_content, tool.output_schema)
    return result


# --- transcript -------------------------------------------------------------------------------------------


async def test_transcript_comes_as_speaker_turns_with_talk_time(mcp: Client) -> None:
    result = await call(mcp, "read_meeting_transcript", {"meeting_id": s.BUDGET_UUID})
    data = result.structured_content
    assert data["meeting"]["topic"] == "Q3 budget planning" and data["source"] == "TRANSCRIPT"
    assert [t["speaker"] for t in data["turns"]] == ["Alex Rivera", "Sam Okafor", "Alex Rivera", "Jamie Chen"]
    assert data["turns"][2] == {
        "speaker": "Alex Rivera",
        "start": "00:00:14",
        "end": "00:00:20",
        "text": "We decided to approve 110,000 and revisit in October.",
    }
    talk = {sp["name"]: sp["talk_seconds"] for sp in data["speakers"]}
    assert talk == {"Alex Rivera": 11, "Sam Okafor": 7, "Jamie Chen": 6}
    text = result.content[0].text
    assert "[00:00:14] Alex Rivera: We decided to approve 110,000" in text
    assert "download" not in text and "sandbox-token" not in text  # no URLs or tokens in answers


async def test_a_numeric_meeting_id_reads_its_latest_instance(mcp: Client) -> None:
    result = await call(mcp, "read_meeting_transcript", {"meeting_id": s.BUDGET_MEETING_ID})
    assert result.structured_content["meeting"]["uuid"] == s.BUDGET_UUID


async def test_chat_is_readable_the_same_way(mcp: Client) -> None:
    result = await call(mcp, "read_meeting_transcript", {"meeting_id": s.BUDGET_UUID, "source": "chat"})
    turns = result.structured_content["turns"]
    assert result.structured_content["source"] == "CHAT"
    assert turns[0] == {
        "speaker": "Sam Okafor",
        "start": "00:00:05",
        "end": "00:00:05",
        "text": "Slides are in the shared drive",
    }


async def test_a_time_window_cuts_the_transcript(mcp: Client) -> None:
    result = await call(
        mcp, "read_meeting_transcript", {"meeting_id": s.BUDGET_UUID, "from_time": "0:00:10", "to_time": "0:00:18"}
    )
    assert [t["start"] for t in result.structured_content["turns"]] == ["00:00:07", "00:00:14"]


def lengthen_budget_transcript(sandbox: Sandbox, cues: int = 200) -> None:
    """Replace the budget meeting's transcript with `cues` cues of three alternating speakers."""
    (file,) = [f for f in sandbox.state.recordings[s.BUDGET_UUID]["recording_files"] if f["file_type"] == "TRANSCRIPT"]
    people = ("Alex Rivera", "Sam Okafor", "Jamie Chen")
    blocks = [
        f"{n + 1}\n{_vtt_time(n * 10)} --> {_vtt_time(n * 10 + 8)}\n{people[n % 3]}: point number {n} about the plan."
        for n in range(cues)
    ]
    content = ("WEBVTT\n\n" + "\n\n".join(blocks) + "\n").encode()
    sandbox.state.file_content[file["id"]] = content
    file["file_size"] = len(content)


def _vtt_time(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}.000"


async def read_all_pages(mcp: Client, arguments: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    seen: list[dict[str, Any]] = []
    cursor = None
    for pages in range(1, 1000):
        page = await call(mcp, "read_meeting_transcript", {**arguments, **({"cursor": cursor} if cursor else {})})
        seen += page.structured_content["turns"]
        cursor = page.structured_content["next_cursor"]
        if cursor is None:
            return seen, pages
    raise AssertionError("paging never ended")


async def test_paging_returns_every_turn_exactly_once(mcp: Client, sandbox: Sandbox) -> None:
    lengthen_budget_transcript(sandbox)
    whole = await call(mcp, "read_meeting_transcript", {"meeting_id": s.BUDGET_UUID, "max_chars": 100_000})
    assert whole.structured_content["next_cursor"] is None and whole.structured_content["total_turns"] == 200
    seen, pages = await read_all_pages(mcp, {"meeting_id": s.BUDGET_UUID, "max_chars": 1000})
    assert seen == whole.structured_content["turns"] and pages > 10
    assert len({(t["start"], t["text"]) for t in seen}) == 200


async def test_a_cursor_from_another_transcript_is_refused(mcp: Client, sandbox: Sandbox) -> None:
    lengthen_budget_transcript(sandbox)
    first = await call(mcp, "read_meeting_transcript", {"meeting_id": s.BUDGET_UUID, "max_chars": 500})
    cursor = first.structured_content["next_cursor"]
    assert cursor
    wrong = await mcp.call_tool("read_meeting_transcript", {"meeting_id": s.RETRO_UUID, "cursor": cursor})
    assert wrong.is_error and "cursor does not belong" in wrong.content[0].text


async def test_no_transcript_says_which_files_there_are_and_why(mcp: Client) -> None:
    result = await call(mcp, "read_meeting_transcript", {"meeting_id": s.CUSTOMER_UUID})
    text = result.content[0].text
    assert "has no transcript" in text and "Its recording files: MP4" in text and "audio transcript" in text
    assert result.structured_content["source"] is None


async def test_unknown_meeting_and_bad_arguments(mcp: Client, sandbox: Sandbox) -> None:
    missing = await mcp.call_tool("read_meeting_transcript", {"meeting_id": "99999999999"})
    assert missing.is_error and "has no cloud recording" in missing.content[0].text
    sandbox.reset_log()
    bad = await mcp.call_tool("read_meeting_transcript", {"meeting_id": s.BUDGET_UUID, "from_time": "soon"})
    assert bad.is_error and "from_time" in bad.content[0].text and sandbox.requests == []


async def test_a_transcript_is_downloaded_once(mcp: Client, sandbox: Sandbox) -> None:
    await call(mcp, "read_meeting_transcript", {"meeting_id": s.BUDGET_UUID})
    await call(mcp, "read_meeting_transcript", {"meeting_id": s.BUDGET_UUID, "max_chars": 600})
    assert downloads(sandbox) == 1


# --- search -----------------------------------------------------------------------------------------------


async def test_search_finds_who_said_it_when_and_repeats_without_downloading(mcp: Client, sandbox: Sandbox) -> None:
    first = await call(mcp, "search_recordings", {"query": "decided to approve"})
    hits = first.structured_content["hits"]
    top = hits[0]
    assert (top["topic"], top["speaker"], top["at"], top["source"]) == (
        "Q3 budget planning",
        "Alex Rivera",
        "00:00:14",
        "transcript",
    )
    assert "**approve**" in top["snippet"]
    fetched = downloads(sandbox)
    assert fetched >= 3  # budget transcript + chat, retro transcript at least
    again = await call(mcp, "search_recordings", {"query": "decided to approve"})
    assert again.structured_content["hits"] == hits
    assert again.structured_content["files_downloaded"] == 0 and downloads(sandbox) == fetched
    by_topic = await call(mcp, "search_recordings", {"query": "budget"})
    assert [t["topic"] for t in by_topic.structured_content["topic_matches"]] == ["Q3 budget planning"]


async def test_search_counts_meetings_without_transcripts(mcp: Client) -> None:
    result = await call(mcp, "search_recordings", {"query": "launch date"})
    data = result.structured_content
    assert data["meetings_searched"] >= 4 and data["meetings_without_transcript"] >= 2
    assert data["hits"][0]["topic"] == "Launch retro" and data["hits"][0]["speaker"] == "Sam Okafor"
    assert f"{data['meetings_without_transcript']} had no transcript" in result.content[0].text


async def test_a_four_month_range_is_searched_in_four_windows(mcp: Client, sandbox: Sandbox, clock: FixedClock) -> None:
    today = clock.today()
    start = (today.replace(day=1) - timedelta(days=85)).replace(day=1)
    end = _month_end(_add_months(start, 3))
    sandbox.reset_log()
    result = await call(mcp, "search_recordings", {"query": "budget", "from": start.isoformat(), "to": end.isoformat()})
    assert result.structured_content["windows"] == 4
    listed = [r.query for r in sandbox.requests if r.operation == "list_user_recordings"]
    assert [(q["from"], q["to"]) for q in listed] == [
        (_add_months(start, n).isoformat(), _month_end(_add_months(start, n)).isoformat()) for n in range(4)
    ]


async def test_a_range_over_a_year_is_cut_and_says_so(mcp: Client) -> None:
    result = await call(mcp, "search_recordings", {"query": "budget", "from": "2020-01-01", "to": "2026-06-30"})
    data = result.structured_content
    assert data["windows"] == 12 and "last 12 months" in data["range_cut"] and data["from"] == "2025-07-01"


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


def _month_end(day: date) -> date:
    return _add_months(day.replace(day=1), 1) - timedelta(days=1)


# --- brief ------------------------------------------------------------------------------------------------


async def test_brief_of_a_meeting_with_transcript_and_summary(mcp: Client) -> None:
    result = await call(mcp, "get_meeting_brief", {"meeting_id": s.BUDGET_UUID})
    data = result.structured_content
    assert data["meeting"]["topic"] == "Q3 budget planning" and data["has_transcript"] is True
    assert {f["type"] for f in data["files"]} == {"MP4", "M4A", "TRANSCRIPT", "CHAT"}
    assert data["speakers"][0]["name"] == "Alex Rivera"
    assert data["transcript_opening"][0].startswith("[00:00:01] Alex Rivera: Good morning")
    assert "alex.rivera@example.com" in data["host"]
    text = result.content[0].text
    assert text.startswith("# Q3 budget planning") and "Talk time: Alex Rivera" in text


async def test_brief_of_a_meeting_without_transcript_or_summary_is_still_right(mcp: Client) -> None:
    result = await call(mcp, "get_meeting_brief", {"meeting_id": s.CUSTOMER_UUID})
    data = result.structured_content
    assert data["meeting"]["topic"] == "Customer call: Acme"
    assert data["has_transcript"] is False and data["speakers"] == [] and data["ai_summary"] is None
    assert [f["type"] for f in data["files"]] == ["MP4"]
    text = result.content[0].text
    assert "AI summary: none" in text and "Transcript: none" in text


# --- resources and prompts --------------------------------------------------------------------------------


async def test_resource_templates_and_recent_recordings_are_offered(mcp: Client) -> None:
    templates = (await mcp.list_resource_templates()).resource_templates
    assert [t.uri_template for t in templates] == [
        "zoom://meetings/{meetingId}",
        "zoom://meetings/{meetingId}/transcript",
    ]
    resources = (await mcp.list_resources()).resources
    uris = [str(r.uri) for r in resources]
    assert meeting_uri(s.BUDGET_UUID) in uris and meeting_uri(s.BUDGET_UUID, transcript=True) in uris
    standup = s.STANDUP_UUIDS[0]  # audio only
    assert meeting_uri(standup) in uris and meeting_uri(standup, transcript=True) not in uris
    assert len(resources) <= 40


async def test_a_transcript_resource_reads_as_text_with_speakers_and_times(mcp: Client) -> None:
    uri = meeting_uri(s.RETRO_UUID, transcript=True)  # a UUID starting with '/': percent-encoded in the URI
    assert uri.startswith("zoom://meetings/%2Fajxp") or "%2F" in uri
    contents = (await mcp.read_resource(uri)).contents
    assert contents[0].mime_type == "text/plain"
    assert "[00:00:02] Sam Okafor: The launch date slipped to March 3rd" in contents[0].text
    brief = (await mcp.read_resource(meeting_uri(s.BUDGET_UUID))).contents[0]
    assert brief.mime_type == "text/markdown" and brief.text.startswith("# Q3 budget planning")


async def test_unknown_resources_are_errors(mcp: Client) -> None:
    for uri in ("zoom://meetings/99999999999/transcript", "zoom://elsewhere/1", f"{meeting_uri(s.BUDGET_UUID)}/x"):
        with pytest.raises(MCPError):
            await mcp.read_resource(uri)


async def test_prompts_render_and_steer_to_the_tools(mcp: Client) -> None:
    names = [p.name for p in (await mcp.list_prompts()).prompts]
    assert names == ["summarize_meeting", "action_items", "what_was_said_about"]
    said = await mcp.get_prompt("what_was_said_about", {"topic": "launch date", "from": "2026-09-01"})
    text = said.messages[0].content.text
    assert "search_recordings" in text and "'launch date'" in text and "from 2026-09-01 to today" in text
    assert "speaker" in text and "[H:MM:SS]" in text
    summary = await mcp.get_prompt("summarize_meeting", {"meeting_id": s.BUDGET_UUID})
    assert "get_meeting_brief" in summary.messages[0].content.text
    with pytest.raises(MCPError):
        await mcp.get_prompt("what_was_said_about", {})


# --- policy -----------------------------------------------------------------------------------------------


async def test_task_tools_are_listed_first_and_follow_the_toolset_filter(server: Server) -> None:
    async with Client(server) as client:
        names = [t.name for t in (await client.list_tools()).tools]
    assert names[:3] == ["search_recordings", "read_meeting_transcript", "get_meeting_brief"]


async def test_the_toolset_filter_and_tool_list_apply_to_task_tools(sandbox: Sandbox, clock: FixedClock) -> None:
    async with running(sandbox, clock, toolsets="meetings") as app, Client(app.server) as client:
        names = {t.name for t in (await client.list_tools()).tools}
        refused = await client.call_tool("search_recordings", {"query": "budget"})
    assert not names & set(TASK_TOOLS)
    assert refused.is_error and "toolset 'recordings', which is not enabled" in refused.content[0].text
    async with running(sandbox, clock, tools="get_meeting_brief") as app, Client(app.server) as client:
        assert [t.name for t in (await client.list_tools()).tools] == ["get_meeting_brief"]
