"""Meeting lists, meeting status (end / recover), past meetings and their attendees, meeting summaries."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from zoom_mcp.sandbox.app import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.common import action, complete, item_schema, state_of
from zoom_mcp.sandbox.seed_more import participants_for
from zoom_mcp.sandbox.state import as_int, iso, missing_meeting, now_utc, paginate, parse_day

LIST_TYPES = ("scheduled", "live", "upcoming", "upcoming_meetings", "previous_meetings")


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _is_live(call: Call, meeting: dict[str, Any]) -> bool:
    return meeting.get("status") == "started" or meeting["id"] in state_of(call).live


def _next_start(call: Call, meeting: dict[str, Any]) -> str:
    """When a meeting (next) happens: its next occurrence for recurring ones, '' when it has no fixed time."""
    now = iso(now_utc(call))
    upcoming = [o["start_time"] for o in meeting.get("occurrences") or [] if o["start_time"] >= now]
    return upcoming[0] if upcoming else meeting.get("start_time", "")


def _is_upcoming(call: Call, meeting: dict[str, Any]) -> bool:
    start = _next_start(call, meeting)
    return _is_live(call, meeting) or meeting["type"] == 3 or start >= iso(now_utc(call))


def _listed(call: Call, meeting: dict[str, Any]) -> dict[str, Any]:
    start = _next_start(call, meeting)
    out = {**meeting, "start_time": start} if start else {k: v for k, v in meeting.items() if k != "start_time"}
    return out


def list_user_meetings(call: Call) -> Reply:
    """Zoom's `type` filter, loosely: scheduled = all; live; upcoming (incl. live); previous = ended instances."""
    state = state_of(call)
    user = state.user(call, call.params["userId"])
    kind = call.query.get("type") or "scheduled"
    if kind not in LIST_TYPES:
        raise ZoomHTTPError(400, 300, f"Invalid parameter: type. Expected one of: {', '.join(LIST_TYPES)}.")
    mine = [m for m in state.meetings.values() if m["host_id"] == user["id"]]
    if kind == "previous_meetings":
        ended = [
            {**p, "type": int(p["type"]), "join_url": f"https://zoom.us/j/{p['id']}"}
            for p in {**state.recordings, **state.past_meetings}.values()
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
        start = parse_day(low, datetime.min.replace(tzinfo=now_utc(call).tzinfo), call, "from")
        end = parse_day(high, now_utc(call) + timedelta(days=3650), call, "to") + timedelta(days=1)
        items = [m for m in items if m.get("start_time") and start <= _at(m["start_time"]) < end]
    return 200, paginate(call, complete(item_schema(call, "meetings"), items), "meetings")


def list_upcoming_meetings(call: Call) -> Reply:
    state = state_of(call)
    user = state.user(call, call.params["userId"])
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


def update_meeting_status(call: Call) -> Reply:
    """`end` ends a live meeting (it becomes a past instance); `recover` brings back a deleted meeting."""
    state = state_of(call)
    wanted = action(call, {"end": "end", "recover": "recover"})
    raw = call.params["meetingId"]
    meeting_id = as_int(raw)
    if wanted == "recover":
        if meeting_id in state.meetings:
            raise ZoomHTTPError(400, 3000, f"Meeting {meeting_id} has not been deleted.")
        stashed = state.deleted_meetings.pop(meeting_id, None) if meeting_id is not None else None
        if stashed is None:
            raise missing_meeting(call, raw)
        state.meetings[meeting_id] = stashed["meeting"]
        for name in ("registrants", "polls"):
            if stashed.get(name):
                getattr(state, name)[meeting_id] = stashed[name]
        return 204, None
    meeting = state.meeting(call)
    if not _is_live(call, meeting):
        return 204, None  # nothing in progress: ending is a no-op, as Zoom answers it
    now = now_utc(call)
    started = _at(meeting.get("start_time") or iso(now))
    instance = {
        "uuid": meeting["uuid"],
        "id": meeting["id"],
        "host_id": meeting["host_id"],
        "topic": meeting["topic"],
        "type": meeting["type"],
        "start_time": iso(min(started, now)),
        "timezone": meeting.get("timezone", "UTC"),
        "duration": max(1, int((now - min(started, now)).total_seconds() // 60)),
    }
    state.past_meetings[instance["uuid"]] = instance
    state.participants[instance["uuid"]] = participants_for(instance, 2)
    state.live.pop(meeting["id"], None)
    meeting.update(status="waiting", uuid=state.new_uuid())  # the next instance gets a new UUID, as in Zoom
    return 204, None


def get_past_meeting(call: Call) -> Reply:
    state = state_of(call)
    past = state.past(call)
    host = next((u for u in state.users.values() if u["id"] == past["host_id"]), None)
    start = _at(past["start_time"])
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
    state = state_of(call)
    meeting_id = as_int(call.params["meetingId"])
    every = {**state.recordings, **state.past_meetings}.values()
    found = [{"uuid": p["uuid"], "start_time": p["start_time"]} for p in every if p["id"] == meeting_id]
    if not found and meeting_id not in state.meetings:
        raise missing_meeting(call, call.params["meetingId"])
    return 200, {"meetings": sorted(found, key=lambda p: p["start_time"], reverse=True)}


def list_past_meeting_participants(call: Call) -> Reply:
    state = state_of(call)
    past = state.past(call)
    page = paginate(call, state.participants.get(past["uuid"], []), "participants")
    return 200, page


def _answers(call: Call, store: str) -> Reply:
    state = state_of(call)
    past = state.past(call)
    rows = getattr(state, store).get(past["uuid"], [])
    return 200, {"id": past["id"], "uuid": past["uuid"], "start_time": past["start_time"], "questions": rows}


def list_past_meeting_qa(call: Call) -> Reply:
    return _answers(call, "past_qa")


def list_past_meeting_polls(call: Call) -> Reply:
    return _answers(call, "past_polls")


def _summary(call: Call) -> dict[str, Any]:
    """A meeting's summary by instance UUID, or the latest instance's for a meeting ID."""
    state = state_of(call)
    value = call.params["meetingId"]
    found = [s for s in state.summaries if value in (s["meeting_uuid"], str(s["meeting_id"]))]
    if found:
        return max(found, key=lambda s: s["meeting_start_time"])
    known = as_int(value) in state.meetings or any(
        value in (p["uuid"], str(p["id"])) for p in {**state.recordings, **state.past_meetings}.values()
    )
    if known:
        raise ZoomHTTPError(404, 3001, f"Meeting summary does not exist: {value}.")
    raise missing_meeting(call, value)


def get_meeting_summary(call: Call) -> Reply:
    """`summary_content` is the Markdown Zoom renders: overview, a section per detail, next steps."""
    summary = _summary(call)
    overview = summary.get("summary_overview", "")
    steps = summary.get("next_steps", [])
    details = "".join(
        f"### {d['label']}\n\n{d['summary']}\n\n"
        for d in summary.get("summary_details", [])
        if d.get("summary") and d["summary"] != overview  # a detail that only repeats the overview is left out
    )
    content = f"## {summary.get('summary_title', '')}\n\n{overview}\n\n{details}### Next steps\n" + "".join(
        f"- {s}\n" for s in steps
    )
    return 200, {**summary, "summary_content": content}


def delete_meeting_summary(call: Call) -> Reply:
    summary = _summary(call)
    state = state_of(call)
    state.summaries = [s for s in state.summaries if s is not summary]
    return 204, None


HANDLERS: dict[str, Handler] = {
    "list_user_meetings": list_user_meetings,
    "list_upcoming_meetings": list_upcoming_meetings,
    "update_meeting_status": update_meeting_status,
    "get_past_meeting": get_past_meeting,
    "list_past_meeting_instances": list_past_meeting_instances,
    "list_past_meeting_participants": list_past_meeting_participants,
    "list_past_meeting_qa": list_past_meeting_qa,
    "list_past_meeting_polls": list_past_meeting_polls,
    "get_meeting_summary": get_meeting_summary,
    "delete_meeting_summary": delete_meeting_summary,
}
