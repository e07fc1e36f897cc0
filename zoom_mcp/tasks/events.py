"""Zoom's recording webhooks applied to the index: what arrived is downloaded and indexed, what went is forgotten.

    recording.completed             a cloud recording is ready: its chat (and transcript, if already there)
    recording.transcript_completed  the audio transcript is ready
    recording.recovered             files came back from the trash
    recording.trashed               files went to the trash (recoverable for 30 days)
    recording.deleted               files were deleted for good
    meeting.summary_completed       Zoom's AI summary is ready (the brief changes; nothing is indexed)

Events are verified before they get here (`transport.webhook`). Each is applied to the index of the person
it belongs to (`IndexRegistry.person_for_event`: the one index in single-user mode; under --auth oauth the
recording's host's, as that person, and to nobody's when they have no index here). Each is applied idempotently: a
duplicate changes nothing, files already indexed are not downloaded again, and an event older than
the meeting's last removal (or a removal older than its last arrival) is ignored, since Zoom does not
promise to deliver in order. Downloads carry the event's `download_token` (to Zoom's hosts only, as
every download); if Zoom refuses it, the app's own token is tried once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from zoom_mcp.client.people import Person, acting_as
from zoom_mcp.errors import TranscriptError, ZoomCallError
from zoom_mcp.tasks.indexes import DEFAULT, IndexRegistry
from zoom_mcp.tasks.service import KINDS, Meeting, TaskService, file_key

log = logging.getLogger(__name__)

ADDED = ("recording.completed", "recording.transcript_completed", "recording.recovered")
REMOVED = ("recording.trashed", "recording.deleted")
SUMMARY = "meeting.summary_completed"
EVENTS = (*ADDED, *REMOVED, SUMMARY)


@dataclass
class Change:
    """What an event changed, for the sessions that subscribed: which meetings, and whether the list of
    recordings did (a meeting's recording came or went, or its transcript did)."""

    meetings: set[tuple[str, int | None]] = field(default_factory=set)  # (UUID, meeting ID)
    list_changed: bool = False
    briefs_only: bool = False  # only the brief changed (an AI summary), not the transcript
    person: str = DEFAULT  # whose meetings they are (under --auth oauth only their sessions are told)

    def __bool__(self) -> bool:
        return bool(self.meetings) or self.list_changed


class RecordingEvents:
    """Applies verified recording events to the task service's index."""

    def __init__(self, service: TaskService, indexes: IndexRegistry | None = None) -> None:
        self.service = service
        self.indexes = indexes
        self.applied = 0  # events that changed something
        self.failures: list[str] = []  # downloads that failed (a later search tries them again)

    async def apply(self, event: dict[str, Any]) -> Change:
        person = self.indexes.person_for_event(event) if self.indexes is not None else DEFAULT
        if person is None:
            return Change()  # under --auth oauth, a host who has no index here: nobody here is told
        if person == DEFAULT:
            return await self._apply(event)
        with acting_as(Person(person)):  # their index, and their Zoom grant if a download needs the app's token
            change = await self._apply(event)
        change.person = person
        return change

    async def _apply(self, event: dict[str, Any]) -> Change:
        name = str(event.get("event") or "")
        payload = _dict(event.get("payload"))
        obj = _dict(payload.get("object"))
        stamp = _int(event.get("event_ts")) or self.service.now_ms()
        if name == SUMMARY:
            uuid = str(obj.get("meeting_uuid") or "")
            if not uuid:
                return Change()
            return Change({(uuid, _int(obj.get("meeting_id")))}, briefs_only=True)
        if not obj.get("uuid") or name not in (*ADDED, *REMOVED):
            return Change()
        meeting = Meeting.from_zoom(obj)
        change = await (self._added(meeting, event, stamp) if name in ADDED else self._removed(meeting, stamp))
        self.applied += bool(change)
        return change

    async def _added(self, meeting: Meeting, event: dict[str, Any], stamp: int) -> Change:
        index = self.service.index
        if index.gone_at(meeting.uuid) > stamp:
            return Change()  # trashed or deleted after this event was sent
        if event.get("event") == "recording.recovered":
            index.clear_gone(meeting.uuid)
        known = {file_key(f): f for f in index.files_of(meeting.uuid)}
        had = index.meeting(meeting.uuid)
        for f in meeting.files:  # an event may describe only some files (the transcript): keep the others
            known[file_key(f)] = f
        merged = Meeting(
            meeting.uuid, meeting.meeting_id, meeting.topic, meeting.start_time, meeting.duration,
            meeting.host_id, meeting.host_email, list(known.values()),
        )  # fmt: skip
        changed = merged.remember(index, event_ts=stamp)
        token = str(event.get("download_token") or "") or None
        for kind in KINDS:
            if merged.wanted(kind) is None:
                continue
            changed |= await self._index(merged, kind, token, stamp)
        was = (had.transcript_file, had.chat_file) if had else None
        now = index.meeting(meeting.uuid)
        listed = had is None or was != ((now.transcript_file, now.chat_file) if now else None)
        return Change({(meeting.uuid, meeting.meeting_id)}, list_changed=listed) if changed else Change()

    async def _index(self, meeting: Meeting, kind: str, token: str | None, stamp: int) -> bool:
        """Download and index one file of the meeting; True when it was new."""
        wanted = meeting.wanted(kind)
        if wanted is None or self.service.index.has_file(file_key(wanted)):
            return False
        for attempt in (token, None) if token else (None,):
            try:
                await self.service.passages(meeting, kind, token=attempt, event_ts=stamp)
                return self.service.index.has_file(file_key(wanted))
            except ZoomCallError as exc:
                if attempt is not None:
                    log.info("webhook: the %s download with the event's token failed (%s); trying the app's", kind, exc)
                    continue
                self.failures.append(f"{meeting.topic} ({meeting.start_time[:10]}) {kind}: {exc}")
                log.warning("webhook: could not index the %s of %s: %s", kind, meeting.uuid, exc)
            except TranscriptError as exc:
                self.failures.append(f"{meeting.topic} ({meeting.start_time[:10]}) {kind}: {exc}")
                log.warning("webhook: the %s of %s is unreadable: %s", kind, meeting.uuid, exc)
                break
        return False

    async def _removed(self, meeting: Meeting, stamp: int) -> Change:
        index = self.service.index
        if index.event_ts(meeting.uuid) > stamp:
            return Change()  # it arrived (or came back) after this event was sent
        known = index.files_of(meeting.uuid)
        named = {file_key(f) for f in meeting.files}
        remaining = [f for f in known if file_key(f) not in named] if named else []
        if remaining:  # some files went: forget those, keep the meeting
            had = index.meeting(meeting.uuid)
            index.forget_files(named)
            kept = Meeting(
                meeting.uuid, meeting.meeting_id, meeting.topic, meeting.start_time, meeting.duration,
                meeting.host_id, meeting.host_email, remaining,
            )  # fmt: skip
            kept.remember(index, event_ts=stamp)
            now = index.meeting(meeting.uuid)
            listed = (
                had is not None
                and now is not None
                and (had.transcript_file, had.chat_file)
                != (
                    now.transcript_file,
                    now.chat_file,
                )
            )
            return Change({(meeting.uuid, meeting.meeting_id)}, list_changed=listed)
        already = index.gone_at(meeting.uuid) >= stamp  # this very removal was applied before
        index.mark_gone(meeting.uuid, stamp)
        if index.forget_meeting(meeting.uuid) or not already:
            return Change({(meeting.uuid, meeting.meeting_id)}, list_changed=True)
        return Change()


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
