"""The task-level tools on months of sandbox history: the seeded decision, month windows, a long
transcript, meetings without transcript or with captions only, and downloads across a redirect."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from mcp import Client

import zoom_mcp.sandbox.fixtures as h
from tests.conftest import running
from tests.http_sandbox import serve_asgi
from tests.test_insights import call, downloads, read_all_pages
from zoom_mcp.clock import Clock, FixedClock
from zoom_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio

# Days whose month windows once broke a test: the 1st and 2nd of a month, the last minutes of a year,
# a leap day, and an ordinary day.
AWKWARD_DAYS = [
    "2026-12-01T08:00:00Z",
    "2026-12-02T23:30:00Z",
    "2026-12-31T23:58:30Z",
    "2027-03-01T00:00:10Z",
    "2028-02-29T12:00:00Z",
    "2026-06-17T15:04:05Z",
]


def days_back(clock: Clock, days: int) -> str:
    return (clock.today() - timedelta(days=days)).isoformat()


def first_of_month(day: date, months_back: int) -> date:
    month = day.month - 1 - months_back
    return date(day.year + month // 12, month % 12 + 1, 1)


async def test_search_finds_the_decision_with_meeting_speaker_and_time(
    mcp: Client, sandbox: Sandbox, clock: FixedClock
) -> None:
    arguments = {"query": "Orion launch September", "from": days_back(clock, h.HISTORY_DAYS + 5)}
    first = await call(mcp, "search_recordings", arguments)
    top = first.structured_content["hits"][0]
    assert (top["meeting_uuid"], top["topic"], top["speaker"], top["at"]) == (
        h.DECISION_UUID,
        h.DECISION_TOPIC,
        h.DECISION_SPEAKER,
        "00:30:47",
    )
    assert top["date"] == days_back(clock, h.DECISION_DAYS_AGO) and "**Orion**" in top["snippet"]
    assert first.structured_content["meetings_searched"] >= 25  # Alex's four months
    fetched = downloads(sandbox)
    again = await call(mcp, "search_recordings", arguments)
    assert again.structured_content["hits"] == first.structured_content["hits"]
    assert downloads(sandbox) == fetched and again.structured_content["files_downloaded"] == 0


@pytest.mark.parametrize("pinned", AWKWARD_DAYS)
async def test_four_months_are_searched_in_four_windows_with_meetings_from_each(pinned: str) -> None:
    """Four calendar months, each with a week of the series in it: the current month when a week of it
    has passed, else the four before it."""
    clock = FixedClock(pinned)
    sandbox = Sandbox(clock=clock)
    today = clock.today()
    end = today if today.day >= 8 else today.replace(day=1) - timedelta(days=1)
    start = first_of_month(end, 3)
    async with running(sandbox, clock) as app, Client(app.server) as mcp:
        sandbox.reset_log()
        arguments = {"query": "weekly", "from": start.isoformat(), "to": end.isoformat()}
        result = await call(mcp, "search_recordings", arguments)
    data = result.structured_content
    assert data["windows"] == 4
    windows = [r for r in sandbox.requests if r.operation == "list_user_recordings"]
    assert len(windows) == 4 and all(r.status == 200 for r in windows)
    months = {t["date"][:7] for t in data["topic_matches"]}
    assert len(months) == 4, months  # a weekly series has a meeting in every month


async def test_a_long_transcript_pages_every_turn_exactly_once(mcp: Client) -> None:
    small, pages = await read_all_pages(mcp, {"meeting_id": h.LONG_TRANSCRIPT_UUID, "max_chars": 8_000})
    large, _ = await read_all_pages(mcp, {"meeting_id": h.LONG_TRANSCRIPT_UUID, "max_chars": 40_000})
    assert pages >= 10 and small == large
    assert sum(len(t["text"]) for t in small) > 80_000
    starts = [t["start"] for t in small]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


async def test_brief_without_transcript_or_summary_and_with_a_summary(mcp: Client) -> None:
    bare = (await call(mcp, "get_meeting_brief", {"meeting_id": h.NO_TRANSCRIPT_UUID})).structured_content
    assert bare["has_transcript"] is False and bare["ai_summary"] is None and bare["speakers"] == []
    assert {f["type"] for f in bare["files"]} == {"MP4", "M4A"} and bare["participants"]
    summarised = await call(mcp, "get_meeting_brief", {"meeting_id": h.SUMMARY_UUID})
    assert summarised.structured_content["ai_summary"] and "AI summary:\n" in summarised.content[0].text
    assert summarised.structured_content["meeting"]["topic"] == "Pricing review"


async def test_closed_captions_stand_in_for_a_missing_transcript(mcp: Client) -> None:
    result = await call(mcp, "read_meeting_transcript", {"meeting_id": h.CC_ONLY_UUID})
    assert result.structured_content["source"] == "CC" and result.structured_content["turns"]


class HeaderRecorder:
    """A storage host in front of the sandbox that notes which headers and queries reached it."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: list[tuple[str, str, str]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
            query = scope.get("query_string", b"").decode()
            self.seen.append((scope["path"], query, headers.get("authorization", "")))
        await self.app(scope, receive, send)


async def test_the_token_never_reaches_the_storage_host_a_download_redirects_to(
    sandbox: Sandbox, clock: FixedClock
) -> None:
    storage = HeaderRecorder(sandbox.app)
    with serve_asgi(storage) as storage_url:
        sandbox.download_redirect = storage_url
        async with running(sandbox, clock) as app, Client(app.server) as mcp:
            result = await call(mcp, "read_meeting_transcript", {"meeting_id": h.DECISION_UUID})
    assert any("Orion" in t["text"] for t in result.structured_content["turns"])
    assert [r.status for r in sandbox.requests if r.raw_path.startswith("/rec/download/")] == [302]
    assert len(storage.seen) == 1
    path, query, authorization = storage.seen[0]
    assert path.startswith("/rec/storage/") and "signature=" in query
    assert authorization == "" and "access_token" not in query and "sandbox-token" not in query


async def test_off_list_and_oversized_downloads_are_refused(sandbox: Sandbox, clock: FixedClock) -> None:
    meeting = sandbox.state.recordings[h.DECISION_UUID]
    for f in meeting["recording_files"]:
        if f["file_type"] == "TRANSCRIPT":
            f["download_url"] = "https://files.example.net/rec/download/x?access_token=abc"
    env = {"ZOOM_MCP_MAX_DOWNLOAD_MB": "0.01"}
    async with running(sandbox, clock, env) as app, Client(app.server) as mcp:
        off_list = await mcp.call_tool("read_meeting_transcript", {"meeting_id": h.DECISION_UUID})
        too_big = await mcp.call_tool("read_meeting_transcript", {"meeting_id": h.LONG_TRANSCRIPT_UUID})
    assert off_list.is_error and "not one of Zoom's download hosts" in off_list.content[0].text
    assert "abc" not in off_list.content[0].text
    assert too_big.is_error and "over the download cap of 10,485 bytes" in too_big.content[0].text
