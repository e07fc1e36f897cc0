"""The `meetings` toolset: scheduled meetings, a user's meeting lists, meeting status, past meetings, invitations."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from zoom_mcp.sandbox import records
from zoom_mcp.sandbox.dates import iso, parse_time
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.engine.gateway import complete, item_schema
from zoom_mcp.sandbox.engine.pagination import paginate
from zoom_mcp.sandbox.fixtures.people import ATTENDEES
from zoom_mcp.sandbox.recording import finish_meeting
from zoom_mcp.sandbox.state import MEETING, Record, as_int

LIST_TYPES = ("scheduled", "live", "upcoming", "upcoming_meetings", "previous_meetings")


def create_meeting(call: Call) -> Reply:
    """Instant (type 1) and scheduled meetings without a start time start now; type 3 has no fixed time."""
    state = call.state
    host = state.users.get_or_404(call.params["userId"])
    body = dict(call.fields)
    kind = body.setdefault("type", 2)
    if kind == 1 or (kind in (2, 8) and not body.get("start_time")):
        body["start_time"] = iso(call.now())
    elif kind == 3:
        body.pop("start_time", None)
    meeting_id = state.new_id()
    while meeting_id in state.meetings:
        meeting_id = state.new_id()
    state.meetings[meeting_id] = records.meeting(state, meeting_id, host, body, call.now())
    return 201, state.meetings[meeting_id]


def occurrence(call: Call, meeting: Record) -> Record | None:
    """The occurrence the query's `occurrence_id` names (None when it names none), else 400 / 300."""
    wanted = call.query.get("occurrence_id")
    if not wanted:
        return None
    for item in meeting.get("occurrences") or []:
        if item["occurrence_id"] == wanted:
            return item
    raise call.error(400, 300, "Invalid parameter: `occurrence_id`.")


def get_meeting(call: Call) -> Reply:
    """With `occurrence_id`, the meeting as of that occurrence (its time, and only it listed)."""
    meeting = call.state.meetings.get_or_404(call.params["meetingId"])
    found = occurrence(call, meeting)
    if found is not None:
        one = {"start_time": found["start_time"], "duration": found["duration"], "occurrences": [found]}
        return 200, {**meeting, **one}
    return 200, meeting


def update_meeting(call: Call) -> Reply:
    """PATCH semantics: only the given fields change; `occurrence_id` changes one occurrence's time."""
    meeting = call.state.meetings.get_or_404(call.params["meetingId"])
    body = dict(call.fields)
    settings = body.pop("settings", None)
    found = occurrence(call, meeting)
    if found is not None:
        found.update({k: body[k] for k in ("start_time", "duration") if k in body})
        return 204, None
    meeting.update(body)
    if settings:
        meeting["settings"].update(settings)
    if meeting["type"] == 8:
        if {"type", "start_time", "recurrence", "duration"} & body.keys() or not meeting.get("occurrences"):
            meeting.setdefault("start_time", iso(call.now()))
            meeting["occurrences"] = records.occurrences(meeting)
    else:
        meeting.pop("occurrences", None)
    return 204, None


def delete_meeting(call: Call) -> Reply:
    """The whole meeting (recoverable with update_meeting_status), or with `occurrence_id` just that occurrence."""
    state = call.state
    meeting = state.meetings.get_or_404(call.params["meetingId"])
    found = occurrence(call, meeting)
    if found is not None:
        meeting["occurrences"] = [o for o in meeting["occurrences"] if o is not found]
        return 204, None
    del state.meetings[meeting["id"]]
    state.deleted_meetings[meeting["id"]] = {
        "meeting": meeting,
        "registrants": state.registrants.pop(meeting["id"], None),
        "polls": state.polls.pop(meeting["id"], None),
    }
    return 204, None


def get_meeting_invitation(call: Call) -> Reply:
    """The invitation text Zoom writes: host, topic, time (and occurrences), join link, ID, passcode."""
    m = call.state.meetings.get_or_404(call.params["meetingId"])
    when = m.get("start_time", "")
    if m.get("occurrences"):
        when += f" (every {len(m['occurrences'])} occurrences, next {m['occurrences'][0]['start_time']})"
    text = (
        f"{m['host_email']} is inviting you to a scheduled Zoom meeting.\r\n\r\nTopic: {m['topic']}\r\n"
        f"Time: {when}\r\n\r\nJoin Zoom Meeting\r\n{m['join_url']}\r\n\r\n"
        f"Meeting ID: {_spaced(m['id'])}\r\nPasscode: {m['password']}\r\n"
    )
    return 200, {"invitation": text, "sip_links": [f"{m['id']}@zoomcrc.com"]}


def _spaced(meeting_id: int) -> str:
    """Zoom prints meeting IDs in groups: 857 4606 5432."""
    text = str(meeting_id)
    return f"{text[:3]} {text[3:7]} {text[7:]}" if len(text) == 11 else f"{text[:3]} {text[3:6]} {text[6:]}"


def invite_links(call: Call, target_id: int) -> Reply:
    """One personal join link per attendee (1 to 500) of meeting or webinar `target_id`, valid for `ttl`
    seconds (at most 90 days); the issued links are kept (`state.invite_links`)."""
    state = call.state
    ttl = call.fields.get("ttl", 7200)
    if not isinstance(ttl, int) or isinstance(ttl, bool) or not 0 <= ttl <= 7776000:
        raise ZoomHTTPError(400, 300, "Invalid parameter: ttl.")
    people = call.fields.get("attendees") or []
    if not people or len(people) > 500 or not all(isinstance(a, dict) for a in people):
        raise ZoomHTTPError(400, 300, "Validation Failed: attendees must have 1 to 500 entries.")
    issued = [records.invite_link(state, target_id, a, ttl, call.now()) for a in people]
    state.invite_links.setdefault(target_id, []).extend(issued)
    return 201, {"attendees": issued}


def create_meeting_invite_links(call: Call) -> Reply:
    return invite_links(call, call.state.meetings.get_or_404(call.params["meetingId"])["id"])


def get_meeting_sip_uri(call: Call) -> Reply:
    """A SIP URI room systems dial, the passcode embedded when given (Zoom does not check it); the
    participant identifier code issued with it is kept (`state.sip_dialing`)."""
    state = call.state
    meeting = state.meetings.get_or_404(call.params["meetingId"])
    issued = records.sip_dialing(state, meeting["id"], str(call.fields.get("passcode") or ""), call.now())
    state.sip_dialing.setdefault(meeting["id"], []).append(issued)
    return 200, issued


# --- lists ----------------------------------------------------------------------------------------------------


def _is_live(call: Call, meeting: Record) -> bool:
    return meeting.get("status") == "started" or meeting["id"] in call.state.live


def _next_start(call: Call, meeting: Record) -> str:
    """When a meeting (next) happens: its next occurrence for recurring ones, '' when it has no fixed time."""
    now = iso(call.now())
    upcoming = [o["start_time"] for o in meeting.get("occurrences") or [] if o["start_time"] >= now]
    return upcoming[0] if upcoming else meeting.get("start_time", "")


def _is_upcoming(call: Call, meeting: Record) -> bool:
    start = _next_start(call, meeting)
    return _is_live(call, meeting) or meeting["type"] == 3 or start >= iso(call.now())


def _listed(call: Call, meeting: Record) -> Record:
    """A meeting as lists show it: at its next start, without a start time when it has none."""
    start = _next_start(call, meeting)
    return {**meeting, "start_time": start} if start else {k: v for k, v in meeting.items() if k != "start_time"}


def list_user_meetings(call: Call) -> Reply:
    """Zoom's `type` filter, loosely: scheduled = all; live; upcoming (incl. live); previous = ended instances."""
    state = call.state
    user = state.users.get_or_404(call.params["userId"])
    kind = call.query.get("type") or "scheduled"
    if kind not in LIST_TYPES:
        raise ZoomHTTPError(400, 300, f"Invalid parameter: type. Expected one of: {', '.join(LIST_TYPES)}.")
    mine = [m for m in state.meetings.values() if m["host_id"] == user["id"]]
    if kind == "previous_meetings":
        ended = [
            {**p, "type": int(p["type"]), "join_url": f"https://zoom.us/j/{p['id']}"}
            for p in state.instances().values()
            if p["host_id"] == user["id"]
        ]
        items = sorted(ended, key=lambda m: m["start_time"], reverse=True)
    else:
        if kind == "live":
            mine = [m for m in mine if _is_live(call, m)]
        elif kind in ("upcoming", "upcoming_meetings"):
            mine = [m for m in mine if _is_upcoming(call, m)]
        items = sorted((_listed(call, m) for m in mine), key=lambda m: m.get("start_time") or "9999")
    low, high = call.query.get("from"), call.query.get("to")
    if low or high:
        now = call.now()
        start = call.day(low, datetime.min.replace(tzinfo=now.tzinfo), "from")
        end = call.day(high, now + timedelta(days=3650), "to") + timedelta(days=1)
        items = [m for m in items if m.get("start_time") and start <= parse_time(m["start_time"]) < end]
    return 200, paginate(call, complete(item_schema(call, "meetings"), items), "meetings")


def list_upcoming_meetings(call: Call) -> Reply:
    """The user's meetings that are live or still to come, soonest first (no paging, as Zoom's)."""
    state = call.state
    user = state.users.get_or_404(call.params["userId"])
    items = [
        {
            **_listed(call, m),
            "passcode": m.get("password", ""),
            "is_host": True,
            "use_pmi": False,
            "is_all_day": False,
        }
        for m in state.meetings.values()
        if m["host_id"] == user["id"] and _is_upcoming(call, m)
    ]
    items.sort(key=lambda m: m.get("start_time") or "9999")
    return 200, {"total_records": len(items), "meetings": complete(item_schema(call, "meetings"), items)}


# --- status and past meetings ---------------------------------------------------------------------------------


def update_meeting_status(call: Call) -> Reply:
    """`end` ends a live meeting (it becomes a past instance, recorded with Zoom's webhooks when its
    `settings.auto_recording` is `cloud`); `recover` brings back a deleted meeting."""
    state = call.state
    wanted = call.action({"end": "end", "recover": "recover"})
    raw = call.params["meetingId"]
    meeting_id = as_int(raw)
    if wanted == "recover":
        if meeting_id in state.meetings:
            raise ZoomHTTPError(400, 3000, f"Meeting {meeting_id} has not been deleted.")
        stashed = state.deleted_meetings.pop(meeting_id, None) if meeting_id is not None else None
        if stashed is None or meeting_id is None:
            raise MEETING.missing(raw)
        state.meetings[meeting_id] = stashed["meeting"]
        for name in ("registrants", "polls"):
            if stashed.get(name):
                getattr(state, name)[meeting_id] = stashed[name]
        return 204, None
    meeting = state.meetings.get_or_404(raw)
    if not _is_live(call, meeting):
        return 204, None  # nothing in progress: ending is a no-op, as Zoom answers it
    instance = records.ended_instance(meeting, call.now())
    state.past_meetings[instance["uuid"]] = instance
    state.participants[instance["uuid"]] = records.participants_for(instance, 2, ATTENDEES)
    if (meeting.get("settings") or {}).get("auto_recording") == "cloud":
        finish_meeting(
            call.sandbox, meeting["topic"], minutes=instance["duration"], host_id=meeting["host_id"],
            meeting_id=meeting["id"], uuid=instance["uuid"], started=parse_time(instance["start_time"]), summary=True,
        )  # fmt: skip
    state.live.pop(meeting["id"], None)
    meeting.update(status="waiting", uuid=state.new_uuid())  # the next instance gets a new UUID, as in Zoom
    return 204, None


def get_past_meeting(call: Call) -> Reply:
    """A past instance (by UUID, or a meeting ID's latest) with its host, end time and attendance."""
    state = call.state
    past = state.past(call.params["meetingId"])
    host = next((u for u in state.users.values() if u["id"] == past["host_id"]), None)
    start = parse_time(past["start_time"])
    people = state.participants.get(past["uuid"], [])
    return 200, {
        "uuid": past["uuid"],
        "id": past["id"],
        "host_id": past["host_id"],
        "type": int(past["type"]),
        "topic": past["topic"],
        "user_name": f"{host['first_name']} {host['last_name']}" if host else "",
        "user_email": host["email"] if host else "",
        "start_time": past["start_time"],
        "end_time": iso(start + timedelta(minutes=int(past["duration"]))),
        "duration": past["duration"],
        "total_minutes": sum(p["duration"] for p in people) // 60,
        "participants_count": len(people),
        "dept": "",
        "source": "Zoom",
        "has_meeting_summary": any(s["meeting_uuid"] == past["uuid"] for s in state.summaries),
    }


def list_past_meeting_instances(call: Call) -> Reply:
    """The UUIDs and start times of a meeting ID's past instances, newest first."""
    state = call.state
    meeting_id = as_int(call.params["meetingId"])
    found = [
        {"uuid": p["uuid"], "start_time": p["start_time"]} for p in state.instances().values() if p["id"] == meeting_id
    ]
    if not found and meeting_id not in state.meetings:
        raise MEETING.missing(call.params["meetingId"])
    return 200, {"meetings": sorted(found, key=lambda p: p["start_time"], reverse=True)}


def list_past_meeting_participants(call: Call) -> Reply:
    state = call.state
    past = state.past(call.params["meetingId"])
    return 200, paginate(call, state.participants.get(past["uuid"], []), "participants")


def _answers(call: Call, rows: dict[str, list[Record]]) -> Reply:
    """A past instance's Q&A or poll answers, as list_past_meeting_qa / _polls give them."""
    past = call.state.past(call.params["meetingId"])
    found: list[Any] = rows.get(past["uuid"], [])
    return 200, {"id": past["id"], "uuid": past["uuid"], "start_time": past["start_time"], "questions": found}


def list_past_meeting_qa(call: Call) -> Reply:
    return _answers(call, call.state.past_qa)


def list_past_meeting_polls(call: Call) -> Reply:
    return _answers(call, call.state.past_polls)


HANDLERS: dict[str, Handler] = {
    "create_meeting": create_meeting,
    "get_meeting": get_meeting,
    "update_meeting": update_meeting,
    "delete_meeting": delete_meeting,
    "get_meeting_invitation": get_meeting_invitation,
    "create_meeting_invite_links": create_meeting_invite_links,
    "get_meeting_sip_uri": get_meeting_sip_uri,
    "list_user_meetings": list_user_meetings,
    "list_upcoming_meetings": list_upcoming_meetings,
    "update_meeting_status": update_meeting_status,
    "get_past_meeting": get_past_meeting,
    "list_past_meeting_instances": list_past_meeting_instances,
    "list_past_meeting_participants": list_past_meeting_participants,
    "list_past_meeting_qa": list_past_meeting_qa,
    "list_past_meeting_polls": list_past_meeting_polls,
}
