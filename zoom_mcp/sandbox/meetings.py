"""Meetings and what hangs off them: registrants, polls, templates, invitations, tokens, livestream."""

from __future__ import annotations

from typing import Any

from zoom_mcp.sandbox.app import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.seed import new_meeting
from zoom_mcp.sandbox.state import State, iso, now_utc


def _state(call: Call) -> State:
    return call.sandbox.state


def create_meeting(call: Call) -> Reply:
    state = _state(call)
    host = state.user(call, call.params["userId"])
    body = dict(call.body or {})
    if body.get("type", 2) == 2 and not body.get("start_time"):
        body["start_time"] = iso(now_utc(call))
    meeting = new_meeting(state, state.new_id(), host, body)
    return 201, meeting


def get_meeting(call: Call) -> Reply:
    meeting = _state(call).meeting(call)
    occurrence = call.query.get("occurrence_id")
    if occurrence:
        found = [o for o in meeting.get("occurrences", []) if o["occurrence_id"] == occurrence]
        if not found:
            raise ZoomHTTPError(400, 3000, f"Invalid occurrence_id: {occurrence}.")
        return 200, {**meeting, "start_time": found[0]["start_time"], "occurrences": found}
    return 200, meeting


def update_meeting(call: Call) -> Reply:
    meeting = _state(call).meeting(call)
    body = dict(call.body or {})
    settings = body.pop("settings", None)
    meeting.update(body)
    if settings:
        meeting["settings"].update(settings)
    return 204, None


def delete_meeting(call: Call) -> Reply:
    state = _state(call)
    meeting = state.meeting(call)
    occurrence = call.query.get("occurrence_id")
    if occurrence:
        left = [o for o in meeting.get("occurrences", []) if o["occurrence_id"] != occurrence]
        if len(left) == len(meeting.get("occurrences", [])):
            raise call.error(400, 300, "Invalid parameter: occurrence_id.")
        meeting["occurrences"] = left
    else:
        del state.meetings[meeting["id"]]
    return 204, None


def _registrant(state: State, meeting: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    registrant_id = state.new_key()
    return {
        **data,
        "id": meeting["id"],
        "registrant_id": registrant_id,
        "topic": meeting["topic"],
        "start_time": meeting.get("start_time", ""),
        "join_url": f"https://zoom.us/w/{meeting['id']}?tk={registrant_id}",
        "participant_pin_code": state.rng.randrange(100000, 999999),
    }


def add_meeting_registrant(call: Call) -> Reply:
    state = _state(call)
    meeting = state.meeting(call)
    body = call.body or {}
    if not body.get("email") or not body.get("first_name"):
        raise ZoomHTTPError(400, 300, "Validation failed: email and first_name are required.")
    registrant = _registrant(state, meeting, body)
    state.registrants.setdefault(meeting["id"], []).append(registrant)
    return 201, registrant


def add_meeting_registrants_batch(call: Call) -> Reply:
    state = _state(call)
    meeting = state.meeting(call)
    people = (call.body or {}).get("registrants") or []
    if len(people) > 30:
        raise ZoomHTTPError(400, 300, "You can register at most 30 registrants at once.")
    added = [_registrant(state, meeting, person) for person in people]
    state.registrants.setdefault(meeting["id"], []).extend(added)
    return 201, {"registrants": [{k: r[k] for k in ("email", "join_url", "registrant_id") if k in r} for r in added]}


def _poll(state: State, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": state.new_key(), "status": "notstart", "anonymous": False, "poll_type": 1, **data}


def create_meeting_poll(call: Call) -> Reply:
    state = _state(call)
    meeting = state.meeting(call)
    poll = _poll(state, call.body or {})
    state.polls.setdefault(meeting["id"], []).append(poll)
    return 201, poll


def create_meeting_polls_batch(call: Call) -> Reply:
    state = _state(call)
    meeting = state.meeting(call)
    polls = [_poll(state, p) for p in (call.body or {}).get("polls") or []]
    state.polls.setdefault(meeting["id"], []).extend(polls)
    return 201, {"polls": polls}


def create_meeting_template(call: Call) -> Reply:
    state = _state(call)
    user = state.user(call, call.params["userId"])
    body = call.body or {}
    meeting_id = body.get("meeting_id")
    if meeting_id not in state.meetings:
        raise ZoomHTTPError(404, 3001, f"Meeting does not exist: {meeting_id}.")
    templates = state.templates.setdefault(user["id"], [])
    if len(templates) >= 40:
        raise ZoomHTTPError(400, 3000, "You can only create up to 40 meeting templates.")
    template = {"id": state.new_key(), "name": body.get("name") or state.meetings[meeting_id]["topic"]}
    templates.append(template)
    return 201, template


def get_meeting_invitation(call: Call) -> Reply:
    m = _state(call).meeting(call)
    text = (
        f"{m['host_email']} is inviting you to a scheduled Zoom meeting.\n\nTopic: {m['topic']}\n"
        f"Time: {m.get('start_time', '')}\n\nJoin Zoom Meeting\n{m['join_url']}\n\n"
        f"Meeting ID: {m['id']}\nPasscode: {m['password']}\n"
    )
    return 200, {"invitation": text, "sip_links": [f"{m['id']}@zoomcrc.com"]}


def create_meeting_invite_links(call: Call) -> Reply:
    state = _state(call)
    meeting = state.meeting(call)
    body = call.body or {}
    ttl = body.get("ttl", 7200)
    if not 0 <= ttl <= 7776000:
        raise ZoomHTTPError(400, 300, "Invalid parameter: ttl.")
    attendees = [
        {"name": a.get("name", ""), "join_url": f"{meeting['join_url']}?tk={state.new_key()}"}
        for a in body.get("attendees") or []
    ]
    return 201, {"attendees": attendees}


def _join_token(call: Call) -> Reply:
    state = _state(call)
    state.meeting(call)
    return 200, {"token": state.new_key(40), "expire_in": 120}


def get_meeting_livestream(call: Call) -> Reply:
    meeting = _state(call).meeting(call)
    return 200, {
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
