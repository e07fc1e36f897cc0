"""The `livestream` toolset: livestreaming meetings to custom platforms."""

from __future__ import annotations

from zoom_mcp.sandbox import records
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply


def get_meeting_livestream(call: Call) -> Reply:
    """The meeting's stream settings; a made-up RTMP target until some are set."""
    meeting = call.state.meetings.get_or_404(call.params["meetingId"])
    return 200, meeting.get("livestream") or {
        "stream_url": "rtmp://live.example.com/zoom",
        "stream_key": f"key-{meeting['id']}",
        "page_url": f"https://live.example.com/{meeting['id']}",
        "resolution": "720p",
    }


def get_live_streaming_join_token(call: Call) -> Reply:
    call.state.meetings.get_or_404(call.params["meetingId"])
    return 200, records.join_token(call.state)


HANDLERS: dict[str, Handler] = {
    "get_meeting_livestream": get_meeting_livestream,
    "get_live_streaming_join_token": get_live_streaming_join_token,
}
