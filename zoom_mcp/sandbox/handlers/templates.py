"""The `templates` toolset: meeting and webinar templates, per user."""

from __future__ import annotations

from zoom_mcp.sandbox import records
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply, ZoomHTTPError

MAX_MEETING_TEMPLATES = 40  # per user


def list_meeting_templates(call: Call) -> Reply:
    user = call.state.users.get_or_404(call.params["userId"])
    templates = [{"type": 1, **t} for t in call.state.templates.get(user["id"], [])]
    return 200, {"total_records": len(templates), "templates": templates}


def create_meeting_template(call: Call) -> Reply:
    """A template from one of the user's meetings; names are unique per user unless `overwrite`."""
    state = call.state
    user = state.users.get_or_404(call.params["userId"])
    body = call.fields
    meeting = state.meetings.get_or_404(body.get("meeting_id", ""))
    name = body.get("name") or meeting["topic"]
    templates = state.templates.setdefault(user["id"], [])
    same = [t for t in templates if t["name"] == name]
    if same and not body.get("overwrite"):
        raise ZoomHTTPError(400, 3000, f"Meeting template name already exists: {name}.")
    if same:
        same[0]["settings"] = dict(meeting["settings"])
        return 201, same[0]
    if len(templates) >= MAX_MEETING_TEMPLATES:
        raise call.error(400, 300, "You can only create up to 40 meeting templates.")
    template = records.template(state, name, meeting_id=meeting["id"], settings=dict(meeting["settings"]))
    templates.append(template)
    return 201, template


def list_webinar_templates(call: Call) -> Reply:
    user = call.state.users.get_or_404(call.params["userId"])
    templates = [{"type": 1, **t} for t in call.state.webinar_templates.get(user["id"], [])]
    return 200, {"total_records": len(templates), "templates": templates}


def create_webinar_template(call: Call) -> Reply:
    """A template from one of the user's webinars; names are unique per user unless `overwrite`."""
    state = call.state
    user = state.users.get_or_404(call.params["userId"])
    body = call.fields
    webinar = state.webinars.get_or_404(body.get("webinar_id", ""))
    name = body.get("name") or webinar["topic"]
    templates = state.webinar_templates.setdefault(user["id"], [])
    same = [t for t in templates if t["name"] == name]
    if same and not body.get("overwrite"):
        raise ZoomHTTPError(400, 3000, f"Webinar template name already exists: {name}.")
    if same:
        return 201, same[0]
    template = records.template(state, name, webinar_id=webinar["id"])
    templates.append(template)
    return 201, template


HANDLERS: dict[str, Handler] = {
    "list_meeting_templates": list_meeting_templates,
    "create_meeting_template": create_meeting_template,
    "list_webinar_templates": list_webinar_templates,
    "create_webinar_template": create_webinar_template,
}
