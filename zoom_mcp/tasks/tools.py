"""The task-level tools: one call answers a question about a meeting's recording.

Each is data (name, schemas, the catalog operations it needs) and a `run` function over the
`TaskService`. The inventory lists them beside the endpoint tools (toolset `recordings`) under the
same filters, and the server's call pipeline runs them; they return what a person asks about,
never download URLs or tokens.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from zoom_mcp.errors import NotFound, ZoomCallError
from zoom_mcp.tasks.index import Passage
from zoom_mcp.tasks.service import NO_TRANSCRIPT_HELP, Meeting, SearchScope, Sourced, TaskService, speakers
from zoom_mcp.tasks.transcripts import hms

MEETING_ID = {
    "type": ["string", "integer"],
    "description": "meeting ID (latest instance) or a past instance's UUID",
}
DATE = {"type": "string", "format": "date", "description": "yyyy-mm-dd"}
TIME = {"type": "string", "pattern": r"^\d{1,2}:\d{2}(:\d{2})?$", "description": "offset into the recording, H:MM:SS"}


def _object(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def _lenient(properties: dict[str, Any]) -> dict[str, Any]:
    """Output schemas promise shapes, not presence: every field optional, extra fields allowed."""
    return {"type": "object", "properties": properties}


TURN = {"type": "object", "properties": {"speaker": {"type": ["string", "null"]}, "text": {"type": "string"}}}
MEETING = {"type": "object", "properties": {"uuid": {"type": "string"}, "topic": {"type": "string"}}}


Run = Callable[[TaskService, dict[str, Any]], Awaitable[tuple[dict[str, Any], str]]]


@dataclass(frozen=True)
class TaskTool:
    """A task-level tool: its MCP face (name, title, description, schemas) and what runs it."""

    name: str
    title: str
    description: str
    input_schema: dict[str, Any]
    output_schema: dict[str, Any]
    run: Run
    needs: tuple[str, ...] = ("get_meeting_recordings",)  # the catalog operations it cannot work without
    toolset: str = "recordings"
    safety: str = "read"
    search_terms: tuple[str, ...] = ()  # words people use for this task, for search_tools (not shown to the model)


# --- read_meeting_transcript ------------------------------------------------------------------------------


def _seconds(text: str | None) -> float | None:
    if not text:
        return None
    parts = [int(p) for p in text.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    return float(parts[0] * 3600 + parts[1] * 60 + parts[2])


def _cursor(file_id: str, index: int) -> str:
    return base64.urlsafe_b64encode(f"{index}|{file_id}".encode()).decode().rstrip("=")


def _from_cursor(cursor: str, file_id: str) -> int:
    try:
        index, _, owner = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().partition("|")
        if owner == file_id and int(index) >= 0:
            return int(index)
    except ValueError:
        pass
    raise NotFound("That cursor does not belong to this transcript; start again without a cursor.")


def line(p: Passage) -> str:
    return f"[{hms(p.start)}] {p.speaker + ': ' if p.speaker else ''}{p.text}"


async def read_transcript(service: TaskService, args: dict[str, Any]) -> tuple[dict[str, Any], str]:
    meeting = await service.meeting(str(args["meeting_id"]))
    source = args.get("source", "transcript")
    found = await service.passages(meeting, source)
    if found is None:
        have = ", ".join(sorted({str(f.get("file_type")) for f in meeting.files})) or "none"
        what = "transcript (TRANSCRIPT or CC file)" if source == "transcript" else "chat file (CHAT)"
        text = f"{meeting.topic} ({meeting.start_time}) has no {what}. Its recording files: {have}." + (
            f" {NO_TRANSCRIPT_HELP}" if source == "transcript" else ""
        )
        return {"meeting": meeting.head(), "source": None, "available_files": meeting.file_summary()}, text
    file, passages = found
    low, high = _seconds(args.get("from_time")), _seconds(args.get("to_time"))
    window = [p for p in passages if (low is None or p.end >= low) and (high is None or p.start <= high)]
    file_id = str(file.get("id") or file["download_url"])
    first = _from_cursor(args["cursor"], file_id) if args.get("cursor") else 0
    budget = int(args.get("max_chars", 12_000))
    page: list[Passage] = []
    used = 0
    for p in window[first:]:
        size = len(line(p)) + 1
        if page and used + size > budget:
            break
        page.append(p)
        used += size
    following = first + len(page)
    next_cursor = _cursor(file_id, following) if following < len(window) else None
    structured: dict[str, Any] = {
        "meeting": meeting.head(),
        "source": file.get("file_type"),
        "speakers": speakers(window),
        "total_turns": len(window),
        "first_turn": first,
        "turns": [{"speaker": p.speaker, "start": hms(p.start), "end": hms(p.end), "text": p.text} for p in page],
        "next_cursor": next_cursor,
    }
    talk = ", ".join(
        f"{s['name']} {s['talk_seconds'] // 60}m{s['talk_seconds'] % 60:02d}s" for s in structured["speakers"]
    )
    header = (
        f"{meeting.topic} - {meeting.start_time}, {meeting.duration} min. {file.get('file_type')} turns "
        f"{first + 1}-{following} of {len(window)}. Speakers: {talk or 'none'}."
    )
    more = f"\n(more: call again with cursor={next_cursor})" if next_cursor else ""
    return structured, header + "\n" + "\n".join(line(p) for p in page) + more


READ_TRANSCRIPT = TaskTool(
    name="read_meeting_transcript",
    title="Read a meeting's transcript",
    description=(
        "Read the text of what was said in one recorded meeting: its transcript as speaker turns with times (or, "
        "with source=chat, the in-meeting chat). Long transcripts come in pages: pass next_cursor back. "
        "from_time/to_time cut it to part of the recording."
    ),
    input_schema=_object(
        {
            "meeting_id": MEETING_ID,
            "source": {"type": "string", "enum": ["transcript", "chat"], "default": "transcript"},
            "from_time": TIME,
            "to_time": TIME,
            "max_chars": {"type": "integer", "minimum": 500, "maximum": 100_000, "default": 12_000},
            "cursor": {"type": "string", "description": "next_cursor of the previous page"},
        },
        ["meeting_id"],
    ),
    output_schema=_lenient(
        {"meeting": MEETING, "turns": {"type": "array", "items": TURN}, "next_cursor": {"type": ["string", "null"]}}
    ),
    run=read_transcript,
    search_terms=(
        "full transcript",
        "word for word",
        "text of the meeting",
        "chat log",
        "posted in the chat",
        "minutes",
    ),
)


# --- search_recordings ------------------------------------------------------------------------------------


async def search(service: TaskService, args: dict[str, Any]) -> tuple[dict[str, Any], str]:
    scope: SearchScope = service.scope(args.get("from"), args.get("to"))
    outcome = await service.search(args["query"], str(args.get("user_id") or "me"), scope, int(args.get("limit", 10)))
    hits = []
    for hit in outcome.hits:
        m = outcome.meetings[hit.uuid]
        hits.append(
            {
                "topic": m.topic,
                "date": m.start_time[:10],
                "meeting_uuid": m.uuid,
                "meeting_id": m.meeting_id,
                "speaker": hit.speaker,
                "at": hms(hit.start),
                "source": hit.kind,
                "snippet": hit.snippet,
            }
        )
    structured = {
        "query": args["query"],
        "from": scope.start.isoformat(),
        "to": scope.end.isoformat(),
        "windows": len(scope.windows),
        "range_cut": scope.cut,
        "meetings_searched": len(outcome.meetings),
        "meetings_without_transcript": outcome.without_transcript,
        "meetings_truncated": outcome.truncated,
        "meetings_not_read_yet": outcome.unread,
        "files_downloaded": outcome.downloads,
        "freshness": freshness(outcome.sourced),
        "topic_matches": [
            {"topic": m.topic, "date": m.start_time[:10], "meeting_uuid": m.uuid} for m in outcome.topic_matches
        ],
        "topic_matches_total": outcome.topics_matched,
        "hits": hits,
        "problems": outcome.failures[:10],
    }
    lines = [
        f"Searched {len(outcome.meetings)} recorded meetings from {scope.start} to {scope.end} "
        f"({len(scope.windows)} month window{'s' * (len(scope.windows) > 1)}); "
        f"{outcome.without_transcript} had no transcript."
    ]
    if scope.cut:
        lines.append(f"Range cut: {scope.cut}.")
    if outcome.unread:
        lines.append(
            f"{outcome.unread} older meetings' transcripts were not read yet (at most 500 a search): ask again to "
            "read them too, or narrow the range."
        )
    elif outcome.truncated:
        lines.append("Only the most recent meetings were searched; narrow the range for older ones.")
    lines.append(freshness_line(outcome.sourced))
    if structured["topic_matches"]:
        shown = len(structured["topic_matches"])
        best = f" (the best {shown} of {outcome.topics_matched})" if outcome.topics_matched > shown else ""
        lines.append(
            f"Topics matching{best}: " + "; ".join(f"{t['date']} {t['topic']}" for t in structured["topic_matches"])
        )
    for n, h in enumerate(hits, 1):
        who = f"{h['speaker']} " if h["speaker"] else ""
        lines.append(
            f"{n}. {h['date']} {h['topic']} [{h['meeting_uuid']}] {who}at {h['at']} ({h['source']}): {h['snippet']}"
        )
    if not hits:
        lines.append("No passage matched.")
    lines += [f"Problem: {p}" for p in structured["problems"]]
    return structured, "\n".join(lines)


def _when(epoch: float | None) -> str | None:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if epoch is not None else None


def freshness(sourced: Sourced) -> dict[str, Any]:
    """How fresh the list of meetings searched is: from the index (kept current by webhooks) or listed now."""
    return {
        "source": sourced.source,
        "zoom_list_calls": sourced.list_calls,
        "listed_from_zoom": [{"from": a, "to": b} for a, b in sourced.listed],
        "webhooks_live_since": _when(sourced.webhooks_since),
        "index_listed_at": _when(sourced.oldest_listing),
        "webhook_events_pending": sourced.pending,
    }


def freshness_line(sourced: Sourced) -> str:
    line = _freshness_line(sourced)
    if sourced.pending:
        line += (
            f" {sourced.pending} webhook event{'s' * (sourced.pending != 1)} (new recordings or transcripts) "
            "are still being downloaded: ask again in a moment to include them."
        )
    return line


def _freshness_line(sourced: Sourced) -> str:
    calls = f"{sourced.list_calls} list call{'s' * (sourced.list_calls != 1)}"
    since = _when(sourced.webhooks_since)
    if sourced.source == "index":
        return (
            f"Fresh: answered from the index with no Zoom list call; Zoom's webhooks have kept it current since "
            f"{since} (range listed {_when(sourced.oldest_listing)})."
        )
    listed = ", ".join(f"{a} to {b}" for a, b in sourced.listed)
    if sourced.source == "index+zoom":
        return f"Fresh: {listed} listed from Zoom now ({calls}); the rest from the index, current since {since}."
    if since is not None:
        return f"Listed from Zoom now ({calls}); webhooks keep this range current from here on."
    if sourced.receiving and sourced.replicas:
        return (
            f"Listed from Zoom now ({calls}); this server is one of several replicas, and Zoom sends each webhook to "
            "one of them, so searches do not rely on webhooks."
        )
    if sourced.receiving:
        return f"Listed from Zoom now ({calls}); no webhook has arrived since the server started, so none is relied on."
    return f"Listed from Zoom now ({calls})."


SEARCH = TaskTool(
    name="search_recordings",
    title="Search what was said in recorded meetings",
    description=(
        "Try first for what was said in meetings: finds who said what about a topic across a user's recorded "
        "meetings - matching passages of transcripts and chats, ranked, each with meeting, date, speaker and time, "
        "plus meetings whose topic matches. Default range: the last 30 days; longer ranges are searched month by month."
    ),
    input_schema=_object(
        {
            "query": {"type": "string", "minLength": 1, "description": 'words or a "quoted phrase"'},
            "from": DATE,
            "to": DATE,
            "user_id": {"type": "string", "default": "me", "description": "'me', a user ID or e-mail"},
            "limit": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10},
        },
        ["query"],
    ),
    output_schema=_lenient(
        {
            "hits": {"type": "array", "items": {"type": "object"}},
            "meetings_searched": {"type": "integer"},
            "meetings_without_transcript": {"type": "integer"},
        }
    ),
    run=search,
    needs=("list_user_recordings", "get_meeting_recordings"),
    search_terms=(
        "who said",
        "mentioned",
        "discussed",
        "talked about",
        "search transcripts",
        "search calls",
        "keyword",
    ),
)


# --- get_meeting_brief ------------------------------------------------------------------------------------

OPENING_TURNS = 6


async def brief(service: TaskService, args: dict[str, Any]) -> tuple[dict[str, Any], str]:
    meeting = await _recorded_or_past(service, str(args["meeting_id"]))
    host = await _host(service, meeting)
    people, people_note = await service.participants(meeting)
    summary = await service.summary(meeting)
    found = await service.passages(meeting, "transcript") if meeting.files else None
    passages = found[1] if found else []
    structured: dict[str, Any] = {
        "meeting": meeting.head(),
        "host": host,
        "participants": people,
        "participants_note": people_note,
        "files": meeting.file_summary(),
        "speakers": speakers(passages) if passages else [],
        "ai_summary": summary,
        "transcript_opening": [line(p) for p in passages[:OPENING_TURNS]],
        "has_transcript": bool(passages),
    }
    lines = [f"# {meeting.topic}", f"{meeting.start_time}, {meeting.duration} min, host {host}"]
    if people is not None:
        names = ", ".join(p["name"] for p in people[:20]) + (" ..." if len(people) > 20 else "")
        lines.append(f"Attended ({len(people)}): {names}")
    elif people_note:
        lines.append(people_note.capitalize())
    files = ", ".join(f"{f['type']} {_size(f['size_bytes'])}" for f in structured["files"]) or "no recording files"
    lines.append(f"Recording: {files}")
    if structured["speakers"]:
        lines.append(
            "Talk time: " + ", ".join(f"{s['name']} {s['talk_seconds'] // 60} min" for s in structured["speakers"])
        )
    lines.append(f"AI summary:\n{summary}" if summary else "AI summary: none for this meeting.")
    if passages:
        lines.append("Transcript opening:\n" + "\n".join(structured["transcript_opening"]))
    else:
        lines.append(f"Transcript: none. {NO_TRANSCRIPT_HELP}")
    return structured, "\n".join(lines)


async def _recorded_or_past(service: TaskService, meeting_id: str) -> Meeting:
    try:
        return await service.meeting(meeting_id)
    except NotFound as missing:
        try:  # not recorded: a past meeting still has a topic, a time and attendees
            data = await service.read("get_past_meeting", meetingId=meeting_id)
        except ZoomCallError:
            raise missing from None
        return Meeting.from_zoom({**(data or {}), "recording_files": []})


async def _host(service: TaskService, meeting: Meeting) -> str:
    """The host's name and e-mail, from the past meeting's details (the recording only has an ID)."""
    try:
        past = await service.read("get_past_meeting", meetingId=meeting.uuid or str(meeting.meeting_id))
    except ZoomCallError:
        past = None
    name = str((past or {}).get("user_name") or "")
    email = str((past or {}).get("user_email") or meeting.host_email)
    return f"{name} <{email}>" if name and email else name or email or meeting.host_id or "unknown"


def _size(size: Any) -> str:
    if not isinstance(size, int | float):
        return ""
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} KB"


BRIEF = TaskTool(
    name="get_meeting_brief",
    title="Brief of a past meeting",
    description=(
        "Try first for what a past meeting was, in one call: topic, time, host, attendees, recording files, "
        "speakers' talk time, Zoom's AI summary when there is one, and how the transcript opens."
    ),
    input_schema=_object({"meeting_id": MEETING_ID}, ["meeting_id"]),
    output_schema=_lenient({"meeting": MEETING, "ai_summary": {"type": ["string", "null"]}}),
    run=brief,
    search_terms=(
        "summarize",
        "overview",
        "what happened",
        "who talked the most",
        "talk time",
        "recap",
        "who was there",
    ),
)

TASK_TOOLS: dict[str, TaskTool] = {t.name: t for t in (SEARCH, READ_TRANSCRIPT, BRIEF)}
