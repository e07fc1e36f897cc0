"""Zoom's "does not exist" errors for operations that have no hand-written behaviour.

The schema-shaped default answers any ID, which would let an agent believe a typo worked. Before
the default runs, each path value that names something the sandbox keeps (a user, a meeting or
one of its past instances, a webinar) is looked up, and an unknown one raises `Missing`, which
the gateway answers with the operation's documented error. IDs of things the sandbox does not
model (name tags, chat messages) are taken as they come.
"""

from __future__ import annotations

from zoom_mcp.sandbox.engine.calls import Call
from zoom_mcp.sandbox.state import MEETING, WEBINAR, State, as_int


def check_path_ids(call: Call) -> None:
    """Raise `Missing` for the first path value that names a user, meeting or webinar the account lacks."""
    state = call.state
    for name, value in call.params.items():
        if name == "userId":
            state.users.get_or_404(value)
        elif name == "meetingId" and not _known_meeting(state, value):
            raise MEETING.missing(value)
        elif name == "webinarId" and not _known_webinar(state, value):
            raise WEBINAR.missing(value)


def _known_meeting(state: State, value: str) -> bool:
    """A scheduled or live meeting by ID, or a past instance by UUID or by its meeting ID."""
    number = as_int(value)
    if number is not None:
        return (
            number in state.meetings
            or number in state.live
            or any(m["id"] == number for m in state.instances().values())
        )
    return value in state.instances()


def _known_webinar(state: State, value: str) -> bool:
    """A webinar by ID or by UUID."""
    number = as_int(value)
    if number is not None:
        return number in state.webinars
    return any(w.get("uuid") == value for w in state.webinars.values())
