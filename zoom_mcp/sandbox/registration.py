"""Meeting registrants (beyond adding them), registration questions, polls and surveys.

Shares `state.registrants` / `state.polls` with the create handlers in meetings.py. A stored
meeting registrant keeps the meeting's ID in `id` and its own in `registrant_id`; answers name
the registrant's ID `id`, as Zoom's list and get do.
"""

from __future__ import annotations

from typing import Any

from zoom_mcp.sandbox.app import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.common import action, complete, item_schema, state_of
from zoom_mcp.sandbox.state import paginate

STATUSES = ("pending", "approved", "denied")
ACTIONS = {"approve": "approved", "deny": "denied", "cancel": "denied"}  # Zoom lists cancelled registrants as denied


def public_registrant(stored: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in stored.items() if k not in ("registrant_id", "topic", "start_time", "occurrences")}
    out["id"] = stored.get("registrant_id", stored.get("id"))
    return out


def _people(call: Call) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    state = state_of(call)
    meeting = state.meeting(call)
    return meeting, state.registrants.setdefault(meeting["id"], [])


def _wanted_status(call: Call) -> str:
    status = call.query.get("status") or "approved"
    if status not in STATUSES:
        raise ZoomHTTPError(400, 300, f"Invalid parameter: status. Expected one of: {', '.join(STATUSES)}.")
    return status


def _in_occurrence(call: Call, person: dict[str, Any]) -> bool:
    wanted = call.query.get("occurrence_id")
    chosen = person.get("occurrences") or []
    return not wanted or not chosen or any(o["occurrence_id"] == wanted for o in chosen)


def list_meeting_registrants(call: Call) -> Reply:
    _, people = _people(call)
    status = _wanted_status(call)
    rows = [public_registrant(p) for p in people if p.get("status", "approved") == status and _in_occurrence(call, p)]
    return 200, paginate(call, complete(item_schema(call, "registrants"), rows), "registrants")


def _one(call: Call, people: list[dict[str, Any]]) -> dict[str, Any]:
    wanted = call.params["registrantId"]
    for person in people:
        if person.get("registrant_id", person.get("id")) == wanted:
            return person
    raise call.error(404, 3079, "This registrant does not exist: {registrantId}.")


def get_meeting_registrant(call: Call) -> Reply:
    _, people = _people(call)
    return 200, complete(call.op.response_schema, public_registrant(_one(call, people)))


def delete_meeting_registrant(call: Call) -> Reply:
    meeting, people = _people(call)
    gone = _one(call, people)
    state_of(call).registrants[meeting["id"]] = [p for p in people if p is not gone]
    return 204, None


def set_status(call: Call, people: list[dict[str, Any]]) -> None:
    """approve / deny / cancel the listed registrants (by `id` or `email`), or all of them when none are listed."""
    new_status = action(call, ACTIONS)
    listed = (call.body or {}).get("registrants") or []
    ids = {r["id"] for r in listed if r.get("id")}
    emails = {r["email"].lower() for r in listed if r.get("email")}
    for person in people:
        key = person.get("registrant_id", person.get("id"))
        if not listed or key in ids or str(person.get("email", "")).lower() in emails:
            person["status"] = new_status


def update_meeting_registrant_status(call: Call) -> Reply:
    _, people = _people(call)
    set_status(call, people)
    return 204, None


DEFAULT_QUESTIONS: dict[str, Any] = {
    "questions": [{"field_name": "last_name", "required": False}],
    "custom_questions": [],
}


def questions_of(call: Call, key: int) -> dict[str, Any]:
    found = state_of(call).registration_questions.setdefault(key, {})
    for name, value in DEFAULT_QUESTIONS.items():
        found.setdefault(name, list(value))
    return found


def get_meeting_registration_questions(call: Call) -> Reply:
    return 200, questions_of(call, state_of(call).meeting(call)["id"])


def update_meeting_registration_questions(call: Call) -> Reply:
    questions_of(call, state_of(call).meeting(call)["id"]).update(call.body or {})
    return 204, None


def _polls(call: Call) -> list[dict[str, Any]]:
    state = state_of(call)
    return state.polls.setdefault(state.meeting(call)["id"], [])


def find_poll(call: Call, polls: list[dict[str, Any]]) -> dict[str, Any]:
    for poll in polls:
        if poll["id"] == call.params["pollId"]:
            return poll
    raise call.error(404, 404, "Poll does not exist: {pollId}.")


def list_meeting_polls(call: Call) -> Reply:
    polls = _polls(call)
    anonymous = call.query.get("anonymous")
    if anonymous in ("true", "false"):
        polls = [p for p in polls if bool(p.get("anonymous")) == (anonymous == "true")]
    return 200, {"total_records": len(polls), "polls": polls}


def get_meeting_poll(call: Call) -> Reply:
    return 200, find_poll(call, _polls(call))


def update_meeting_poll(call: Call) -> Reply:
    """PUT: the poll's title, type and questions are replaced by the body's."""
    poll = find_poll(call, _polls(call))
    poll.update(call.body or {})
    return 204, None


def delete_meeting_poll(call: Call) -> Reply:
    state = state_of(call)
    meeting = state.meeting(call)
    polls = state.polls.setdefault(meeting["id"], [])
    gone = find_poll(call, polls)
    state.polls[meeting["id"]] = [p for p in polls if p is not gone]
    return 204, None


def survey_of(call: Call, key: int) -> dict[str, Any]:
    """A meeting's (or webinar's) survey; one that was never set (or was deleted) is empty, as Zoom shows it."""
    return state_of(call).surveys.get(key) or {"show_in_the_browser": False, "third_party_survey": ""}


def update_survey(call: Call, key: int) -> None:
    body = dict(call.body or {})
    current = state_of(call).surveys.setdefault(key, {})
    if isinstance(body.get("custom_survey"), dict):
        current["custom_survey"] = {**(current.get("custom_survey") or {}), **body.pop("custom_survey")}
    current.update(body)


def get_meeting_survey(call: Call) -> Reply:
    return 200, survey_of(call, state_of(call).meeting(call)["id"])


def update_meeting_survey(call: Call) -> Reply:
    update_survey(call, state_of(call).meeting(call)["id"])
    return 204, None


def delete_meeting_survey(call: Call) -> Reply:
    state_of(call).surveys.pop(state_of(call).meeting(call)["id"], None)
    return 204, None


HANDLERS: dict[str, Handler] = {
    "list_meeting_registrants": list_meeting_registrants,
    "get_meeting_registrant": get_meeting_registrant,
    "delete_meeting_registrant": delete_meeting_registrant,
    "update_meeting_registrant_status": update_meeting_registrant_status,
    "get_meeting_registration_questions": get_meeting_registration_questions,
    "update_meeting_registration_questions": update_meeting_registration_questions,
    "list_meeting_polls": list_meeting_polls,
    "get_meeting_poll": get_meeting_poll,
    "update_meeting_poll": update_meeting_poll,
    "delete_meeting_poll": delete_meeting_poll,
    "get_meeting_survey": get_meeting_survey,
    "update_meeting_survey": update_meeting_survey,
    "delete_meeting_survey": delete_meeting_survey,
}
