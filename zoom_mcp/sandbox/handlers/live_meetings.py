"""The `live_meetings` toolset: meetings in progress - their chat, in-meeting controls, local recording tokens.

Only a meeting in progress (`state.live`) answers; an ended, scheduled or unknown one gets the
operation's "no such meeting", as Zoom gives it.
"""

from __future__ import annotations

from zoom_mcp.sandbox import records
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.state import CHAT_MESSAGE, Record, as_int

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


RTMS_STATES = {"start": "started", "resume": "started", "pause": "paused", "stop": "stopped"}


def update_live_meeting_rtms_status(call: Call) -> Reply:
    """Starts, pauses, resumes or stops an RTMS app's media stream for a participant (the host by default).

    Only the host may run it; anything but `start` needs the app running for that participant. The
    streams are kept on the meeting in progress (`rtms`: client ID, participant, status).
    """
    state = call.state
    number = as_int(call.params["meetingId"])
    live = state.live.get(number) if number is not None else None
    if live is None or number is None:
        meeting = state.meetings.get_or_404(call.params["meetingId"])
        raise ZoomHTTPError(400, 3000, f"Meeting {meeting['id']} has not started.")
    action = call.action({name: name for name in RTMS_STATES})
    settings = call.fields.get("settings")
    client_id = settings.get("client_id") if isinstance(settings, dict) else None
    if not isinstance(settings, dict) or not client_id:
        raise ZoomHTTPError(400, 300, "Validation Failed.", [{"field": "settings.client_id", "message": "Required."}])
    host_id = state.meetings[number]["host_id"] if number in state.meetings else None
    user_id = settings.get("participant_user_id") or host_id or ""
    user = next((u for u in state.users.values() if user_id in (u["id"], u["email"])), None)
    if user is None:
        raise ZoomHTTPError(400, 2312, f"User does not exist: {user_id}.")
    if user["id"] != host_id:
        raise call.error(403, 2308, "Only the meeting host can start the RTMS app.", participant_user_id=user_id)
    streams: list[Record] = live.get("rtms", [])
    found = next((r for r in streams if (r["client_id"], r["participant_user_id"]) == (client_id, user["id"])), None)
    if action != "start" and (found is None or found["status"] == "stopped"):
        raise ZoomHTTPError(
            400, 13277, f"Unable to '{action}' the RTMS app for user '{user_id}' because it has not been started."
        )
    if found is None:
        found = {"client_id": client_id, "participant_user_id": user["id"]}
        live["rtms"] = [*streams, found]
    found["status"] = RTMS_STATES[action]
    return 204, None


def get_local_recording_join_token(call: Call) -> Reply:
    call.state.meetings.get_or_404(call.params["meetingId"])
    return 200, records.join_token(call.state)


HANDLERS: dict[str, Handler] = {
    "update_live_meeting_chat_message": update_live_meeting_chat_message,
    "delete_live_meeting_chat_message": delete_live_meeting_chat_message,
    "control_live_meeting": control_live_meeting,
    "update_live_meeting_rtms_status": update_live_meeting_rtms_status,
    "get_local_recording_join_token": get_local_recording_join_token,
}
