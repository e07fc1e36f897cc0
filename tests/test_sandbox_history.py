"""The sandbox's four months of history: what the recording tools search, read and brief, pinned over HTTP.

The constants in `zoom_mcp.sandbox.fixtures.history` name the meetings worth asking about (a decision said at a
known second, a transcript long enough to page, a meeting without one, one with Zoom's AI summary);
these tests hold the sandbox to them, and to Zoom's download flow (token, or a 302 to signed storage).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx2
import jsonschema
import pytest

import zoom_mcp.sandbox.fixtures as h
import zoom_mcp.sandbox.fixtures as s
from tests.http_sandbox import serve_sandbox
from tests.http_server import zoom_mcp_sandbox_command
from tests.schema_checks import unknown_fields
from tests.test_sandbox import BASE, STATIC, call, http
from tests.tool_calls import MOMENTS, NOW
from zoom_mcp.api import load_catalog
from zoom_mcp.clock import FixedClock
from zoom_mcp.sandbox import Sandbox, listening_url
from zoom_mcp.sandbox.seed import planned_history

pytestmark = pytest.mark.anyio
CATALOG = load_catalog()
CUE = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) --> [\d:.]+\n([^:\n]+): (.*)$", re.M)
HISTORY = {p.uuid for p in planned_history()}


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> FixedClock:
    """The sandbox clock: pinned at NOW, or at the moment a test is parametrized with."""
    return FixedClock(getattr(request, "param", NOW))


async def ok(client: httpx2.AsyncClient, name: str, arguments: dict[str, Any], status: int = 200) -> Any:
    """Call an operation; the answer must have `status` and, on success, match the reference's schema."""
    reply = await call(client, name, arguments)
    assert reply.status_code == status, reply.text
    if status == 204 or status >= 400:
        return reply.json() if reply.content else None
    body = reply.json()
    op = CATALOG.get(name)
    assert op is not None and op.response_schema is not None
    assert unknown_fields(op.response_schema, body) == []
    validator = jsonschema.Draft202012Validator(op.response_schema, format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(body)] == []
    return body


def cues(vtt: str) -> list[tuple[int, str, str]]:
    """(start second, speaker, text) of every cue whose text Zoom prefixed with `Name: `."""
    return [(int(a) * 3600 + int(b) * 60 + int(c), who, text) for a, b, c, _, who, text in CUE.findall(vtt)]


def file_of(meeting: dict[str, Any], file_type: str) -> dict[str, Any]:
    (found,) = [f for f in meeting["recording_files"] if f["file_type"] == file_type]
    return found


async def download(client: httpx2.AsyncClient, url: str) -> str:
    reply = await client.get(url.removeprefix(BASE), headers=STATIC)
    assert reply.status_code == 200, reply.text
    return reply.text


def windows(today: date, count: int = 4) -> list[tuple[str, str]]:
    """`count` one-month ranges (Zoom's longest) back from today, newest first."""
    return [((today - timedelta(days=30 * (n + 1) - 1)).isoformat(), (today - timedelta(days=30 * n)).isoformat())
            for n in range(count)]  # fmt: skip


# --- the span and the meetings ------------------------------------------------------------------------------


@pytest.mark.parametrize("clock", MOMENTS, indirect=True)
async def test_the_history_spans_four_months_for_alex_and_sam(clock: FixedClock) -> None:
    sb = Sandbox(clock=clock)
    today = clock.today()
    async with http(sb) as client:
        for user in ("me", s.SAM_ID):
            found = []
            for start, end in windows(today):
                page = await ok(client, "list_user_recordings", {"userId": user, "from": start, "to": end})
                assert page["meetings"], (user, start, end)  # something in every month
                found += [m["uuid"] for m in page["meetings"]]
            assert len(found) > 15 and HISTORY & set(found)
        oldest = min(sb.state.recordings[u]["start_time"] for u in HISTORY)
    assert oldest[:10] < (today - timedelta(days=h.HISTORY_DAYS - 10)).isoformat()


@pytest.mark.parametrize("clock", MOMENTS, indirect=True)
async def test_the_decision_is_said_by_its_speaker_at_its_second(clock: FixedClock) -> None:
    sb = Sandbox(clock=clock)
    async with http(sb) as client:
        meeting = await ok(client, "get_meeting_recordings", {"meetingId": h.DECISION_UUID})
        assert (meeting["topic"], meeting["id"]) == (h.DECISION_TOPIC, h.DECISION_MEETING_ID)
        said = (clock.now() - timedelta(days=h.DECISION_DAYS_AGO)).date().isoformat()
        assert meeting["start_time"].startswith(said)
        transcript = file_of(meeting, "TRANSCRIPT")
        assert (transcript["file_extension"], transcript["recording_type"]) == ("VTT", "audio_transcript")
        text = await download(client, transcript["download_url"])
    assert text.startswith("WEBVTT") and len(text.encode()) == transcript["file_size"]
    (hit,) = [c for c in cues(text) if h.DECISION_PHRASE in c[2]]
    assert hit[:2] == (h.DECISION_START_SECONDS, h.DECISION_SPEAKER)
    assert "00:30:47.000 -->" in text and h.DECISION_START_SECONDS == 30 * 60 + 47
    assert len({who for _, who, _ in cues(text)}) >= 3  # several speakers


def test_the_decision_phrase_is_said_in_one_meeting_only_and_transcripts_differ(clock: FixedClock) -> None:
    sb = Sandbox(clock=clock)
    texts = {
        uuid: sb.state.file_content[file_of(m, "TRANSCRIPT")["id"]]
        for uuid, m in sb.state.recordings.items()
        if uuid in HISTORY and any(f["file_type"] == "TRANSCRIPT" for f in m["recording_files"])
    }
    assert [u for u, t in texts.items() if h.DECISION_PHRASE.encode() in t] == [h.DECISION_UUID]
    assert len(texts) > 20 and len(set(texts.values())) == len(texts)


async def test_the_long_transcript_is_long_enough_to_page(clock: FixedClock) -> None:
    sb = Sandbox(clock=clock)
    async with http(sb) as client:
        meeting = await ok(client, "get_meeting_recordings", {"meetingId": h.LONG_TRANSCRIPT_UUID})
        text = await download(client, file_of(meeting, "TRANSCRIPT")["download_url"])
    spoken = cues(text)
    assert meeting["duration"] >= 60 and len(text) > 80_000
    assert sum(len(words) for _, _, words in spoken) > 80_000  # of speech alone, past one 80k page
    assert spoken[-1][0] > (meeting["duration"] - 10) * 60  # the talk fills the meeting


async def test_a_meeting_with_recordings_but_no_transcript_and_one_with_captions_only(clock: FixedClock) -> None:
    sb = Sandbox(clock=clock)
    async with http(sb) as client:
        bare = await ok(client, "get_meeting_recordings", {"meetingId": h.NO_TRANSCRIPT_UUID})
        assert {f["file_type"] for f in bare["recording_files"]} == {"MP4", "M4A"}
        await ok(client, "get_meeting_summary", {"meetingId": h.NO_TRANSCRIPT_UUID}, 404)
        captions = await ok(client, "get_meeting_recordings", {"meetingId": h.CC_ONLY_UUID})
        assert {f["file_type"] for f in captions["recording_files"]} == {"MP4", "CC"}
        cc = file_of(captions, "CC")
        assert (cc["file_extension"], cc["recording_type"]) == ("VTT", "closed_caption")
        assert cues(await download(client, cc["download_url"]))
        for uuid in (h.NO_TRANSCRIPT_UUID, h.CC_ONLY_UUID):
            missing = await ok(client, "get_meeting_transcript", {"meetingId": uuid}, 404)
            assert missing == {"code": 3322, "message": "This meeting transcript does not exist."}


async def test_chat_files_read_as_zoom_writes_them(clock: FixedClock) -> None:
    sb = Sandbox(clock=clock)
    async with http(sb) as client:
        meeting = await ok(client, "get_meeting_recordings", {"meetingId": h.DECISION_UUID})
        chat = file_of(meeting, "CHAT")
        text = await download(client, chat["download_url"])
    assert (chat["file_extension"], chat["recording_type"]) == ("TXT", "chat_file")
    assert all(re.fullmatch(r"\d\d:\d\d:\d\d\t[A-Z][a-z]+ [A-Z][a-z]+:\t.+", line) for line in text.splitlines())


async def test_an_ai_summary_for_some_meetings_and_its_text(clock: FixedClock) -> None:
    sb = Sandbox(clock=clock)
    async with http(sb) as client:
        summary = await ok(client, "get_meeting_summary", {"meetingId": h.SUMMARY_UUID})
        past = await ok(client, "get_past_meeting", {"meetingId": h.SUMMARY_UUID})
        decided = await ok(client, "get_meeting_summary", {"meetingId": h.DECISION_UUID})
    assert summary["meeting_topic"] == "Pricing review" and past["has_meeting_summary"] is True
    content = summary["summary_content"]
    assert summary["summary_overview"] in content and summary["next_steps"]
    assert all(step in content for step in summary["next_steps"])
    assert all(f"### {d['label']}" in content and d["summary"] in content for d in summary["summary_details"])
    assert h.DECISION_PHRASE in decided["summary_overview"]
    with_summary = {x["meeting_uuid"] for x in sb.state.summaries} & HISTORY
    assert 5 < len(with_summary) < len(HISTORY)  # some have one, others none


@pytest.mark.parametrize("clock", MOMENTS, indirect=True)
async def test_participants_of_history_meetings(clock: FixedClock) -> None:
    sb = Sandbox(clock=clock)
    assert all(sb.state.participants.get(uuid) for uuid in HISTORY)
    async with http(sb) as client:
        page = await ok(client, "list_past_meeting_participants", {"meetingId": h.DECISION_UUID})
        report = await ok(client, "get_user_meetings_report", {"userId": s.JAMIE_ID})
    people = {p["name"]: p for p in page["participants"]}
    assert {h.DECISION_SPEAKER, "Jamie Chen", "Hannah Berg", "Priya Nair", "Pat Lee"} <= set(people)
    assert people["Hannah Berg"]["internal_user"] is False and people["Jamie Chen"]["id"] == s.JAMIE_ID
    assert report["meetings"]  # Jamie attended history meetings in the last month


# --- the transcript endpoint ------------------------------------------------------------------------------


async def test_get_meeting_transcript_answers_from_state(clock: FixedClock) -> None:
    sb = Sandbox(clock=clock)
    async with http(sb) as client:
        recording = await ok(client, "get_meeting_recordings", {"meetingId": h.DECISION_UUID})
        found = await ok(client, "get_meeting_transcript", {"meetingId": h.DECISION_UUID})
        latest = await ok(client, "get_meeting_transcript", {"meetingId": h.DECISION_MEETING_ID})
        await ok(client, "get_meeting_transcript", {"meetingId": 12345678901}, 404)
        assert await download(client, found["download_url"])
    assert found == latest
    assert found["download_url"] == file_of(recording, "TRANSCRIPT")["download_url"]
    assert (found["meeting_id"], found["meeting_topic"], found["host_id"]) == (
        h.DECISION_UUID,
        h.DECISION_TOPIC,
        s.OWNER_ID,
    )
    assert found["can_download"] is True and "download_restriction_reason" not in found


async def test_a_trashed_transcript_cannot_be_downloaded_and_says_why(clock: FixedClock) -> None:
    sb = Sandbox(clock=clock)
    async with http(sb) as client:
        file_id = file_of(sb.state.recordings[h.SUMMARY_UUID], "TRANSCRIPT")["id"]
        await ok(client, "delete_recording_file", {"meetingId": h.SUMMARY_UUID, "recordingId": file_id}, 204)
        found = await ok(client, "get_meeting_transcript", {"meetingId": h.SUMMARY_UUID})
    assert found["can_download"] is False and found["download_restriction_reason"] == "DELETED_OR_TRASHED"
    assert "download_url" not in found


async def test_delete_meeting_transcript_removes_only_the_transcript(clock: FixedClock) -> None:
    sb = Sandbox(clock=clock)
    async with http(sb) as client:
        before = await ok(client, "get_meeting_recordings", {"meetingId": h.DECISION_UUID})
        url = file_of(before, "TRANSCRIPT")["download_url"].removeprefix(BASE)
        await ok(client, "delete_meeting_transcript", {"meetingId": h.DECISION_UUID}, 204)
        after = await ok(client, "get_meeting_recordings", {"meetingId": h.DECISION_UUID})
        assert [f["file_type"] for f in after["recording_files"]] == ["MP4", "M4A", "CHAT"]
        assert after["total_size"] == sum(f["file_size"] for f in after["recording_files"])
        assert (await client.get(url, headers=STATIC)).status_code == 404
        await ok(client, "get_meeting_transcript", {"meetingId": h.DECISION_UUID}, 404)
        gone = await ok(client, "delete_meeting_transcript", {"meetingId": h.DECISION_UUID}, 404)
    assert gone["code"] == 3322


# --- downloads --------------------------------------------------------------------------------------------


async def test_a_download_needs_the_token(clock: FixedClock) -> None:
    sb = Sandbox(clock=clock)
    url = file_of(sb.state.recordings[h.DECISION_UUID], "TRANSCRIPT")["download_url"].removeprefix(BASE)
    async with http(sb) as client:
        assert (await client.get(url)).status_code == 401
        assert (await client.get(url, headers={"Authorization": "Bearer wrong"})).status_code == 401
        assert (await client.get(url, params={"access_token": "sandbox-token"})).status_code == 200


async def test_a_download_can_redirect_to_signed_storage_like_zoom(clock: FixedClock) -> None:
    sb = Sandbox(clock=clock)
    sb.download_redirect = "http://storage.sandbox.example/"
    file_id = file_of(sb.state.recordings[h.DECISION_UUID], "TRANSCRIPT")["id"]
    async with http(sb) as client:
        moved = await client.get(f"/rec/download/{file_id}", headers=STATIC)
        assert moved.status_code == 302 and moved.content == b""
        location = httpx2.URL(moved.headers["location"])
        assert str(location).startswith(f"http://storage.sandbox.example/rec/storage/{file_id}?signature=")
        stored = await client.get(location.raw_path.decode())  # no token: the signature is the key
        assert stored.status_code == 200 and stored.content == sb.state.file_content[file_id]
        tampered = await client.get(f"/rec/storage/{file_id}", params={"signature": "0" * 64})
        other = f"/rec/storage/{h.DECISION_MEETING_ID}-mp4-1?{location.query.decode()}"  # another file, same signature
        assert tampered.status_code == 403 and (await client.get(other)).status_code == 403
        assert (await client.get(f"/rec/storage/{file_id}")).status_code == 403
        assert (await client.get(f"/rec/download/{file_id}")).status_code == 401  # still no token, no redirect
    assert [r.status for r in sb.requests] == [302, 200, 403, 403, 403, 401]


async def test_large_files_download_whole_in_process_and_over_http(clock: FixedClock) -> None:
    sb = Sandbox(clock=clock)
    file_id = file_of(sb.state.recordings[h.LONG_TRANSCRIPT_UUID], "TRANSCRIPT")["id"]
    big = bytes(range(256)) * (12 * 1024 * 1024 // 256 + 7)  # 12 MiB and a bit: several chunks
    sb.state.file_content[file_id] = big
    async with http(sb) as client:
        reply = await client.get(f"/rec/download/{file_id}", headers=STATIC)
    assert reply.status_code == 200 and reply.content == big and reply.headers["content-length"] == str(len(big))
    with serve_sandbox(sb) as base:
        over_http = httpx2.get(f"{base}/rec/download/{file_id}", headers=STATIC, timeout=30)
    assert over_http.status_code == 200 and over_http.content == big


def test_download_urls_use_the_public_url() -> None:
    default = Sandbox(clock=FixedClock(NOW))
    served = Sandbox(clock=FixedClock(NOW), public_url="http://127.0.0.1:8765/")
    for sb, origin in ((default, BASE), (served, "http://127.0.0.1:8765")):
        urls = [f["download_url"] for m in sb.state.recordings.values() for f in m["recording_files"]]
        urls += [f["download_url"] for a in sb.state.archives.values() for f in a["archive_files"]]
        assert urls and all(u.startswith(f"{origin}/rec/download/") for u in urls)
    assert listening_url("0.0.0.0", 80) == "http://127.0.0.1:80" and listening_url("::1", 81) == "http://[::1]:81"


def test_the_sandbox_command_serves_downloads_on_its_own_address() -> None:
    with zoom_mcp_sandbox_command() as command:
        base = command.base
        meeting = httpx2.get(f"{base}/v2/meetings/{h.DECISION_MEETING_ID}/recordings", headers=STATIC)
        assert meeting.status_code == 200, meeting.text
        url = file_of(meeting.json(), "TRANSCRIPT")["download_url"]
        assert url.startswith(f"{base}/rec/download/")
        assert httpx2.get(url, headers=STATIC).text.startswith("WEBVTT")
    assert f"ZOOM_MCP_DOWNLOAD_HOSTS=zoom.us,zoomgov.com,{base}" in command.stderr


# --- scale and determinism --------------------------------------------------------------------------------


async def test_extra_meetings_for_benchmarks(clock: FixedClock) -> None:
    sb = Sandbox(clock=clock, extra_meetings=200)
    today = clock.today()
    transcribed = []
    async with http(sb) as client:
        for start, end in windows(today, 5):
            page = await ok(
                client, "list_user_recordings", {"userId": "me", "from": start, "to": end, "page_size": 300}
            )
            transcribed += [
                m for m in page["meetings"] if any(f["file_type"] == "TRANSCRIPT" for f in m["recording_files"])
            ]
    extra = range(h.EXTRA_MEETING_ID_BASE, h.EXTRA_MEETING_ID_BASE + 200)
    assert len({m["uuid"] for m in transcribed if m["id"] in extra}) == 200 and len(transcribed) >= 200
    assert not any(m["id"] in extra for m in Sandbox(clock=clock).state.recordings.values())


def test_the_history_is_the_same_every_time_and_moves_with_the_clock() -> None:
    fixed = datetime(2026, 3, 10, 8, 30, tzinfo=UTC)
    first, again = Sandbox(clock=FixedClock(fixed)), Sandbox(clock=FixedClock(fixed))
    later = Sandbox(clock=FixedClock(fixed + timedelta(days=30)))
    assert first.state.recordings == again.state.recordings and first.state.file_content == again.state.file_content
    assert first.state.summaries == again.state.summaries and first.state.participants == again.state.participants
    decision = first.state.recordings[h.DECISION_UUID]
    assert decision["start_time"] == "2026-01-22T14:00:00Z"  # 47 days before 10 March, at 14:00 UTC
    assert later.state.recordings[h.DECISION_UUID]["start_time"] == "2026-02-21T14:00:00Z"
    tid = file_of(decision, "TRANSCRIPT")["id"]
    assert first.state.file_content[tid] == later.state.file_content[tid]
    first.state.recordings[h.DECISION_UUID]["recording_files"].clear()  # each Sandbox owns its copy
    first.state.participants[h.DECISION_UUID].clear()
    assert again.state.recordings[h.DECISION_UUID]["recording_files"] and again.state.participants[h.DECISION_UUID]


def test_seeded_ids_stay_as_they_were(clock: FixedClock) -> None:
    sb = Sandbox(clock=clock)
    assert not HISTORY & {s.BUDGET_UUID, s.RETRO_UUID, s.CUSTOMER_UUID, *s.STANDUP_UUIDS}
    ids = {p.meeting_id for p in planned_history()}
    assert not ids & {s.BUDGET_MEETING_ID, s.RETRO_MEETING_ID, s.CUSTOMER_MEETING_ID, s.RECURRING_MEETING_ID}
    assert not ids & set(sb.state.meetings)
    assert all(len(u) == 24 and u.endswith("==") for u in HISTORY)
    assert all(10_000_000_000 <= i < 100_000_000_000 for i in ids)
    files = [f["id"] for m in sb.state.recordings.values() for f in m["recording_files"]]
    assert len(files) == len(set(files))
