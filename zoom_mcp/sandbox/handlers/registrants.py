"""The `registrants` toolset: meeting registration - registrants, their status, registration questions.

A stored meeting registrant keeps the meeting's ID in `id` and its own in `registrant_id`; answers
name the registrant's ID `id`, as Zoom's list and get do. Webinar registrants change status and keep
questions the same way (`set_status`, `registration_questions`).
"""

from __future__ import annotations

from zoom_mcp.sandbox import records
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.engine.gateway import complete, item_schema
from zoom_mcp.sandbox.engine.pagination import paginate
from zoom_mcp.sandbox.state import REGISTRANT, Record, find_or_404

STATUSES = ("pending", "approved", "denied")
ACTIONS = {"approve": "approved", "deny": "denied", "cancel": "denied"}  # Zoom lists cancelled registrants as denied
MAX_BATCH = 30  # registrants per batch request
DEFAULT_QUESTIONS: Record = {
    "questions": [{"field_name": "last_name", "required": False}],
    "custom_questions": [],
}


def public_registrant(stored: Record) -> Record:
    """A stored meeting registrant as answers show it: its own ID as `id`."""
    out = {k: v for k, v in stored.items() if k not in ("registrant_id", "topic", "start_time", "occurrences")}
    out["id"] = stored.get("registrant_id", stored.get("id"))
    return out


def _people(call: Call) -> tuple[Record, list[Record]]:
    """The path's meeting and its registrants."""
    meeting = call.state.meetings.get_or_404(call.params["meetingId"])
    return meeting, call.state.registrants.setdefault(meeting["id"], [])


def _one(call: Call, people: list[Record]) -> Record:
    return find_or_404(people, REGISTRANT, call.params["registrantId"], "registrant_id", "id")


def add_meeting_registrant(call: Call) -> Reply:
    """Approved at once; `occurrence_ids` (comma-separated) picks occurrences of a recurring meeting."""
    state = call.state
    meeting, people = _people(call)
    registrant = records.meeting_registrant(state, meeting, call.fields, call.query.get("occurrence_ids", ""))
    people.append(registrant)
    return 201, registrant


def add_meeting_registrants_batch(call: Call) -> Reply:
    """Up to 30 at once, each with an e-mail and a first name; scheduled meetings (type 2) only."""
    state = call.state
    meeting = state.meetings.get_or_404(call.params["meetingId"])
    if meeting["type"] != 2:
        raise call.error(400, 303, "This API can only be used for scheduled meeting(meeting type: 2).")
    people = call.fields.get("registrants") or []
    if len(people) > MAX_BATCH:
        raise ZoomHTTPError(400, 300, f"You can register at most {MAX_BATCH} registrants at once.")
    missing = [i for i, p in enumerate(people) if not p.get("email") or not p.get("first_name")]
    if missing:
        raise ZoomHTTPError(400, 300, f"Validation failed: registrants[{missing[0]}] needs email and first_name.")
    added = [records.meeting_registrant(state, meeting, person) for person in people]
    state.registrants.setdefault(meeting["id"], []).extend(added)
    return 201, {"registrants": added}


def list_meeting_registrants(call: Call) -> Reply:
    """Registrants with `status` (default approved), of `occurrence_id` when one is given."""
    _, people = _people(call)
    status = call.query.get("status") or "approved"
    if status not in STATUSES:
        raise ZoomHTTPError(400, 300, f"Invalid parameter: status. Expected one of: {', '.join(STATUSES)}.")
    wanted = call.query.get("occurrence_id")

    def in_occurrence(person: Record) -> bool:
        chosen = person.get("occurrences") or []
        return not wanted or not chosen or any(o["occurrence_id"] == wanted for o in chosen)

    rows = [public_registrant(p) for p in people if p.get("status", "approved") == status and in_occurrence(p)]
    return 200, paginate(call, complete(item_schema(call, "registrants"), rows), "registrants")


def get_meeting_registrant(call: Call) -> Reply:
    _, people = _people(call)
    return 200, complete(call.op.response_schema, public_registrant(_one(call, people)))


def delete_meeting_registrant(call: Call) -> Reply:
    meeting, people = _people(call)
    gone = _one(call, people)
    call.state.registrants[meeting["id"]] = [p for p in people if p is not gone]
    return 204, None


def set_status(call: Call, people: list[Record]) -> None:
    """approve / deny / cancel the listed registrants (by `id` or `email`), or all of them when none are listed."""
    new_status = call.action(ACTIONS)
    listed = call.fields.get("registrants") or []
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


def registration_questions(call: Call, key: int) -> Record:
    """The registration questions of a meeting or webinar (`key`), Zoom's default ones until they are set."""
    found = call.state.registration_questions.setdefault(key, {})
    for name, value in DEFAULT_QUESTIONS.items():
        found.setdefault(name, list(value))
    return found


def get_meeting_registration_questions(call: Call) -> Reply:
    return 200, registration_questions(call, call.state.meetings.get_or_404(call.params["meetingId"])["id"])


def update_meeting_registration_questions(call: Call) -> Reply:
    meeting = call.state.meetings.get_or_404(call.params["meetingId"])
    registration_questions(call, meeting["id"]).update(call.fields)
    return 204, None


HANDLERS: dict[str, Handler] = {
    "add_meeting_registrant": add_meeting_registrant,
    "add_meeting_registrants_batch": add_meeting_registrants_batch,
    "list_meeting_registrants": list_meeting_registrants,
    "get_meeting_registrant": get_meeting_registrant,
    "delete_meeting_registrant": delete_meeting_registrant,
    "update_meeting_registrant_status": update_meeting_registrant_status,
    "get_meeting_registration_questions": get_meeting_registration_questions,
    "update_meeting_registration_questions": update_meeting_registration_questions,
}
