"""Plant the fixtures in a `State`: the seeded account as of the clock's moment, and its history.

The account's times are relative to the clock's moment (`fixtures.account`: days ago, hour). The
history's meetings fall on whole days back from the clock's date, so it is built once per date
(sandboxes are made by the thousand) and each sandbox gets its own copy of the dicts, sharing
the immutable bytes.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from zoom_mcp.clock import Clock
from zoom_mcp.sandbox import records
from zoom_mcp.sandbox.dates import days_ago, iso, midnight, parse_time
from zoom_mcp.sandbox.dialogue import script
from zoom_mcp.sandbox.fixtures import account as a
from zoom_mcp.sandbox.fixtures import history as h
from zoom_mcp.sandbox.fixtures.people import ATTENDEES, OWNER_EMAIL, OWNER_ID, SAM_ID, USERS
from zoom_mcp.sandbox.records import Person
from zoom_mcp.sandbox.state import State


def seed(
    state: State,
    clock: Clock,
    *,
    extra_meetings: int = 0,
    extra_days: int | None = None,
    extra_minutes: int | None = None,
) -> None:
    """The seeded account and its history; `extra_meetings` adds that many more transcribed meetings, over the
    history's days or `extra_days` back, each `extra_minutes` long (an hour or more is talked through densely)."""
    now = clock.now()
    state.users.update((user_id, records.user(user_id, *rest)) for user_id, *rest in USERS)
    _meetings(state, now)
    _recordings(state, now)
    _devices(state, now)
    _webinar(state, now)
    _settings(state)
    add_history(state, clock.today(), extra=(extra_meetings, extra_days, extra_minutes))


def _at(now: datetime, when: tuple[float, int | None]) -> datetime:
    """A fixture's `(days ago, hour)` as a moment relative to `now`."""
    days, hour = when
    return days_ago(now, days, hour=hour)


def _meetings(state: State, now: datetime) -> None:
    owner = state.users[OWNER_ID]
    for meeting_id, when, fields in a.MEETINGS:
        state.meetings[meeting_id] = records.meeting(
            state, meeting_id, owner, {**_copy(fields), "start_time": iso(_at(now, when))}, now
        )
    live: dict[str, Any] = a.LIVE_MEETING
    state.live[live["id"]] = {
        "topic": live["topic"],
        "messages": {mid: {"message_id": mid, "message_content": text} for mid, text in live["messages"]},
        "events": [],
    }
    workshop = state.meetings[a.WORKSHOP_MEETING_ID]
    created = iso(days_ago(now, 1))
    state.registrants[a.WORKSHOP_MEETING_ID] = [
        {
            "id": a.WORKSHOP_MEETING_ID,
            "registrant_id": rid,
            "email": email,
            "first_name": first,
            "last_name": last,
            "org": org,
            "status": status,
            "create_time": created,
            "join_url": f"https://zoom.us/w/{a.WORKSHOP_MEETING_ID}?tk={rid}",
            "participant_pin_code": a.WORKSHOP_PIN_BASE + i,
            "topic": workshop["topic"],
            "start_time": workshop["start_time"],
            "occurrences": [],
        }
        for i, (rid, email, first, last, org, status) in enumerate(a.WORKSHOP_REGISTRANTS)
    ]
    state.polls.update(_copy(a.MEETING_POLLS))
    state.registration_questions.update(_copy(a.REGISTRATION_QUESTIONS))
    state.surveys.update(_copy(a.SURVEYS))
    state.templates.update(_copy(a.MEETING_TEMPLATES))
    for meeting_id, apps in _copy(a.OPEN_APPS).items():
        start = state.meetings[meeting_id].get("start_time")
        state.open_apps[meeting_id] = [{**app, "start_time": start} if start else app for app in apps]


def _recordings(state: State, now: datetime) -> None:
    for uuid, meeting_id, topic, when, host_id, minutes, files in a.RECORDINGS:
        start = _at(now, when)
        if uuid == a.BUDGET_UUID:  # "earlier today" even in a day's first 72 minutes: today has a meeting
            start = max(start, midnight(now))
        instance = state.recordings[uuid] = records.recording(uuid, meeting_id, topic, start, host_id, minutes)
        for file_type, ext, size, text, recording_type in files:
            content = text.encode() if text is not None else None
            records.add_recording_file(state, instance, file_type, ext, size, content, recording_type)
    for instance in state.recordings.values():
        records.refresh_totals(instance)
        state.recording_settings[instance["uuid"]] = records.recording_settings(instance["topic"])
    for meeting_id, registrants in a.RECORDING_REGISTRANTS.items():
        state.recording_registrants[meeting_id] = [
            {**_copy(person), "create_time": iso(days_ago(now, days))} for days, person in registrants
        ]
    for i, instance in enumerate(sorted(state.recordings.values(), key=lambda r: r["start_time"])):
        state.participants[instance["uuid"]] = records.participants_for(instance, 2 + i % 3, ATTENDEES)
    for uuid, (overview, steps) in a.SUMMARIES.items():
        instance = state.recordings[uuid]
        end = iso(parse_time(instance["start_time"]) + timedelta(minutes=instance["duration"]))
        summary = records.summary(instance, OWNER_EMAIL, end, instance["start_time"])
        summary.update(
            summary_title=f"Meeting summary for {instance['topic']}",
            summary_overview=overview,
            summary_details=[{"label": "Decisions", "summary": overview}],
            next_steps=list(steps),
        )
        state.summaries.append(summary)
    state.past_qa.update(_copy(a.PAST_QA))
    for uuid, rows in _copy(a.PAST_POLLS).items():
        for row in rows:
            for detail in row["question_details"]:
                detail["date_time"] = state.recordings[uuid]["start_time"]
        state.past_polls[uuid] = rows
    for uuid, archive in _copy(a.ARCHIVES).items():
        instance = state.recordings[uuid]
        start = instance["start_time"]
        left = iso(parse_time(start) + timedelta(minutes=archive["duration"]))
        for f in archive["archive_files"]:
            f.update(
                download_url=f"{state.public_url}/rec/download/{f['id']}",
                participant_join_time=start,
                participant_leave_time=left,
            )
        state.archives[uuid] = {
            "uuid": uuid,
            "id": instance["id"],
            "host_id": instance["host_id"],
            "topic": instance["topic"],
            "start_time": start,
            "complete_time": start,
            **archive,
        }


def _devices(state: State, now: datetime) -> None:
    state.devices.update((d["device_id"], {**d, "last_online": iso(now)}) for d in _copy(a.DEVICES))
    state.zdm_groups.extend(_copy(a.ZDM_GROUPS))
    state.h323.update((d["id"], d) for d in _copy(a.H323_DEVICES))


def _webinar(state: State, now: datetime) -> None:
    webinar_id, when, fields = a.WEBINAR
    state.webinars[webinar_id] = records.webinar(
        state, webinar_id, state.users[OWNER_ID], {**_copy(fields), "start_time": iso(_at(now, when))}, now
    )
    state.panelists.update(_copy(a.PANELISTS))
    for key, registrants in a.WEBINAR_REGISTRANTS.items():
        state.webinar_registrants[key] = [
            {**_copy(person), "create_time": iso(days_ago(now, days))} for days, person in registrants
        ]
    state.webinar_polls.update(_copy(a.WEBINAR_POLLS))
    state.webinar_templates.update(_copy(a.WEBINAR_TEMPLATES))
    state.webinar_branding.update(_copy(a.WEBINAR_BRANDING))
    _live_webinar(state, now)
    for key, stream in _copy(a.WEBINAR_LIVESTREAMS).items():
        state.webinars[key]["livestream"] = stream


def _live_webinar(state: State, now: datetime) -> None:
    """Sam's webinar in progress, with its chat so far."""
    webinar_id, when, fields = a.LIVE_WEBINAR
    state.webinars[webinar_id] = records.webinar(
        state, webinar_id, state.users[SAM_ID], {**_copy(fields), "start_time": iso(_at(now, when))}, now
    )
    state.live_webinars[webinar_id] = {
        "topic": fields["topic"],
        "messages": {
            mid: {"message_id": mid, "message_content": text, "file_ids": list(files)}
            for mid, text, files in a.LIVE_WEBINAR_CHAT
        },
    }


def _settings(state: State) -> None:
    state.tracking_fields.update((f["id"], f) for f in _copy(a.TRACKING_FIELDS))
    state.tsp.update(_copy(a.TSP))
    state.user_tsp.update(_copy(a.USER_TSP))
    state.sip_phones.update((p["phone_id"], p) for p in _copy(a.SIP_PHONES))


def _copy(value: Any) -> Any:
    """A deep copy of fixture data (tuples become lists), so a sandbox never changes the fixtures."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_copy(v) for v in value]
    return value


# --- the history ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """One past meeting instance of the history: who, when (days before the date, UTC hour), what was kept."""

    uuid: str
    meeting_id: int
    topic: str
    kind: str  # the theme set its words come from (fixtures.transcripts.THEMES); "" for no words
    days: int
    hour: int
    people: tuple[Person, ...]  # the host first; everyone here speaks
    minutes: int
    files: tuple[str, ...]  # MP4, M4A, TRANSCRIPT, CC, CHAT
    summary: bool
    guests: tuple[Person, ...] = ()  # attended without speaking
    pinned: tuple[int, str, str] | None = None  # (second, speaker, decision)
    series: bool = False


Extra = tuple[int, int | None, int | None]  # how many extra meetings, over how many days, how many minutes each


def planned_history(extra: Extra = (0, None, None)) -> list[Planned]:
    """Every instance of the history: the one-offs, the weekly series, then the extra meetings."""
    one_offs = [Planned(*row) for row in h.ONE_OFFS]
    count, days, minutes = extra
    extras = _extras(count, days or h.HISTORY_DAYS, minutes)
    return [*one_offs, *(p for series in h.SERIES for p in _weekly(*series)), *extras]


def _weekly(
    meeting_id: int, topic: str, kind: str, first_day: int, hour: int, people: tuple[Person, ...]
) -> list[Planned]:
    """A weekly series: most weeks transcribed, every fourth audio only, chat and AI summary now and then."""
    out = []
    for week, days in enumerate(range(first_day, h.HISTORY_DAYS - 3, 7)):
        cast = people if week % 3 else people[:-1]  # someone is out every third week
        files = ("M4A",) if week % 4 == 3 else ("M4A", "TRANSCRIPT", "CHAT") if week % 3 == 1 else ("M4A", "TRANSCRIPT")
        uuid = _uuid(f"{meeting_id}/{week}")
        out.append(Planned(uuid, meeting_id, topic, kind, days, hour, cast, 30, files, week % 2 == 0, series=True))
    return out


def _extras(count: int, over: int, minutes: int | None) -> list[Planned]:
    """`count` more transcribed meetings of Alex's, spread evenly over `over` days back (benchmarks search these);
    20 to 45 minutes long, or `minutes` each."""
    out = []
    for n in range(count):
        topic, kind = h.EXTRA_TOPICS[n % len(h.EXTRA_TOPICS)]
        files = ("M4A", "TRANSCRIPT", "CHAT") if n % 3 == 0 else ("M4A", "TRANSCRIPT")
        days = 1 + n * (over - 2) // count
        people = h.EXTRA_PEOPLE[n % len(h.EXTRA_PEOPLE)]
        meeting_id = h.EXTRA_MEETING_ID_BASE + n
        out.append(Planned(_uuid(f"extra/{n}"), meeting_id, f"{topic} #{n + 1}", kind, days, 9 + n % 8, people,
                           minutes or 20 + 5 * (n % 6), files, False))  # fmt: skip
    return out


def _uuid(label: str) -> str:
    """A stable, Zoom-looking instance UUID (base64 of 16 bytes) for generated meetings."""
    return base64.b64encode(hashlib.md5(label.encode()).digest()).decode()


def add_history(state: State, day: date, *, extra: Extra = (0, None, None)) -> None:
    """Add the history to `state`: its own copy of the one built for `day`."""
    built = _history(day, state.public_url, extra)
    for uuid, meeting in built.recordings.items():
        files = [dict(f) for f in meeting["recording_files"]]
        state.recordings[uuid] = {**meeting, "recording_files": files, "trashed_files": []}
    state.file_content.update(built.file_content)  # bytes: shared safely
    state.recording_settings.update((uuid, dict(s)) for uuid, s in built.recording_settings.items())
    state.participants.update((uuid, [dict(p) for p in rows]) for uuid, rows in built.participants.items())
    state.summaries += [
        {**s, "summary_details": [dict(d) for d in s["summary_details"]], "next_steps": list(s["next_steps"])}
        for s in built.summaries
    ]


@lru_cache(maxsize=4)
def _history(day: date, public_url: str, extra: Extra) -> State:
    """The history as of `day` (meetings fall on whole days before it), built once per day, address and size."""
    built = State(public_url=public_url)
    noon = datetime.combine(day, time(12), UTC)
    for planned in planned_history(extra):
        _add(built, noon, planned)
    return built


def _add(state: State, now: datetime, planned: Planned) -> None:
    host = planned.people[0]
    start = days_ago(now, planned.days, hour=planned.hour)
    meeting = records.recording(planned.uuid, planned.meeting_id, planned.topic, start, host[2], planned.minutes)
    state.recordings[planned.uuid] = meeting
    if planned.series:
        meeting["type"] = "8"  # a recurring meeting with a fixed time
    words = None
    if planned.kind:
        names = tuple(p[0] for p in planned.people)
        words = script(planned.uuid, planned.kind, names, planned.minutes, planned.pinned)
    end = iso(start + timedelta(minutes=planned.minutes))
    for file_type in planned.files:
        ext, recording_type, per_minute = h.FILES[file_type]
        content = None
        if words is not None and file_type in ("TRANSCRIPT", "CC"):
            content = words.vtt
        elif words is not None and file_type == "CHAT":
            content = words.chat
        size = per_minute * planned.minutes + planned.meeting_id % 9973
        entry = records.add_recording_file(state, meeting, file_type, ext, size, content, recording_type)
        entry["recording_end"] = end
    records.refresh_totals(meeting)
    state.recording_settings[planned.uuid] = records.recording_settings(planned.topic)
    state.participants[planned.uuid] = _attendees(start, planned)
    if planned.summary and words is not None:
        summary = records.summary(meeting, host[1], end, end)
        summary.update(
            summary_title=f"Meeting summary for {planned.topic}",
            summary_overview=words.overview,
            summary_details=[{"label": label, "summary": text} for label, text in words.details],
            next_steps=list(words.next_steps),
        )
        state.summaries.append(summary)


def _attendees(start: datetime, planned: Planned) -> list[dict[str, Any]]:
    """Who was there, as past-meeting participants: the host on time, the others a minute or two later."""
    out = []
    end = start + timedelta(minutes=planned.minutes)
    for i, person in enumerate((*planned.people, *planned.guests)):
        joined = start + timedelta(minutes=min(i, 3))
        left = end - timedelta(minutes=5 if i and i == len(planned.people) else 0)  # a guest leaves early
        out.append(records.participant(i, person, joined, left))
    return out
