"""Meetings and what hangs off them: registrants, polls, templates, invitations, tokens, livestream."""

from __future__ import annotations

from typing import Any

from zoom_mcp.sandbox.app import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.seed import new_meeting, occurrences
from zoom_mcp.sandbox.state import State, iso, now_utc

MAX_POLLS = 50  # per meeting (Zoom's 4400 "You can only add a maximum of 50 polls.")
MAX_TEMPLATES = 40  # per user


def _state(call: Call) -> State:
    return call.sandbox.state


def create_meeting(call: Call) -> Reply:
    state = _state(call)
    host = state.user(call, call.params["userId"])
    body = dict(call.body or {})
    kind = body.setdefault("type", 2)
    if kind == 1 or (kind in (2, 8) and not body.get("start_time")):
        body["start_time"] = iso(now_utc(call))  # instant meetings start now; scheduled ones default to now
    elif kind == 3:
        body.pop("start_time", None)  # recurring with no fixed time has none
    meeting_id = state.new_id()
    while meeting_id in state.meetings:
        meeting_id = state.new_id()
    meeting = new_meeting(state, meeting_id, host, body, now_utc(call))
    return 201, meeting


def _occurrence(call: Call, meeting: dict[str, Any]) -> dict[str, Any] | None:
    wanted = call.query.get("occurrence_id")
    if not wanted:
        return None
    for item in meeting.get("occurrences") or []:
        if item["occurrence_id"] == wanted:
            return item
    raise call.error(400, 300, "Invalid parameter: `occurrence_id`.")


def get_meeting(call: Call) -> Reply:
    meeting = _state(call).meeting(call)
    found = _occurrence(call, meeting)
    if found is not None:
        one = {"start_time": found["start_time"], "duration": found["duration"], "occurrences": [found]}
        return 200, {**meeting, **one}
    return 200, meeting


def update_meeting(call: Call) -> Reply:
    """PATCH semantics: only the given fields change; `occurrence_id` changes one occurrence's time."""
    meeting = _state(call).meeting(call)
    body = dict(call.body or {})
    settings = body.pop("settings", None)
    found = _occurrence(call, meeting)
    if found is not None:
        found.update({k: body[k] for k in ("start_time", "duration") if k in body})
        return 204, None
    meeting.update(body)
    if settings:
        meeting["settings"].update(settings)
    if meeting["type"] == 8:
        if {"type", "start_time", "recurrence", "duration"} & body.keys() or not meeting.get("occurrences"):
            meeting.setdefault("start_time", iso(now_utc(call)))
            meeting["occurrences"] = occurrences(meeting)
    else:
        meeting.pop("occurrences", None)
    return 204, None


def delete_meeting(call: Call) -> Reply:
    """The whole meeting, or with `occurrence_id` just that occurrence of a recurring meeting."""
    state = _state(call)
    meeting = state.meeting(call)
    found = _occurrence(call, meeting)
    if found is not None:
        meeting["occurrences"] = [o for o in meeting["occurrences"] if o is not found]
        return 204, None
    del state.meetings[meeting["id"]]
    state.deleted_meetings[meeting["id"]] = {  # recoverable with update_meeting_status action=recover
        "meeting": meeting,
        "registrants": state.registrants.pop(meeting["id"], None),
        "polls": state.polls.pop(meeting["id"], None),
    }
    return 204, None


def _registrant(state: State, meeting: dict[str, Any], data: dict[str, Any], wanted: str = "") -> dict[str, Any]:
    registrant_id = state.new_key()
    chosen = [o for o in meeting.get("occurrences") or [] if not wanted or o["occurrence_id"] in wanted.split(",")]
    return {
        **data,
        "id": meeting["id"],
        "registrant_id": registrant_id,
        "topic": meeting["topic"],
        "start_time": meeting.get("start_time", ""),
        "join_url": f"https://zoom.us/w/{meeting['id']}?tk={registrant_id}",
        "participant_pin_code": state.rng.randrange(100000, 999999),
        "occurrences": chosen,
        "status": "approved",
    }


def add_meeting_registrant(call: Call) -> Reply:
    state = _state(call)
    meeting = state.meeting(call)
    registrant = _registrant(state, meeting, call.body or {}, call.query.get("occurrence_ids", ""))
    state.registrants.setdefault(meeting["id"], []).append(registrant)
    return 201, registrant


def add_meeting_registrants_batch(call: Call) -> Reply:
    state = _state(call)
    meeting = state.meeting(call)
    if meeting["type"] != 2:
        raise call.error(400, 303, "This API can only be used for scheduled meeting(meeting type: 2).")
    people = (call.body or {}).get("registrants") or []
    if len(people) > 30:
        raise ZoomHTTPError(400, 300, "You can register at most 30 registrants at once.")
    missing = [i for i, p in enumerate(people) if not p.get("email") or not p.get("first_name")]
    if missing:
        raise ZoomHTTPError(400, 300, f"Validation failed: registrants[{missing[0]}] needs email and first_name.")
    added = [_registrant(state, meeting, person) for person in people]
    state.registrants.setdefault(meeting["id"], []).extend(added)
    return 201, {"registrants": added}


def _poll(state: State, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": state.new_key(), "status": "notstart", "anonymous": False, "poll_type": 1, **data}


def _add_polls(call: Call, polls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    state = _state(call)
    meeting = state.meeting(call)
    existing = state.polls.setdefault(meeting["id"], [])
    if len(existing) + len(polls) > MAX_POLLS:
        raise call.error(400, 4400, "You can only add a maximum of 50 polls.")
    created = [_poll(state, p) for p in polls]
    existing.extend(created)
    return created


def create_meeting_poll(call: Call) -> Reply:
    return 201, _add_polls(call, [call.body or {}])[0]


def create_meeting_polls_batch(call: Call) -> Reply:
    return 201, {"polls": _add_polls(call, (call.body or {}).get("polls") or [])}


def create_meeting_template(call: Call) -> Reply:
    """A template from one of the user's meetings; names are unique per user unless `overwrite`."""
    state = _state(call)
    user = state.user(call, call.params["userId"])
    body = call.body or {}
    meeting = state.meeting(call, value=body.get("meeting_id", ""))
    name = body.get("name") or meeting["topic"]
    templates = state.templates.setdefault(user["id"], [])
    same = [t for t in templates if t["name"] == name]
    if same and not body.get("overwrite"):
        raise ZoomHTTPError(400, 3000, f"Meeting template name already exists: {name}.")
    if same:
        same[0]["settings"] = dict(meeting["settings"])
        return 201, same[0]
    if len(templates) >= MAX_TEMPLATES:
        raise call.error(400, 300, "You can only create up to 40 meeting templates.")
    template = {"id": state.new_key(), "name": name, "meeting_id": meeting["id"], "settings": dict(meeting["settings"])}
    templates.append(template)
    return 201, template


def get_meeting_invitation(call: Call) -> Reply:
    m = _state(call).meeting(call)
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


def create_meeting_invite_links(call: Call) -> Reply:
    state = _state(call)
    meeting = state.meeting(call)
    body = call.body or {}
    ttl = body.get("ttl", 7200)
    if not isinstance(ttl, int) or not 0 <= ttl <= 7776000:
        raise call.error(400, 300, "Invalid parameter: ttl.")
    people = body.get("attendees") or []
    if not people or len(people) > 500:
        raise ZoomHTTPError(400, 300, "Validation Failed: attendees must have 1 to 500 entries.")
    attendees = [
        {"name": a.get("name", ""), "join_url": f"https://zoom.us/w/{meeting['id']}?tk={state.new_key(43)}"}
        for a in people
    ]
    return 201, {"attendees": attendees}


def _join_token(call: Call) -> Reply:
    state = _state(call)
    state.meeting(call)
    return 200, {"token": state.new_key(40), "expire_in": 120}


def get_meeting_livestream(call: Call) -> Reply:
    meeting = _state(call).meeting(call)
    return 200, meeting.get("livestream") or {
        "stream_url": "rtmp://live.example.com/zoom",
        "stream_key": f"key-{meeting['id']}",
        "page_url": f"https://live.example.com/{meeting['id']}",
        "resolution": "720p",
    }


HANDLERS: dict[str, Handler] = {
    "create_meeting": create_meeting,
    "get_meeting": get_meeting,
    "update_meeting": update_meeting,
    "delete_meeting": delete_meeting,
    "add_meeting_registrant": add_meeting_registrant,
    "add_meeting_registrants_batch": add_meeting_registrants_batch,
    "create_meeting_poll": create_meeting_poll,
    "create_meeting_polls_batch": create_meeting_polls_batch,
    "create_meeting_template": create_meeting_template,
    "get_meeting_invitation": get_meeting_invitation,
    "create_meeting_invite_links": create_meeting_invite_links,
    "get_live_streaming_join_token": _join_token,
    "get_local_archiving_token": _join_token,
    "get_local_recording_join_token": _join_token,
    "get_meeting_livestream": get_meeting_livestream,
}
