"""The `webinars` toolset: webinars and their status, panelists, registrants, registration questions, polls, surveys.

Registrant status and registration questions work as for meetings (`registrants`), and so do polls
(`polls`) and surveys (`surveys`). Webinar templates are in `templates`; the rest of the toolset (branding,
livestream, past webinars) keeps the schema-shaped default answer.
"""

from __future__ import annotations

from zoom_mcp.sandbox import records
from zoom_mcp.sandbox.dates import iso
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.engine.gateway import complete, item_schema
from zoom_mcp.sandbox.engine.pagination import paginate
from zoom_mcp.sandbox.handlers.polls import remove_poll, the_poll
from zoom_mcp.sandbox.handlers.registrants import MAX_BATCH, registration_questions, set_status
from zoom_mcp.sandbox.handlers.surveys import survey_of, update_survey
from zoom_mcp.sandbox.state import PANELIST, REGISTRANT, Record, find_or_404

MAX_PANELISTS = 100  # per request, as Zoom caps add_webinar_panelists


def _webinar(call: Call) -> Record:
    return call.state.webinars.get_or_404(call.params["webinarId"])


def create_webinar(call: Call) -> Reply:
    state = call.state
    host = state.users.get_or_404(call.params["userId"])
    webinar_id = state.new_id()
    while webinar_id in state.webinars or webinar_id in state.meetings:
        webinar_id = state.new_id()
    state.webinars[webinar_id] = records.webinar(state, webinar_id, host, dict(call.fields), call.now())
    return 201, state.webinars[webinar_id]


def get_webinar(call: Call) -> Reply:
    """With `occurrence_id`, the webinar as of that occurrence."""
    webinar = _webinar(call)
    wanted = call.query.get("occurrence_id")
    if wanted:
        found = [o for o in webinar.get("occurrences") or [] if o["occurrence_id"] == wanted]
        if not found:
            raise ZoomHTTPError(400, 300, "Invalid parameter: `occurrence_id`.")
        return 200, {**webinar, "start_time": found[0]["start_time"], "occurrences": found}
    return 200, webinar


def list_webinars(call: Call) -> Reply:
    """`type=scheduled` (default): every webinar of the user; `upcoming`: those not yet over."""
    state = call.state
    user = state.users.get_or_404(call.params["userId"])
    now = iso(call.now())
    mine = [w for w in state.webinars.values() if w["host_id"] == user["id"]]
    if call.query.get("type") == "upcoming":
        mine = [w for w in mine if w["type"] == 6 or w.get("start_time", "") >= now or w.get("occurrences")]
    mine.sort(key=lambda w: w.get("start_time") or "9999")
    return 200, paginate(call, complete(item_schema(call, "webinars"), mine), "webinars")


def update_webinar(call: Call) -> Reply:
    """PATCH semantics; `occurrence_id` changes one occurrence's time."""
    webinar = _webinar(call)
    body = dict(call.fields)
    settings = body.pop("settings", None)
    wanted = call.query.get("occurrence_id")
    if wanted:
        for item in webinar.get("occurrences") or []:
            if item["occurrence_id"] == wanted:
                item.update({k: body[k] for k in ("start_time", "duration") if k in body})
                return 204, None
        raise ZoomHTTPError(400, 300, "Invalid parameter: `occurrence_id`.")
    webinar.update({k: v for k, v in body.items() if k != "schedule_for"})
    if settings:
        webinar["settings"].update(settings)
    return 204, None


def delete_webinar(call: Call) -> Reply:
    """The whole webinar with its panelists, registrants, polls and survey; or with `occurrence_id` that one."""
    state = call.state
    webinar = _webinar(call)
    wanted = call.query.get("occurrence_id")
    if wanted:
        webinar["occurrences"] = [o for o in webinar.get("occurrences") or [] if o["occurrence_id"] != wanted]
        return 204, None
    del state.webinars[webinar["id"]]
    for store in (state.panelists, state.webinar_registrants, state.webinar_polls, state.surveys):
        store.pop(webinar["id"], None)
    return 204, None


def update_webinar_status(call: Call) -> Reply:
    webinar = _webinar(call)
    call.action({"end": "end"})
    webinar["status"] = "ended"
    return 200, None


# --- panelists ------------------------------------------------------------------------------------------------


def list_webinar_panelists(call: Call) -> Reply:
    people = call.state.panelists.get(_webinar(call)["id"], [])
    return 200, {"total_records": len(people), "panelists": people}


def add_webinar_panelists(call: Call) -> Reply:
    """1 to 100 panelists, each with an e-mail; one already on the panel (same e-mail) is updated."""
    state = call.state
    webinar = _webinar(call)
    wanted = call.fields.get("panelists") or []
    if not wanted or len(wanted) > MAX_PANELISTS:
        raise ZoomHTTPError(400, 300, f"Validation Failed: panelists must have 1 to {MAX_PANELISTS} entries.")
    people = state.panelists.setdefault(webinar["id"], [])
    for person in wanted:
        if not person.get("email"):
            raise ZoomHTTPError(400, 300, "Validation Failed: every panelist needs an email.")
        same = [p for p in people if p["email"].lower() == person["email"].lower()]
        if same:
            same[0].update(person)
            continue
        people.append(records.panelist(state, webinar, person))
    return 201, {"id": str(webinar["id"]), "updated_at": iso(call.now())}


def remove_webinar_panelist(call: Call) -> Reply:
    """By panelist ID or e-mail."""
    state = call.state
    webinar = _webinar(call)
    people = state.panelists.get(webinar["id"], [])
    wanted = call.params["panelistId"]
    left = [p for p in people if wanted not in (p["id"], p["email"])]
    if len(left) == len(people):
        raise PANELIST.missing(wanted)
    state.panelists[webinar["id"]] = left
    return 204, None


def remove_all_webinar_panelists(call: Call) -> Reply:
    call.state.panelists[_webinar(call)["id"]] = []
    return 204, None


# --- registrants ----------------------------------------------------------------------------------------------


def _registrants(call: Call) -> tuple[Record, list[Record]]:
    """The path's webinar and its registrants."""
    webinar = _webinar(call)
    return webinar, call.state.webinar_registrants.setdefault(webinar["id"], [])


def _register(call: Call, webinar: Record, person: Record, approve: bool | None = None) -> Record:
    """A new registrant: approved unless the webinar wants manual approval (or `approve` says otherwise)."""
    manual = webinar["settings"].get("approval_type") == 1
    approved = approve if approve is not None else not manual
    stored = records.webinar_registrant(call.state, webinar, person, approved, call.now())
    call.state.webinar_registrants.setdefault(webinar["id"], []).append(stored)
    return stored


def add_webinar_registrant(call: Call) -> Reply:
    webinar = _webinar(call)
    stored = _register(call, webinar, dict(call.fields))
    return 201, {
        "id": webinar["id"],
        "registrant_id": stored["id"],
        "topic": webinar["topic"],
        "start_time": webinar.get("start_time", ""),
        "join_url": stored["join_url"],
        "occurrences": webinar.get("occurrences") or [],
    }


def add_webinar_registrants_batch(call: Call) -> Reply:
    """Up to 30 at once; `auto_approve` approves them whatever the webinar's approval setting."""
    webinar = _webinar(call)
    people = call.fields.get("registrants") or []
    if len(people) > MAX_BATCH:
        raise ZoomHTTPError(400, 300, f"You can register at most {MAX_BATCH} registrants at once.")
    added = [_register(call, webinar, p, bool(call.fields.get("auto_approve")) or None) for p in people]
    return 201, {
        "registrants": [{"email": a["email"], "registrant_id": a["id"], "join_url": a["join_url"]} for a in added]
    }


def list_webinar_registrants(call: Call) -> Reply:
    """Registrants with `status` (default approved)."""
    _, people = _registrants(call)
    status = call.query.get("status") or "approved"
    rows = [p for p in people if p["status"] == status]
    return 200, paginate(call, complete(item_schema(call, "registrants"), rows), "registrants")


def _one(call: Call, people: list[Record]) -> Record:
    return find_or_404(people, REGISTRANT, call.params["registrantId"], "id")


def get_webinar_registrant(call: Call) -> Reply:
    _, people = _registrants(call)
    return 200, complete(call.op.response_schema, _one(call, people))


def delete_webinar_registrant(call: Call) -> Reply:
    webinar, people = _registrants(call)
    gone = _one(call, people)
    call.state.webinar_registrants[webinar["id"]] = [p for p in people if p is not gone]
    return 204, None


def update_webinar_registrant_status(call: Call) -> Reply:
    _, people = _registrants(call)
    set_status(call, people)
    return 204, None


def get_webinar_registration_questions(call: Call) -> Reply:
    return 200, registration_questions(call, _webinar(call)["id"])


def update_webinar_registration_questions(call: Call) -> Reply:
    registration_questions(call, _webinar(call)["id"]).update(call.fields)
    return 204, None


# --- polls and surveys ----------------------------------------------------------------------------------------


def _polls(call: Call) -> list[Record]:
    return call.state.webinar_polls.setdefault(_webinar(call)["id"], [])


def list_webinar_polls(call: Call) -> Reply:
    polls = _polls(call)
    return 200, {"total_records": len(polls), "polls": polls}


def create_webinar_poll(call: Call) -> Reply:
    poll = records.poll(call.state, call.fields)
    _polls(call).append(poll)
    return 201, poll


def get_webinar_poll(call: Call) -> Reply:
    return 200, the_poll(call, _polls(call))


def update_webinar_poll(call: Call) -> Reply:
    the_poll(call, _polls(call)).update(call.fields)
    return 204, None


def delete_webinar_poll(call: Call) -> Reply:
    remove_poll(call, _polls(call))
    return 204, None


def get_webinar_survey(call: Call) -> Reply:
    return 200, survey_of(call, _webinar(call)["id"])


def update_webinar_survey(call: Call) -> Reply:
    update_survey(call, _webinar(call)["id"])
    return 204, None


def delete_webinar_survey(call: Call) -> Reply:
    call.state.surveys.pop(_webinar(call)["id"], None)
    return 204, None


HANDLERS: dict[str, Handler] = {
    "create_webinar": create_webinar,
    "get_webinar": get_webinar,
    "list_webinars": list_webinars,
    "update_webinar": update_webinar,
    "delete_webinar": delete_webinar,
    "update_webinar_status": update_webinar_status,
    "list_webinar_panelists": list_webinar_panelists,
    "add_webinar_panelists": add_webinar_panelists,
    "remove_webinar_panelist": remove_webinar_panelist,
    "remove_all_webinar_panelists": remove_all_webinar_panelists,
    "add_webinar_registrant": add_webinar_registrant,
    "add_webinar_registrants_batch": add_webinar_registrants_batch,
    "list_webinar_registrants": list_webinar_registrants,
    "get_webinar_registrant": get_webinar_registrant,
    "delete_webinar_registrant": delete_webinar_registrant,
    "update_webinar_registrant_status": update_webinar_registrant_status,
    "get_webinar_registration_questions": get_webinar_registration_questions,
    "update_webinar_registration_questions": update_webinar_registration_questions,
    "list_webinar_polls": list_webinar_polls,
    "create_webinar_poll": create_webinar_poll,
    "get_webinar_poll": get_webinar_poll,
    "update_webinar_poll": update_webinar_poll,
    "delete_webinar_poll": delete_webinar_poll,
    "get_webinar_survey": get_webinar_survey,
    "update_webinar_survey": update_webinar_survey,
    "delete_webinar_survey": delete_webinar_survey,
}
