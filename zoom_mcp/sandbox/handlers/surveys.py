"""The `surveys` toolset: meeting surveys (get, update, delete). Webinar surveys work the same way."""

from __future__ import annotations

from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply
from zoom_mcp.sandbox.state import Record


def survey_of(call: Call, key: int) -> Record:
    """A meeting's (or webinar's) survey; one that was never set (or was deleted) is empty, as Zoom shows it."""
    return call.state.surveys.get(key) or {"show_in_the_browser": False, "third_party_survey": ""}


def update_survey(call: Call, key: int) -> None:
    """PATCH semantics; `custom_survey` is merged field by field."""
    body = dict(call.fields)
    current = call.state.surveys.setdefault(key, {})
    if isinstance(body.get("custom_survey"), dict):
        current["custom_survey"] = {**(current.get("custom_survey") or {}), **body.pop("custom_survey")}
    current.update(body)


def _meeting_id(call: Call) -> int:
    return call.state.meetings.get_or_404(call.params["meetingId"])["id"]


def get_meeting_survey(call: Call) -> Reply:
    return 200, survey_of(call, _meeting_id(call))


def update_meeting_survey(call: Call) -> Reply:
    update_survey(call, _meeting_id(call))
    return 204, None


def delete_meeting_survey(call: Call) -> Reply:
    call.state.surveys.pop(_meeting_id(call), None)
    return 204, None


HANDLERS: dict[str, Handler] = {
    "get_meeting_survey": get_meeting_survey,
    "update_meeting_survey": update_meeting_survey,
    "delete_meeting_survey": delete_meeting_survey,
}
