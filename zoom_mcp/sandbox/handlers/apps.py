"""The `apps` toolset: Zoom Apps set to open automatically when a meeting starts (`state.open_apps`).

The app is the one behind the OAuth token (the requests carry no body): in the sandbox, its own
Server-to-Server app. A meeting opens at most three apps; neither call works once the meeting has started.
"""

from __future__ import annotations

from zoom_mcp.sandbox import records
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.state import Record

MAX_OPEN_APPS = 3  # per meeting, as Zoom allows


def _not_started(call: Call) -> Record:
    """The path's meeting, if it has not started (Zoom's 400 / 3000 if it has)."""
    state = call.state
    meeting = state.meetings.get_or_404(call.params["meetingId"])
    if meeting.get("status") == "started" or meeting["id"] in state.live:
        raise ZoomHTTPError(400, 3000, f"Meeting {meeting['id']} has started.")
    return meeting


def add_meeting_app(call: Call) -> Reply:
    """The calling app opens in the meeting from its start; adding it again answers the entry it has."""
    state = call.state
    meeting = _not_started(call)
    app_id = call.sandbox.credentials.client_id
    apps = state.open_apps.setdefault(meeting["id"], [])
    mine = [a for a in apps if a["app_id"] == app_id]
    if mine:
        return 201, mine[0]
    if len(apps) >= MAX_OPEN_APPS:
        raise ZoomHTTPError(400, 3000, f"You can only add up to {MAX_OPEN_APPS} apps.")
    added = records.open_app(state, meeting, app_id)
    apps.append(added)
    return 201, added


def delete_meeting_app(call: Call) -> Reply:
    """The calling app no longer opens in the meeting (other apps stay); nothing to remove is no error."""
    state = call.state
    meeting = _not_started(call)
    app_id = call.sandbox.credentials.client_id
    apps = state.open_apps.get(meeting["id"], [])
    if apps:
        state.open_apps[meeting["id"]] = [a for a in apps if a["app_id"] != app_id]
    return 204, None


HANDLERS: dict[str, Handler] = {
    "add_meeting_app": add_meeting_app,
    "delete_meeting_app": delete_meeting_app,
}
