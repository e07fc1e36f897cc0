"""The `live_meetings` toolset: meetings in progress - their chat, in-meeting controls, local recording tokens.

Only a meeting in progress (`state.live`) answers; an ended, scheduled or unknown one gets the
operation's "no such meeting", as Zoom gives it.
"""

from __future__ import annotations

from zoom_mcp.sandbox import records
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.state import CHAT_MESSAGE, Record

RECORDING_STATES = {"start": "started", "resume": "started", "stop": "stopped", "pause": "paused"}


def _live(call: Call) -> Record:
    return call.state.live.get_or_404(call.params["meetingId"])


def _message(call: Call) -> Record:
    messages = _live(call)["messages"]
    found = messages.get(call.params["messageId"])
    if found is None:
        raise CHAT_MESSAGE.missing(call.params["messageId"])
    return found


def update_live_meeting_chat_message(call: Call) -> Reply:
    _message(call)["message_content"] = call.fields.get("message_content", "")
    return 204, None


def delete_live_meeting_chat_message(call: Call) -> Reply:
    del _live(call)["messages"][_message(call)["message_id"]]
    return 204, None


def control_live_meeting(call: Call) -> Reply:
    """Records every control; `recording.start|resume|stop|pause` also change the meeting's recording state."""
    live = _live(call)
    method = call.fields.get("method")
    if not method:
        raise ZoomHTTPError(400, 300, "Invalid parameter: method.")
    live["events"].append({"method": method, "params": call.fields.get("params")})
    if method.startswith("recording."):
        live["recording"] = RECORDING_STATES.get(method.split(".", 1)[1], live.get("recording", "stopped"))
    return 202, None


def get_local_recording_join_token(call: Call) -> Reply:
    call.state.meetings.get_or_404(call.params["meetingId"])
    return 200, records.join_token(call.state)


HANDLERS: dict[str, Handler] = {
    "update_live_meeting_chat_message": update_live_meeting_chat_message,
    "delete_live_meeting_chat_message": delete_live_meeting_chat_message,
    "control_live_meeting": control_live_meeting,
    "get_local_recording_join_token": get_local_recording_join_token,
}
