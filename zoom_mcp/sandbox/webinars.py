"""Webinars: CRUD and status, panelists, registrants, registration questions, polls, surveys, templates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from zoom_mcp.sandbox.app import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.common import action, complete, item_schema, state_of
from zoom_mcp.sandbox.registration import find_poll, questions_of, set_status, survey_of, update_survey
from zoom_mcp.sandbox.state import State, as_int, iso, now_utc, paginate

MAX_PANELISTS = 100  # per request, as Zoom caps add_webinar_panelists


def new_webinar(
    state: State, webinar_id: int, host: dict[str, Any], fields: dict[str, Any], now: datetime
) -> dict[str, Any]:
    from zoom_mcp.sandbox.seed import occurrences  # late: seed.py seeds webinars through this module

    webinar: dict[str, Any] = {
        "id": webinar_id,
        "uuid": state.new_uuid(),
        "host_id": host["id"],
        "host_email": host["email"],
        "topic": "Zoom webinar",
        "type": 5,
        "duration": 60,
        "timezone": "UTC",
        "agenda": "",
        "created_at": iso(now),
        "start_time": iso(now),
        "join_url": f"https://zoom.us/j/{webinar_id}",
        "registration_url": f"https://zoom.us/webinar/register/{webinar_id}",
        "password": "webinar1",
        "is_simulive": False,
        "creation_source": "open_api",
        "settings": {"approval_type": 2, "host_video": True, "panelists_video": True, "practice_session": False},
    }
    webinar.update({k: v for k, v in fields.items() if k not in ("settings", "schedule_for", "default_passcode")})
    webinar["settings"].update(fields.get("settings") or {})
    if webinar["type"] == 6:
        webinar.pop("start_time", None)
    if webinar["type"] == 9:
        webinar["occurrences"] = occurrences(webinar)
    state.webinars[webinar_id] = webinar
    return webinar


def _webinar(call: Call) -> dict[str, Any]:
    raw = call.params["webinarId"]
    found = state_of(call).webinars.get(as_int(raw) or -1)
    if found is None:
        raise call.error(404, 3001, "Webinar does not exist: {webinarId}.", webinarId=raw)
    return found


def create_webinar(call: Call) -> Reply:
    state = state_of(call)
    host = state.user(call, call.params["userId"])
    webinar_id = state.new_id()
    while webinar_id in state.webinars or webinar_id in state.meetings:
        webinar_id = state.new_id()
    return 201, new_webinar(state, webinar_id, host, dict(call.body or {}), now_utc(call))


def get_webinar(call: Call) -> Reply:
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
    state = state_of(call)
    user = state.user(call, call.params["userId"])
    now = iso(now_utc(call))
    mine = [w for w in state.webinars.values() if w["host_id"] == user["id"]]
    if call.query.get("type") == "upcoming":
        mine = [w for w in mine if w["type"] == 6 or w.get("start_time", "") >= now or w.get("occurrences")]
    mine.sort(key=lambda w: w.get("start_time") or "9999")
    return 200, paginate(call, complete(item_schema(call, "webinars"), mine), "webinars")


def update_webinar(call: Call) -> Reply:
    webinar = _webinar(call)
    body = dict(call.body or {})
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
    state = state_of(call)
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
    action(call, {"end": "end"})
    webinar["status"] = "ended"
    return 200, None


# --- panelists ------------------------------------------------------------------------------------------------


def list_webinar_panelists(call: Call) -> Reply:
    people = state_of(call).panelists.get(_webinar(call)["id"], [])
    return 200, {"total_records": len(people), "panelists": people}


def add_webinar_panelists(call: Call) -> Reply:
    state = state_of(call)
    webinar = _webinar(call)
    wanted = (call.body or {}).get("panelists") or []
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
        panelist_id = state.new_key()
        people.append({**person, "id": panelist_id, "join_url": f"https://zoom.us/w/{webinar['id']}?tk={panelist_id}"})
    return 201, {"id": str(webinar["id"]), "updated_at": iso(now_utc(call))}


def remove_webinar_panelist(call: Call) -> Reply:
    state = state_of(call)
    webinar = _webinar(call)
    people = state.panelists.get(webinar["id"], [])
    left = [p for p in people if call.params["panelistId"] not in (p["id"], p["email"])]
    if len(left) == len(people):
        raise ZoomHTTPError(404, 3001, f"Panelist does not exist: {call.params['panelistId']}.")
    state.panelists[webinar["id"]] = left
    return 204, None


def remove_all_webinar_panelists(call: Call) -> Reply:
    state_of(call).panelists[_webinar(call)["id"]] = []
    return 204, None


# --- registrants ----------------------------------------------------------------------------------------------


def _registrants(call: Call) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    webinar = _webinar(call)
    return webinar, state_of(call).webinar_registrants.setdefault(webinar["id"], [])


def _register(call: Call, webinar: dict[str, Any], person: dict[str, Any], approve: bool | None = None) -> dict:
    state = state_of(call)
    registrant_id = state.new_key()
    manual = webinar["settings"].get("approval_type") == 1
    stored = {
        **person,
        "id": registrant_id,
        "status": "approved" if (approve if approve is not None else not manual) else "pending",
        "create_time": iso(now_utc(call)),
        "join_url": f"https://zoom.us/w/{webinar['id']}?tk={registrant_id}",
    }
    state.webinar_registrants.setdefault(webinar["id"], []).append(stored)
    return stored


def add_webinar_registrant(call: Call) -> Reply:
    webinar = _webinar(call)
    stored = _register(call, webinar, dict(call.body or {}))
    return 201, {
        "id": webinar["id"],
        "registrant_id": stored["id"],
        "topic": webinar["topic"],
        "start_time": webinar.get("start_time", ""),
        "join_url": stored["join_url"],
        "occurrences": webinar.get("occurrences") or [],
    }


def add_webinar_registrants_batch(call: Call) -> Reply:
    webinar = _webinar(call)
    body = call.body or {}
    people = body.get("registrants") or []
    if len(people) > 30:
        raise ZoomHTTPError(400, 300, "You can register at most 30 registrants at once.")
    added = [_register(call, webinar, p, bool(body.get("auto_approve")) or None) for p in people]
    return 201, {
        "registrants": [{"email": a["email"], "registrant_id": a["id"], "join_url": a["join_url"]} for a in added]
    }


def list_webinar_registrants(call: Call) -> Reply:
    _, people = _registrants(call)
    status = call.query.get("status") or "approved"
    rows = [p for p in people if p["status"] == status]
    return 200, paginate(call, complete(item_schema(call, "registrants"), rows), "registrants")


def _registrant(call: Call, people: list[dict[str, Any]]) -> dict[str, Any]:
    for person in people:
        if person["id"] == call.params["registrantId"]:
            return person
    raise call.error(404, 3079, "This registrant does not exist: {registrantId}.")


def get_webinar_registrant(call: Call) -> Reply:
    _, people = _registrants(call)
    return 200, complete(call.op.response_schema, _registrant(call, people))


def delete_webinar_registrant(call: Call) -> Reply:
    webinar, people = _registrants(call)
    gone = _registrant(call, people)
    state_of(call).webinar_registrants[webinar["id"]] = [p for p in people if p is not gone]
    return 204, None


def update_webinar_registrant_status(call: Call) -> Reply:
    _, people = _registrants(call)
    set_status(call, people)
    return 204, None


def get_webinar_registration_questions(call: Call) -> Reply:
    return 200, questions_of(call, _webinar(call)["id"])


def update_webinar_registration_questions(call: Call) -> Reply:
    questions_of(call, _webinar(call)["id"]).update(call.body or {})
    return 204, None


# --- polls and surveys ----------------------------------------------------------------------------------------


def _polls(call: Call) -> list[dict[str, Any]]:
    return state_of(call).webinar_polls.setdefault(_webinar(call)["id"], [])


def list_webinar_polls(call: Call) -> Reply:
    polls = _polls(call)
    return 200, {"total_records": len(polls), "polls": polls}


def create_webinar_poll(call: Call) -> Reply:
    state = state_of(call)
    poll = {"id": state.new_key(), "status": "notstart", "anonymous": False, "poll_type": 1, **(call.body or {})}
    _polls(call).append(poll)
    return 201, poll


def get_webinar_poll(call: Call) -> Reply:
    return 200, find_poll(call, _polls(call))


def update_webinar_poll(call: Call) -> Reply:
    find_poll(call, _polls(call)).update(call.body or {})
    return 204, None


def delete_webinar_poll(call: Call) -> Reply:
    polls = _polls(call)
    gone = find_poll(call, polls)
    polls.remove(gone)
    return 204, None


def get_webinar_survey(call: Call) -> Reply:
    return 200, survey_of(call, _webinar(call)["id"])


def update_webinar_survey(call: Call) -> Reply:
    update_survey(call, _webinar(call)["id"])
    return 204, None


def delete_webinar_survey(call: Call) -> Reply:
    state_of(call).surveys.pop(_webinar(call)["id"], None)
    return 204, None


# --- templates ------------------------------------------------------------------------------------------------


def list_webinar_templates(call: Call) -> Reply:
    state = state_of(call)
    user = state.user(call, call.params["userId"])
    templates = [{"type": 1, **t} for t in state.webinar_templates.get(user["id"], [])]
    return 200, {"total_records": len(templates), "templates": templates}


def create_webinar_template(call: Call) -> Reply:
    state = state_of(call)
    user = state.user(call, call.params["userId"])
    body = call.body or {}
    webinar = state.webinars.get(as_int(body.get("webinar_id", "")) or -1)
    if webinar is None:
        raise call.error(404, 3001, "Webinar does not exist: {webinarId}.", webinarId=body.get("webinar_id", ""))
    name = body.get("name") or webinar["topic"]
    templates = state.webinar_templates.setdefault(user["id"], [])
    same = [t for t in templates if t["name"] == name]
    if same and not body.get("overwrite"):
        raise ZoomHTTPError(400, 3000, f"Webinar template name already exists: {name}.")
    if same:
        return 201, same[0]
    template = {"id": state.new_key(), "name": name, "webinar_id": webinar["id"]}
    templates.append(template)
    return 201, template


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
    "list_webinar_templates": list_webinar_templates,
    "create_webinar_template": create_webinar_template,
}
