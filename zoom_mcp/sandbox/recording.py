"""A meeting ends and Zoom records it, and the webhooks Zoom sends about recordings.

`finish_meeting` is what happens in Zoom when a cloud-recorded meeting ends: the recorded instance
appears with its audio, video and chat, Zoom sends `recording.completed`; the audio transcript is
ready a little later (`recording.transcript_completed`), and, with AI Companion, the summary
(`meeting.summary_completed`). Tests call it through `Sandbox.finish_meeting`; ending a live meeting
whose `settings.auto_recording` is `cloud` (`update_meeting_status`) does the same.

`event` builds a recording event's body the way Zoom's webhook reference describes it (and Zoom's
Rivet SDK types it): `payload.object` is the recording with the files the event is about, trash and
delete events name the `operator`, and completed, transcript and recovered events carry a
`download_token` at the top level, which opens that recording's files for a day without the app's
token.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from zoom_mcp.sandbox import records
from zoom_mcp.sandbox.dates import iso
from zoom_mcp.sandbox.dialogue import script
from zoom_mcp.sandbox.fixtures.history import FILES
from zoom_mcp.sandbox.fixtures.people import ATTENDEES, OWNER_EMAIL, OWNER_ID
from zoom_mcp.sandbox.records import Record

if TYPE_CHECKING:
    from zoom_mcp.sandbox.sandbox import Sandbox

WITH_TOKEN = ("recording.completed", "recording.transcript_completed", "recording.recovered")
BY_OPERATOR = ("recording.trashed", "recording.deleted", "recording.recovered")
WITH_HOST_EMAIL = ("recording.completed", "recording.transcript_completed")


def event(sandbox: Sandbox, name: str, instance: Record, files: Sequence[Record]) -> dict[str, Any]:
    """A recording event's body, about these files of the recorded instance."""
    account = sandbox.credentials.account_id
    obj: dict[str, Any] = {
        "id": instance["id"],
        "uuid": instance["uuid"],
        "host_id": instance["host_id"],
        "account_id": account,
        "topic": instance["topic"],
        "type": int(instance.get("type") or 2),
        "start_time": instance["start_time"],
        "timezone": instance.get("timezone", "UTC"),
        "duration": instance["duration"],
        "share_url": instance.get("share_url", ""),
        "total_size": instance.get("total_size", 0),
        "recording_count": instance.get("recording_count", 0),
        "recording_files": [dict(f) for f in files],
    }
    if name in WITH_HOST_EMAIL:
        host = sandbox.state.users.get(instance["host_id"]) or {}
        obj["host_email"] = host.get("email", "")
        obj["password"] = instance.get("password", "")
    payload: dict[str, Any] = {"account_id": account, "object": obj}
    if name in BY_OPERATOR:
        payload.update(operator=OWNER_EMAIL, operator_id=OWNER_ID)
    body: dict[str, Any] = {"event": name, "payload": payload, "event_ts": int(sandbox.clock.time() * 1000)}
    if name in WITH_TOKEN:
        body["download_token"] = sandbox.mint_download_token(instance["uuid"])
    return body


def summary_event(sandbox: Sandbox, summary: Record) -> dict[str, Any]:
    keys = (
        "meeting_host_id", "meeting_host_email", "meeting_uuid", "meeting_id", "meeting_topic", "meeting_start_time",
        "meeting_end_time", "summary_start_time", "summary_end_time", "summary_created_time",
        "summary_last_modified_time", "summary_title", "summary_overview", "summary_details", "next_steps",
    )  # fmt: skip
    payload = {"account_id": sandbox.credentials.account_id, "object": {k: summary[k] for k in keys if k in summary}}
    return {"event": "meeting.summary_completed", "payload": payload, "event_ts": int(sandbox.clock.time() * 1000)}


def finish_meeting(
    sandbox: Sandbox,
    topic: str,
    *,
    said: Sequence[tuple[str, str]] | None = None,
    chat: Sequence[tuple[str, str]] | None = None,
    minutes: int = 30,
    transcript: bool = True,
    summary: bool = False,
    host_id: str = OWNER_ID,
    meeting_id: int | None = None,
    uuid: str | None = None,
    started: datetime | None = None,
) -> Record:
    """End a meeting that was recorded to the cloud, now: its recorded instance, with files and events.

    `said` is what was said, (speaker, words) in order (default: a generated conversation); `chat` the
    in-meeting chat, (sender, message); `transcript=False` records no audio transcript.
    """
    state = sandbox.state
    now = sandbox.clock.now()
    start = started or now - timedelta(minutes=minutes)
    instance = records.recording(
        uuid or state.new_uuid(), meeting_id or state.new_id(), topic, start, host_id, minutes
    )  # fmt: skip
    state.recordings[instance["uuid"]] = instance
    state.recording_settings[instance["uuid"]] = records.recording_settings(topic)
    people = [p for p in ATTENDEES if p[2] == host_id] + [p for p in ATTENDEES if p[2] != host_id]
    state.participants[instance["uuid"]] = records.participants_for(instance, 3, tuple(people))
    names = tuple(dict.fromkeys([speaker for speaker, _ in said or ()] or [p[0] for p in people[:3]]))
    words = None if said is not None else script(instance["uuid"], "weekly", names, minutes)
    media = []
    end = iso(start + timedelta(minutes=minutes))
    for file_type in ("MP4", "M4A"):
        ext, recording_type, per_minute = FILES[file_type]
        size = per_minute * minutes
        media.append(records.add_recording_file(state, instance, file_type, ext, size, None, recording_type))
    lines = chat if chat is not None else ()
    chat_bytes = _chat(lines) if lines else (words.chat if words is not None else b"")
    if chat_bytes:
        ext, recording_type, _ = FILES["CHAT"]
        media.append(records.add_recording_file(state, instance, "CHAT", ext, 0, chat_bytes, recording_type))
    for f in media:
        f["recording_end"] = end
    records.refresh_totals(instance)
    sandbox.emit(event(sandbox, "recording.completed", instance, media))
    if transcript:
        vtt = _vtt(said) if said is not None else (words.vtt if words is not None else b"WEBVTT\n")
        ext, recording_type, _ = FILES["TRANSCRIPT"]
        made = records.add_recording_file(state, instance, "TRANSCRIPT", ext, 0, vtt, recording_type)
        made["recording_end"] = end
        records.refresh_totals(instance)
        sandbox.emit(event(sandbox, "recording.transcript_completed", instance, [made]))
    if summary:
        host = state.users.get(host_id) or {}
        record = records.summary(instance, host.get("email", ""), end, iso(now))
        overview = words.overview if words is not None else " ".join(text for _, text in (said or ())[:3])
        record.update(
            summary_title=f"Meeting summary for {topic}",
            summary_overview=overview,
            summary_details=[{"label": "Discussion", "summary": overview}],
            next_steps=list(words.next_steps) if words is not None else [],
        )
        state.summaries.append(record)
        sandbox.emit(summary_event(sandbox, record))
    return instance


def _vtt(said: Sequence[tuple[str, str]]) -> bytes:
    """A WebVTT transcript of these turns, five seconds each, as Zoom writes one ("Name: words")."""
    cues = [
        f"{n}\n{_stamp(5 * (n - 1) + 1)}.000 --> {_stamp(5 * n)}.000\n{speaker}: {text}"
        for n, (speaker, text) in enumerate(said, 1)
    ]
    return ("WEBVTT\n\n" + "\n\n".join(cues) + "\n").encode()


def _chat(lines: Sequence[tuple[str, str]]) -> bytes:
    """A chat file as Zoom writes one (time, tab, "Name:", tab, message), a message a minute."""
    return "".join(f"{_stamp(60 * (n + 1))}\t{sender}:\t{text}\n" for n, (sender, text) in enumerate(lines)).encode()


def _stamp(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
