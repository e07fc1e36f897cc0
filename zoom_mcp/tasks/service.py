"""Answers about meetings and their recordings, built from catalog operations over the shared client.

Every Zoom request is a catalog operation sent with `ZoomClient.call` (arguments checked against
the operation's schema, then serialized) or `ZoomClient.paginate`, so validation, pacing, retries,
auth and path encoding are the endpoint tools' own; files come through `ZoomClient.download`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

import anyio

from zoom_mcp.api import Catalog, windows
from zoom_mcp.client import ZoomClient
from zoom_mcp.client.paginate import HARD_CAP
from zoom_mcp.client.people import acting
from zoom_mcp.clock import SYSTEM_CLOCK, Clock
from zoom_mcp.errors import NotFound, TranscriptError, ZoomAPIError, ZoomCallError
from zoom_mcp.tasks.freshness import CATCH_UP, Freshness, Span, uncovered
from zoom_mcp.tasks.index import Hit, MeetingRow, Passage, TranscriptIndex
from zoom_mcp.tasks.indexes import DEFAULT, IndexRegistry
from zoom_mcp.tasks.transcripts import parse_chat, parse_transcript

log = logging.getLogger(__name__)

TRANSCRIPT_TYPES = ("TRANSCRIPT", "CC")  # Zoom's transcript, else its closed captions
CHAT_TYPE = "CHAT"
DEFAULT_DAYS = 30
MAX_WINDOWS = 12  # a year of month windows per search; longer ranges are cut, and the answer says so
MAX_MEETINGS = 500  # meetings whose files one search downloads (newest first); later searches read the rest
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

    @classmethod
    def from_row(cls, row: MeetingRow, files: list[dict[str, Any]]) -> Meeting:
        return cls(row.uuid, row.meeting_id, row.topic, row.start_time, row.duration, row.host_id, "", files)

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

    def wanted(self, kind: str) -> dict[str, Any] | None:
        """The file a search reads for `kind`: the transcript (TRANSCRIPT, else CC) or the chat."""
        return self.file(*TRANSCRIPT_TYPES) if kind == "transcript" else self.file(CHAT_TYPE)

    def remember(self, index: TranscriptIndex, event_ts: int | None = None) -> bool:
        """Record this meeting and its files in the index; True when that changed anything."""
        transcript, chat = (self.wanted(kind) for kind in KINDS)
        return index.add_meeting(
            self.uuid,
            self.meeting_id,
            self.topic,
            self.start_time,
            self.duration,
            self.host_id,
            files=[_without_secrets(f) for f in self.files],
            transcript_file=file_key(transcript) if transcript else None,
            chat_file=file_key(chat) if chat else None,
            event_ts=event_ts,
        )

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


@dataclass(frozen=True)
class Sourced:
    """Where a search's list of meetings came from, and how fresh it is (times in epoch seconds)."""

    source: Literal["zoom", "index", "index+zoom"]
    listed: list[tuple[str, str]]  # the ranges listed from Zoom now (none: all from the index)
    list_calls: int  # list requests sent to Zoom (pages of every window)
    webhooks_since: float | None  # webhooks have kept the index current since then (None: not live)
    oldest_listing: float | None  # the oldest listing the index answered for (index sources)
    receiving: bool  # a webhook receiver is configured
    replicas: bool  # ... on one of several replicas, so searches do not rely on it
    pending: int = 0  # accepted webhook events still being applied when the search answered (after CATCH_UP)


@dataclass
class Found:
    """The recorded meetings of a user in a scope, as the index knows them once Zoom was asked as needed."""

    rows: list[MeetingRow]
    sourced: Sourced
    truncated: bool  # Zoom had more meetings in the range than one listing holds


@dataclass
class SearchOutcome:
    hits: list[Hit]
    topic_matches: list[MeetingRow]  # the best of them (index.TOPICS)
    topics_matched: int  # how many meetings' topics match in all
    meetings: dict[str, MeetingRow]
    scope: SearchScope
    without_transcript: int
    downloads: int
    failures: list[str]
    truncated: bool
    sourced: Sourced
    unread: int = 0  # meetings whose transcript or chat is left for a later search (over MAX_MEETINGS)


class TaskService:
    """What the task-level tools, resources and prompts answer with: meetings, transcripts, search."""

    def __init__(
        self,
        catalog: Catalog,
        client: ZoomClient,
        index: TranscriptIndex | IndexRegistry | None = None,
        clock: Clock = SYSTEM_CLOCK,
        freshness: Freshness | None = None,
    ) -> None:
        self.catalog = catalog
        self.client = client
        self.indexes = index if isinstance(index, IndexRegistry) else None
        self._index = index if isinstance(index, TranscriptIndex) else None
        if self.indexes is None and self._index is None:
            self._index = TranscriptIndex()
        self.clock = clock
        self.freshness = freshness or Freshness()
        self.downloads = 0  # files fetched since start: what "a second search downloads nothing" is measured by
        self.list_calls = 0  # list requests sent to Zoom since start

    def index_for(self, person: str) -> TranscriptIndex:
        """The transcript index of this person (a Zoom user ID; "" in single-user mode): the one place that
        chooses an index, so what was indexed for one person is never searched or read for another."""
        if self.indexes is not None:
            return self.indexes.for_person(person)
        assert self._index is not None
        return self._index

    @property
    def index(self) -> TranscriptIndex:
        """The index of the person acting."""
        person = acting()
        return self.index_for(person.id if person is not None else DEFAULT)

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

    async def passages(
        self, meeting: Meeting, kind: str, *, token: str | None = None, event_ts: int | None = None
    ) -> tuple[dict[str, Any], list[Passage]] | None:
        """The transcript (or chat) of a meeting as passages: from the index, else downloaded once.

        `token` is a webhook's `download_token` (the download then carries it instead of the app's token);
        a meeting a webhook trashed or deleted after `event_ts` (ms) is not indexed again.
        """
        found = meeting.wanted(kind)
        if found is None:
            return None
        file_id = file_key(found)
        cached = self.index.passages(file_id)
        if cached is not None:
            return found, cached
        raw = await self.client.download(str(found["download_url"]), token=token)
        self.downloads += 1
        if kind == "transcript":
            passages = [Passage(t.speaker, t.start, t.end, t.text) for t in parse_transcript(raw)]
        else:
            passages = [Passage(m.sender, m.time, m.time, m.text) for m in parse_chat(raw)]
        if self.index.gone_at(meeting.uuid) > (event_ts if event_ts is not None else self.now_ms()):
            return found, passages  # trashed or deleted while it downloaded: answer, but keep nothing
        meeting.remember(self.index)
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

    async def recorded_meetings(self, user: str, windows: list[tuple[str, str]]) -> tuple[list[Meeting], bool, int]:
        """Every recorded meeting of `user` in these windows (pages followed), newest first; whether Zoom had
        more than one listing holds; how many list requests it took."""
        op = self.catalog.get("list_user_recordings")
        assert op is not None
        first, last = windows[0][0], windows[-1][1]
        arguments = {"userId": user, "from": first, "to": last, "page_size": MAX_PAGE_SIZE}
        _, response = await self.client.paginate(op, arguments, windows=windows, max_records=HARD_CAP)
        data = response.data or {}
        note = data.get("pagination") or {}
        calls = int(note.get("pages") or len(windows))
        self.list_calls += calls
        found: dict[str, Meeting] = {}
        for item in data.get("meetings") or []:
            if isinstance(item, dict) and item.get("uuid"):
                found.setdefault(str(item["uuid"]), Meeting.from_zoom(item))
        meetings = sorted(found.values(), key=lambda m: m.start_time, reverse=True)
        return meetings, bool(note.get("truncated")), calls

    async def meetings_in(self, user: str, scope: SearchScope) -> Found:
        """The user's recorded meetings in the scope: from the index for days that webhooks keep complete,
        listed from Zoom for the others (and then remembered, so the next search of them need not list)."""
        first, last = scope.windows[0][0], scope.windows[-1][1]
        pending = await self.catch_up() if self.freshness.since(self.clock.time()) is not None else 0
        now = self.clock.time()
        since = self.freshness.since(now)
        host = self.index.host_of(user)
        listings = self.index.listings(user, since) if since is not None and host is not None else []
        gaps = uncovered(date.fromisoformat(first), date.fromisoformat(last), listings) if listings else None
        if gaps is None:
            gaps = [(date.fromisoformat(first), date.fromisoformat(last))]
        listed: list[tuple[str, str]] = []
        calls = 0
        truncated = False
        listed_uuids: list[str] = []
        if gaps:
            windows = [w for gap in gaps for w in self._windows(gap)]
            meetings, truncated, calls = await self.recorded_meetings(user, windows)
            stamp = int(now * 1000)
            for m in meetings:
                if self.index.gone_at(m.uuid) > stamp:
                    continue  # trashed or deleted by a webhook while the listing was under way
                self.index.clear_gone(m.uuid)
                m.remember(self.index)
                listed_uuids.append(m.uuid)
            hosts = {m.host_id for m in meetings if m.host_id}
            if len(hosts) == 1:
                host = hosts.pop()
                self.index.set_host(user, host)
            listed = [(a.isoformat(), b.isoformat()) for a, b in gaps]
            if not truncated and host is not None:
                for a, b in listed:
                    self.index.forget_others(host, a, b, listed_uuids)  # gone from Zoom since an earlier listing
                if since is not None:
                    self.index.prune_listings(before=since)  # made before webhooks were live: no longer relied on
                    for a, b in listed:
                        self.index.record_listing(user, a, b, now)
        if host is not None and not truncated:
            rows = self.index.meetings_between(host, first, last)
        else:
            rows = self.index.rows(listed_uuids)
        source: Literal["zoom", "index", "index+zoom"] = (
            "index" if not listed else "zoom" if len(listed) == 1 and listed[0] == (first, last) else "index+zoom"
        )
        sourced = Sourced(
            source,
            listed,
            calls,
            since,
            min((entry.listed_at for entry in listings), default=None) if source != "zoom" else None,
            self.freshness.receiving,
            self.freshness.replicas,
            pending,
        )
        return Found(rows, sourced, truncated)

    async def catch_up(self) -> int:
        """Let the webhook events Zoom was already answered for reach the index (at most CATCH_UP seconds), so
        a recording announced before this search is in it; how many are still being applied."""
        backlog = self.freshness.backlog
        if backlog is None or not backlog.unapplied:
            return 0
        with anyio.move_on_after(CATCH_UP):
            await backlog.applied()
        return backlog.unapplied

    def _windows(self, gap: Span) -> list[tuple[str, str]]:
        """Zoom's one-month windows for a span of days."""
        op = self.catalog.get("list_user_recordings")
        assert op is not None
        a, b = gap[0].isoformat(), gap[1].isoformat()
        return windows.split(op, {"from": a, "to": b}, self.clock.today()) or [(a, b)]

    async def search(self, query: str, user: str, scope: SearchScope, limit: int) -> SearchOutcome:
        found = await self.meetings_in(user, scope)
        by_uuid = {row.uuid: row for row in found.rows}
        uuids = list(by_uuid)
        before = self.downloads
        failures: list[str] = []
        unread = self.index.unread(uuids)
        waiting = list(dict.fromkeys(uuid for uuid, _, _ in unread))
        chosen = set(waiting[:MAX_MEETINGS])
        limiter = anyio.CapacityLimiter(DOWNLOADS_AT_ONCE)

        async def load(uuid: str, kinds: list[str]) -> None:
            row = by_uuid[uuid]
            meeting = Meeting.from_row(row, self.index.files_of(uuid))
            async with limiter:
                for kind in kinds:
                    try:
                        await self.passages(meeting, kind)
                    except (ZoomCallError, TranscriptError) as exc:
                        failures.append(f"{row.topic} ({row.start_time[:10]}) {kind}: {exc}")

        kinds: dict[str, list[str]] = {}
        for uuid, kind, _ in unread:
            if uuid in chosen:
                kinds.setdefault(uuid, []).append(kind)
        async with anyio.create_task_group() as group:
            for uuid, wanted in kinds.items():
                group.start_soon(load, uuid, wanted)
        topics, matched = self.index.topic_matches(query, uuids)
        return SearchOutcome(
            hits=self.index.search(query, uuids, limit),
            topic_matches=[by_uuid[u] for u in topics],
            topics_matched=matched,
            meetings=by_uuid,
            scope=scope,
            without_transcript=sum(1 for row in found.rows if row.transcript_file is None),
            downloads=self.downloads - before,
            failures=failures,
            truncated=found.truncated or len(waiting) > MAX_MEETINGS,
            sourced=found.sourced,
            unread=max(0, len(waiting) - MAX_MEETINGS),
        )

    def now_ms(self) -> int:
        return int(self.clock.time() * 1000)

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


KINDS = ("transcript", "chat")
SECRET_FIELDS = ("download_token", "access_token", "password", "recording_play_passcode")


def file_key(recording_file: dict[str, Any]) -> str:
    """The index's key for a recording file: Zoom's file ID (its URL when it has none)."""
    return str(recording_file.get("id") or recording_file["download_url"])


def _without_secrets(recording_file: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in recording_file.items() if k not in SECRET_FIELDS}


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
