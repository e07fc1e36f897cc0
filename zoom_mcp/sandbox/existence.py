"""Zoom's "does not exist" errors for operations that have no hand-written behaviour.

The schema-shaped default answers any ID, which would let an agent believe a typo worked. Before
the default runs, each path value that names something the sandbox keeps (a user, a meeting or
one of its past instances, a webinar) is looked up, and an unknown one gets the error Zoom gives.
IDs of things the sandbox does not model (name tags, chat messages) are taken as they come.
"""

from __future__ import annotations

from zoom_mcp.sandbox.app import Call
from zoom_mcp.sandbox.state import as_int, missing_meeting


def check_path_ids(call: Call) -> None:
    """Raise the operation's 404 (or documented 400) for the first unknown path value."""
    state = call.sandbox.state
    for name, value in call.params.items():
        if name == "userId":
            state.user(call, value)
        elif name == "meetingId" and not _known_meeting(call, value):
            raise missing_meeting(call, value)
        elif name == "webinarId" and not _known_webinar(call, value):
            raise call.error(404, 3001, "Webinar does not exist: {webinarId}.", webinarId=value)


def _known_meeting(call: Call, value: str) -> bool:
    state = call.sandbox.state
    number = as_int(value)
    if number is not None:
        past = (*state.recordings.values(), *state.past_meetings.values())
        return number in state.meetings or number in state.live or any(m["id"] == number for m in past)
    return value in state.recordings or value in state.past_meetings


def _known_webinar(call: Call, value: str) -> bool:
    webinars = call.sandbox.state.webinars
    number = as_int(value)
    if number is not None:
        return number in webinars
    return any(w.get("uuid") == value for w in webinars.values())
