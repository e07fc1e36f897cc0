"""Answers about meetings and their recordings, built from catalog operations over the shared client.

Every Zoom request is a catalog operation sent with `ZoomClient.call` (arguments checked against
the operation's schema, then serialized) or `ZoomClient.paginate`, so validation, pacing, retries,
auth and path encoding are the endpoint tools' own; files come through `ZoomClient.download`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import anyio

from zoom_mcp.api import Catalog, windows
from zoom_mcp.client import ZoomClient
from zoom_mcp.client.paginate import HARD_CAP
from zoom_mcp.client.people import acting
from zoom_mcp.clock import SYSTEM_CLOCK, Clock
from zoom_mcp.errors import NotFound, TranscriptError, ZoomAPIError, ZoomCallError
from zoom_mcp.tasks.index import Hit, Indexes, Passage, TranscriptIndex
from zoom_mcp.tasks.transcripts import parse_chat, parse_transcript

log = logging.getLogger(__name__)

TRANSCRIPT_TYPES = ("TRANSCRIPT", "CC")  # Zoom's transcript, else its closed captions
CHAT_TYPE = "CHAT"
DEFAULT_DAYS = 30
MAX_WINDOWS = 12  # a year of month windows per search; longer ranges are cut, and the answer says so
MAX_MEETINGS = 500  # meetings indexed per search
DOWNLOADS_AT_ONCE = 4
MAX_PAGE_SIZE = 300
NO_TRANSCRIPT_HELP = (
    "Transcripts exist only for cloud recordings made with audio transcription turned on "
    "(Zoom web settings: Recording > Cloud recording > Create audio transcript)."
)


@dataclass
class Meeting:
    """One recorded meeting instance, as much as a person asks about."""

    uuid: str
    meeting_id: int | None
    topic: str
    start_time: str
    duration: int | None
    host_id: str
    host_email: str
    files: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_zoom(cls, data: dict[str, Any]) -> Meeting:
        return cls(
            uuid=str(data.get("uuid") or ""),
            meeting_id=_int(data.get("id")),
            topic=str(data.get("topic") or ""),
            start_time=str(data.get("start_time") or ""),
            duration=_int(data.get("duration")),
            host_id=str(data.get("host_id") or ""),
            host_email=str(data.get("host_email") or ""),
            files=[f for f in data.get("recording_files") or [] if isinstance(f, dict)],
        )

    def file(self, *types: str) -> dict[str, Any] | None:
        """The first completed file of the first type present, in the order given."""
        for wanted in types:
            for f in self.files:
                if (
                    f.get("file_type") == wanted
                    and f.get("download_url")
                    and f.get("status", "completed") == "completed"
                ):
                    return f
        return None

    def head(self) -> dict[str, Any]:
        return {
            "uuid": self.uuid,
            "meeting_id": self.meeting_id,
            "topic": self.topic,
            "start_time": self.start_time,
            "duration_minutes": self.duration,
        }

    def file_summary(self) -> list[dict[str, Any]]:
        return [
            {"type": f.get("file_type"), "size_bytes": f.get("file_size"), "recording_type": f.get("recording_type")}
            for f in self.files
        ]


@dataclass(frozen=True)
class SearchScope:
    start: date
    end: date
    windows: list[tuple[str, str]]
    cut: str | None  # why the range was shortened, when it was


@dataclass
class SearchOutcome:
    hits: list[Hit]
    topic_matches: list[Meeting]
    meetings: dict[str, Meeting]
    scope: SearchScope
    without_transcript: int
    downloads: int
    failures: list[str]
    truncated: bool


class TaskService:
    """What the task-level tools, resources and prompts answer with: meetings, transcripts, search."""

    def __init__(
        self,
        catalog: Catalog,
        client: ZoomClient,
        index: TranscriptIndex | Indexes | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.catalog = catalog
        self.client = client
        self.indexes = index if isinstance(index, Indexes) else None
        self._index = index if isinstance(index, TranscriptIndex) else None
        if self.indexes is None and self._index is None:
            self._index = TranscriptIndex()
        self.clock = clock
        self.downloads = 0  # files fetched since start: what "a second search downloads nothing" is measured by

    def index_for(self, person: str) -> TranscriptIndex:
        """The transcript index of this person (a Zoom user ID; "" in single-user mode): the one place that
        chooses an index, so what was indexed for one person is never searched or read for another."""
        if self.indexes is not None:
            return self.indexes.of(person)
        assert self._index is not None
        return self._index

    @property
    def index(self) -> TranscriptIndex:
        """The index of the person acting."""
        person = acting()
        return self.index_for(person.id if person is not None else "")

    async def read(self, tool: str, **arguments: Any) -> Any:
        """The answer of one catalog read, its arguments checked like a tool call's."""
        op = self.catalog.get(tool)
        assert op is not None, tool
        return (await self.client.call(op, arguments)).data

    async def meeting(self, meeting_id: str) -> Meeting:
        """A meeting's recording (a UUID names one instance; a numeric ID means its latest)."""
        try:
            data = await self.read("get_meeting_recordings", meetingId=str(meeting_id))
        except ZoomAPIError as exc:
            if exc.status == 404:
                raise NotFound(
                    f"Meeting {meeting_id} has no cloud recording that this account can see ({exc.message})."
                ) from exc
            raise
        return Meeting.from_zoom(data or {})

    async def passages(self, meeting: Meeting, kind: str) -> tuple[dict[str, Any], list[Passage]] | None:
        """The transcript (or chat) of a meeting as passages: from the index, else downloaded once."""
        found = meeting.file(*TRANSCRIPT_TYPES) if kind == "transcript" else meeting.file(CHAT_TYPE)
        if found is None:
            return None
        file_id = str(found.get("id") or found["download_url"])
        cached = self.index.passages(file_id)
        if cached is not None:
            return found, cached
        raw = await self.client.download(str(found["download_url"]))
        self.downloads += 1
        if kind == "transcript":
            passages = [Passage(t.speaker, t.start, t.end, t.text) for t in parse_transcript(raw)]
        else:
            passages = [Passage(m.sender, m.time, m.time, m.text) for m in parse_chat(raw)]
        self.index.add_meeting(
            meeting.uuid, meeting.meeting_id, meeting.topic, meeting.start_time, meeting.duration, meeting.host_id
        )
        self.index.add_file(file_id, meeting.uuid, kind, passages)
        return found, passages

    # --- search ---------------------------------------------------------------------------------------------

    def scope(self, start: str | None, end: str | None) -> SearchScope:
        """The date range a search covers (default: the last 30 days) in Zoom's one-month windows."""
        today = self.clock.today()
        last = date.fromisoformat(end) if end else today
        first = date.fromisoformat(start) if start else last - timedelta(days=DEFAULT_DAYS)
        if first > last:
            raise NotFound(f"The range is reversed: from {first} is after to {last}.")
        op = self.catalog.get("list_user_recordings")
        assert op is not None
        spans = windows.split(op, {"from": first.isoformat(), "to": last.isoformat()}, today)
        cuts = spans or [(first.isoformat(), last.isoformat())]
        cut = None
        if len(cuts) > MAX_WINDOWS:
            cuts = cuts[-MAX_WINDOWS:]
            cut = f"searched only the last {MAX_WINDOWS} months, from {cuts[0][0]}; ask for earlier months separately"
            first = date.fromisoformat(cuts[0][0])
        return SearchScope(first, last, cuts, cut)

    async def recorded_meetings(self, user: str, scope: SearchScope) -> tuple[list[Meeting], bool]:
        """Every recorded meeting of `user` in the scope's windows (pages followed), newest first."""
        op = self.catalog.get("list_user_recordings")
        assert op is not None
        first, last = scope.windows[0][0], scope.windows[-1][1]
        arguments = {"userId": user, "from": first, "to": last, "page_size": MAX_PAGE_SIZE}
        _, response = await self.client.paginate(op, arguments, windows=scope.windows, max_records=HARD_CAP)
        found: dict[str, Meeting] = {}
        truncated = False
        for item in (response.data or {}).get("meetings") or []:
            if isinstance(item, dict) and item.get("uuid"):
                found.setdefault(str(item["uuid"]), Meeting.from_zoom(item))
        meetings = sorted(found.values(), key=lambda m: m.start_time, reverse=True)
        if len(meetings) > MAX_MEETINGS:
            meetings, truncated = meetings[:MAX_MEETINGS], True
        return meetings, truncated

    async def search(self, query: str, user: str, scope: SearchScope, limit: int) -> SearchOutcome:
        meetings, truncated = await self.recorded_meetings(user, scope)
        before = self.downloads
        failures: list[str] = []
        limiter = anyio.CapacityLimiter(DOWNLOADS_AT_ONCE)

        async def load(meeting: Meeting) -> None:
            self.index.add_meeting(
                meeting.uuid, meeting.meeting_id, meeting.topic, meeting.start_time, meeting.duration, meeting.host_id
            )
            async with limiter:
                for kind in ("transcript", "chat"):
                    try:
                        await self.passages(meeting, kind)
                    except (ZoomCallError, TranscriptError) as exc:
                        failures.append(f"{meeting.topic} ({meeting.start_time[:10]}) {kind}: {exc}")

        async with anyio.create_task_group() as group:
            for meeting in meetings:
                group.start_soon(load, meeting)
        by_uuid = {m.uuid: m for m in meetings}
        uuids = list(by_uuid)
        return SearchOutcome(
            hits=self.index.search(query, uuids, limit),
            topic_matches=[by_uuid[u] for u in self.index.topic_matches(query, uuids)],
            meetings=by_uuid,
            scope=scope,
            without_transcript=sum(1 for m in meetings if m.file(*TRANSCRIPT_TYPES) is None),
            downloads=self.downloads - before,
            failures=failures,
            truncated=truncated,
        )

    # --- brief ----------------------------------------------------------------------------------------------

    async def participants(self, meeting: Meeting) -> tuple[list[dict[str, Any]] | None, str | None]:
        """Who attended (unique by name or e-mail), or None with the reason Zoom gave."""
        try:
            data = await self.read("list_past_meeting_participants", meetingId=meeting.uuid, page_size=MAX_PAGE_SIZE)
        except ZoomAPIError as exc:
            return None, f"participants not available: {exc.message}"
        people: dict[str, dict[str, Any]] = {}
        for p in (data or {}).get("participants") or []:
            if not isinstance(p, dict):
                continue
            key = str(p.get("user_email") or p.get("name") or p.get("id") or "")
            entry = people.setdefault(key, {"name": p.get("name") or key, "email": p.get("user_email") or None})
            entry["minutes"] = entry.get("minutes", 0) + round((_int(p.get("duration")) or 0) / 60)
        return list(people.values()), None

    async def summary(self, meeting: Meeting) -> str | None:
        """Zoom's AI Companion summary as text, or None when the meeting has none."""
        try:
            data = await self.read("get_meeting_summary", meetingId=meeting.uuid)
        except ZoomAPIError:
            return None
        if not isinstance(data, dict):
            return None
        if data.get("summary_content"):
            return str(data["summary_content"])
        parts = [str(data.get("summary_overview") or "")]
        parts += [f"- {d.get('label')}: {d.get('summary')}" for d in data.get("summary_details") or [] if d]
        parts += [f"Next step: {step}" for step in data.get("next_steps") or []]
        text = "\n".join(p for p in parts if p)
        return text or None


def speakers(passages: list[Passage]) -> list[dict[str, Any]]:
    """Talk time per speaker, most first."""
    totals: dict[str, list[float]] = {}
    for p in passages:
        entry = totals.setdefault(p.speaker or "(unnamed)", [0.0, 0])
        entry[0] += max(0.0, p.end - p.start)
        entry[1] += 1
    ranked = sorted(totals.items(), key=lambda item: -item[1][0])
    return [{"name": name, "talk_seconds": round(t), "turns": int(n)} for name, (t, n) in ranked]


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
