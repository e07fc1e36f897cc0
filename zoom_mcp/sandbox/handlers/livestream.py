"""The `livestream` toolset: livestreaming meetings to custom platforms.

Where a meeting streams to is kept on the meeting (`livestream`); whether it is streaming, and how,
on the meeting in progress (`state.live[...]["livestream"]`), since only a live meeting streams.
"""

from __future__ import annotations

from zoom_mcp.sandbox import records
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.state import Record

STREAM_FIELDS = ("stream_url", "stream_key", "page_url", "resolution")


def _target(meeting: Record) -> Record:
    """Where the meeting streams to: what was set, else a made-up RTMP target."""
    return meeting.get("livestream") or {
        "stream_url": "rtmp://live.example.com/zoom",
        "stream_key": f"key-{meeting['id']}",
        "page_url": f"https://live.example.com/{meeting['id']}",
        "resolution": "720p",
    }


def get_meeting_livestream(call: Call) -> Reply:
    """The meeting's stream settings; a made-up RTMP target until some are set."""
    return 200, _target(call.state.meetings.get_or_404(call.params["meetingId"]))


def update_meeting_livestream(call: Call) -> Reply:
    """Sets the target (stream_url, stream_key and page_url required; resolution kept unless given)."""
    meeting = call.state.meetings.get_or_404(call.params["meetingId"])
    given = {k: call.fields[k] for k in STREAM_FIELDS if call.fields.get(k) is not None}
    meeting["livestream"] = {**meeting.get("livestream", {}), **given}
    return 204, None


def update_meeting_livestream_status(call: Call) -> Reply:
    """`start` streams the meeting in progress to its target, `stop` ends that; `mode` changes the view while
    it streams. `settings` (layout, captions, speaker name) are kept with the stream."""
    state = call.state
    meeting = state.meetings.get_or_404(call.params["meetingId"])
    live = state.live.get(meeting["id"])
    if live is None:
        raise ZoomHTTPError(400, 4927, f"Meeting {meeting['id']} has not started.")
    action = call.action({"start": "start", "stop": "stop", "mode": "mode"})
    stream = live.get("livestream") or {"status": "stopped", "settings": {}}
    if action == "mode" and stream["status"] != "started":
        raise ZoomHTTPError(400, 300, "Invalid parameter: action. The meeting is not being live streamed.")
    live["livestream"] = stream
    settings = call.fields.get("settings")
    if isinstance(settings, dict):
        stream["settings"].update(settings)
    if action == "start":
        stream.update(status="started", stream_url=_target(meeting)["stream_url"])
    elif action == "stop":
        stream["status"] = "stopped"
    return 204, None


def get_live_streaming_join_token(call: Call) -> Reply:
    call.state.meetings.get_or_404(call.params["meetingId"])
    return 200, records.join_token(call.state)


HANDLERS: dict[str, Handler] = {
    "get_meeting_livestream": get_meeting_livestream,
    "update_meeting_livestream": update_meeting_livestream,
    "update_meeting_livestream_status": update_meeting_livestream_status,
    "get_live_streaming_join_token": get_live_streaming_join_token,
}
