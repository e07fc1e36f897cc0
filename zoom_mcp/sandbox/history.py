"""Four months of recorded meetings for Alex and Sam: something worth searching, reading and briefing.

Added on top of `seed.py` and `seed_more.py` (whose IDs stay as they are): two weekly series and eleven
one-off meetings, each with its own speakers, transcript (or deliberately none), chat, attendees and, for
some, Zoom's AI summary; the constants name the ones tests and examples ask about. The words come from
`content.script`. Sandboxes are made by the thousand, so the history is built once per day (meetings fall
on whole days back from today) and each Sandbox gets a copy of the dicts, sharing the immutable bytes.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from zoom_mcp.sandbox.content import script
from zoom_mcp.sandbox.seed import (
    JAMIE_EMAIL,
    JAMIE_ID,
    OWNER_EMAIL,
    OWNER_ID,
    SAM_EMAIL,
    SAM_ID,
    new_recording,
    recording_settings,
    refresh_totals,
)
from zoom_mcp.sandbox.seed import _file as add_file
from zoom_mcp.sandbox.seed_more import attendee
from zoom_mcp.sandbox.state import State, days_ago, iso

HISTORY_DAYS = 120  # how far back the history reaches

Person = tuple[str, str, str, bool]  # name, e-mail, user ID ("" for guests), internal to the account
ALEX: Person = ("Alex Rivera", OWNER_EMAIL, OWNER_ID, True)
SAM: Person = ("Sam Okafor", SAM_EMAIL, SAM_ID, True)
JAMIE: Person = ("Jamie Chen", JAMIE_EMAIL, JAMIE_ID, True)
PRIYA: Person = ("Priya Nair", "priya.nair@northwind.example.com", "", False)
DIEGO: Person = ("Diego Alvarez", "diego.alvarez@globex.example.com", "", False)
HANNAH: Person = ("Hannah Berg", "hannah.berg@studio-berg.example.com", "", False)
TOM: Person = ("Tom Whitaker", "tom.whitaker@initech.example.com", "", False)
PAT: Person = ("Pat Lee", "pat.lee@example.com", "", False)  # joins some meetings and never speaks

DECISION_PHRASE = "move the Orion launch to September 15"
DECISION_UUID = "2XAvUx8p0ftWl/+rJwdnxg=="
DECISION_MEETING_ID = 83355100106
DECISION_TOPIC = "Design review: Orion"
DECISION_SPEAKER = "Alex Rivera"
DECISION_START_SECONDS = 1847  # 00:30:47.000 into the recording
DECISION_DAYS_AGO = 47
LONG_TRANSCRIPT_UUID = "SzlIaI5AWGI32OvH/e6rjw=="  # 105 minutes, over 80,000 characters of speech
LONG_TRANSCRIPT_MEETING_ID = 83355100107
NO_TRANSCRIPT_UUID = "3hguuQToaPKpPtbNoGT5NA=="  # video and audio only, no AI summary
CC_ONLY_UUID = "6jhKGKLla+ECg3ok83ny6A=="  # closed captions, but no audio transcript
SUMMARY_UUID = "VVezv5ImuqU0V+yX6eJJGA=="  # has Zoom's AI summary
SUMMARY_MEETING_ID = 83355100103
PLATFORM_WEEKLY_ID = 83355200001  # Alex's weekly series
CUSTOMER_WEEKLY_ID = 83355200002  # Sam's weekly series
EXTRA_MEETING_ID_BASE = 83356000000  # `extra_meetings` take IDs from here up


@dataclass(frozen=True)
class Planned:
    """One past meeting instance: who, when (days before now, UTC hour), what was kept of it."""

    uuid: str
    meeting_id: int
    topic: str
    kind: str  # the theme set its words come from (content.THEMES); "" for a meeting nobody transcribed
    days: int
    hour: int
    people: tuple[Person, ...]  # the host first; everyone here speaks
    minutes: int
    files: tuple[str, ...]  # MP4, M4A, TRANSCRIPT, CC, CHAT
    summary: bool
    guests: tuple[Person, ...] = ()  # attended without speaking
    series: bool = False
    pinned: tuple[int, str, str] | None = None


ONE_OFFS: tuple[Planned, ...] = (
    Planned("DVF0DAVjpb5sbvUy0lai+g==", 83355100101, "Kickoff: Orion", "design", 116, 14,
            (ALEX, JAMIE, HANNAH, SAM), 45, ("MP4", "M4A", "TRANSCRIPT", "CHAT"), True),
    Planned("dgQMCqP07l0LxWWMhD7ysA==", 83355100102, "Hiring sync", "hiring", 103, 11,
            (ALEX, JAMIE, SAM), 30, ("M4A", "TRANSCRIPT"), False),
    Planned(SUMMARY_UUID, SUMMARY_MEETING_ID, "Pricing review", "pricing", 89, 15,
            (ALEX, SAM, TOM), 55, ("MP4", "TRANSCRIPT", "CHAT"), True, (PAT,)),
    Planned("qian/h62Xhc9CcnHYZYVrA==", 83355100104, "Customer call: Globex", "customers", 75, 17,
            (SAM, DIEGO, ALEX), 35, ("MP4", "TRANSCRIPT"), True),
    Planned(NO_TRANSCRIPT_UUID, 83355100105, "Security review", "", 64, 13,
            (ALEX, JAMIE, SAM), 40, ("MP4", "M4A"), False),
    Planned(DECISION_UUID, DECISION_MEETING_ID, DECISION_TOPIC, "design", DECISION_DAYS_AGO, 14,
            (ALEX, JAMIE, HANNAH, PRIYA), 50, ("MP4", "M4A", "TRANSCRIPT", "CHAT"), True, (PAT,),
            pinned=(DECISION_START_SECONDS, DECISION_SPEAKER, DECISION_PHRASE)),
    Planned(LONG_TRANSCRIPT_UUID, LONG_TRANSCRIPT_MEETING_ID, "Quarterly planning: H2 roadmap", "planning", 38, 13,
            (ALEX, SAM, JAMIE, PRIYA), 105, ("MP4", "M4A", "TRANSCRIPT"), True),
    Planned(CC_ONLY_UUID, 83355100108, "Partner sync: Northwind", "customers", 27, 16,
            (SAM, PRIYA, ALEX), 30, ("MP4", "CC"), False),
    Planned("5VtwhlGsp0VciY36VruLuw==", 83355100109, "Hiring sync", "hiring", 20, 11,
            (ALEX, JAMIE), 25, ("M4A", "TRANSCRIPT"), True),
    Planned("hjHhczv4NmSKnfDaYZ63nQ==", 83355100110, "Pricing review", "pricing", 13, 15,
            (ALEX, SAM, TOM, JAMIE), 45, ("MP4", "TRANSCRIPT", "CHAT"), False),
    Planned("k9JAMmNFH8tb2oNfOaO0QA==", 83355100111, "Incident review: checkout latency", "incident", 4, 10,
            (SAM, ALEX, JAMIE), 40, ("MP4", "TRANSCRIPT", "CHAT"), True),
)  # fmt: skip


def _uuid(label: str) -> str:
    """A stable, Zoom-looking instance UUID (base64 of 16 bytes) for generated meetings."""
    return base64.b64encode(hashlib.md5(label.encode()).digest()).decode()


def _weekly(
    meeting_id: int, topic: str, kind: str, first_day: int, hour: int, people: tuple[Person, ...]
) -> list[Planned]:
    """A weekly series: most weeks transcribed, every fourth audio only, chat and AI summary now and then."""
    out = []
    for week, days in enumerate(range(first_day, HISTORY_DAYS - 3, 7)):
        cast = people if week % 3 else people[:-1]  # someone is out every third week
        files = ("M4A",) if week % 4 == 3 else ("M4A", "TRANSCRIPT", "CHAT") if week % 3 == 1 else ("M4A", "TRANSCRIPT")
        uuid = _uuid(f"{meeting_id}/{week}")
        out.append(Planned(uuid, meeting_id, topic, kind, days, hour, cast, 30, files, week % 2 == 0, series=True))
    return out


SERIES: tuple[Planned, ...] = (
    *_weekly(PLATFORM_WEEKLY_ID, "Platform weekly", "weekly", 2, 16, (ALEX, JAMIE, SAM)),
    *_weekly(CUSTOMER_WEEKLY_ID, "Customer success weekly", "customers", 3, 15, (SAM, ALEX, JAMIE)),
)
EXTRA_TOPICS = (
    ("Sprint review", "weekly"),
    ("Design crit", "design"),
    ("Account review", "customers"),
    ("Packaging check-in", "pricing"),
    ("Interview debrief", "hiring"),
    ("Postmortem", "incident"),
)
EXTRA_PEOPLE = ((ALEX, JAMIE, SAM), (ALEX, SAM, TOM), (ALEX, JAMIE, HANNAH), (ALEX, PRIYA, SAM))


def _extras(count: int) -> list[Planned]:
    """`count` more transcribed meetings of Alex's, spread evenly over the history (benchmarks search these)."""
    out = []
    for n in range(count):
        topic, kind = EXTRA_TOPICS[n % len(EXTRA_TOPICS)]
        files = ("M4A", "TRANSCRIPT", "CHAT") if n % 3 == 0 else ("M4A", "TRANSCRIPT")
        days = 1 + n * (HISTORY_DAYS - 2) // count
        people = EXTRA_PEOPLE[n % len(EXTRA_PEOPLE)]
        meeting_id = EXTRA_MEETING_ID_BASE + n
        out.append(Planned(_uuid(f"extra/{n}"), meeting_id, f"{topic} #{n + 1}", kind, days, 9 + n % 8, people,
                           20 + 5 * (n % 6), files, False))  # fmt: skip
    return out


FILES = {  # file type: extension, recording type, bytes a minute for media (none for text files)
    "MP4": ("MP4", "shared_screen_with_speaker_view", 1_480_000),
    "M4A": ("M4A", "audio_only", 240_000),
    "TRANSCRIPT": ("VTT", "audio_transcript", 0),
    "CC": ("VTT", "closed_caption", 0),
    "CHAT": ("TXT", "chat_file", 0),
}


def seed_history(state: State, now: datetime, *, extra_meetings: int = 0) -> None:
    """Add the history to `state`: its own copy of the one built for `now`'s day."""
    built = _history(now.date(), state.public_url, extra_meetings)
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
def _history(day: date, public_url: str, extra_meetings: int) -> State:
    """The history as of `day` (meetings fall on whole days before it), built once per day, address and size."""
    built = State(public_url=public_url)
    noon = datetime.combine(day, time(12), UTC)
    for planned in (*ONE_OFFS, *SERIES, *_extras(extra_meetings)):
        _add(built, noon, planned)
    return built


def _add(state: State, now: datetime, planned: Planned) -> None:
    host = planned.people[0]
    start = days_ago(now, planned.days, hour=planned.hour)
    meeting = new_recording(state, planned.uuid, planned.meeting_id, planned.topic, start, host[2], planned.minutes)
    if planned.series:
        meeting["type"] = "8"  # a recurring meeting with a fixed time
    words = None
    if planned.kind:
        names = tuple(p[0] for p in planned.people)
        words = script(planned.uuid, planned.kind, names, planned.minutes, planned.pinned)
    end = iso(start + timedelta(minutes=planned.minutes))
    for file_type in planned.files:
        ext, recording_type, per_minute = FILES[file_type]
        content = None
        if words is not None and file_type in ("TRANSCRIPT", "CC"):
            content = words.vtt
        elif words is not None and file_type == "CHAT":
            content = words.chat
        size = per_minute * planned.minutes + planned.meeting_id % 9973
        entry = add_file(state, meeting, file_type, ext, size, content, recording_type=recording_type)
        entry["recording_end"] = end
    refresh_totals(meeting)
    state.recording_settings[planned.uuid] = recording_settings(planned.topic)
    state.participants[planned.uuid] = _attendees(start, planned)
    if planned.summary and words is not None:
        state.summaries.append(
            {
                "meeting_uuid": planned.uuid,
                "meeting_id": planned.meeting_id,
                "meeting_topic": planned.topic,
                "meeting_host_id": host[2],
                "meeting_host_email": host[1],
                "meeting_start_time": meeting["start_time"],
                "meeting_end_time": end,
                "summary_start_time": meeting["start_time"],
                "summary_end_time": end,
                "summary_created_time": end,
                "summary_last_modified_time": end,
                "summary_title": f"Meeting summary for {planned.topic}",
                "summary_overview": words.overview,
                "summary_details": [{"label": label, "summary": text} for label, text in words.details],
                "next_steps": list(words.next_steps),
            }
        )


def _attendees(start: datetime, planned: Planned) -> list[dict[str, Any]]:
    """Who was there, as past-meeting participants: the host on time, the others a minute or two later."""
    out = []
    end = start + timedelta(minutes=planned.minutes)
    for i, person in enumerate((*planned.people, *planned.guests)):
        joined = start + timedelta(minutes=min(i, 3))
        left = end - timedelta(minutes=5 if i and i == len(planned.people) else 0)  # a guest leaves early
        out.append(attendee(i, person, joined, left))
    return out
