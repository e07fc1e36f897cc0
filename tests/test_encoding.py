"""Path values are percent-encoded: no argument can change the path; Zoom's UUID rule holds."""

from __future__ import annotations

import pytest
from mcp import Client

from zoom_mcp.api.serialize import encode_path_segment
from zoom_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        ("../users/me", "..%2Fusers%2Fme"),
        ("/ajXp112QmuoKj4854875==", "%252FajXp112QmuoKj4854875%253D%253D"),
        ("Rb4k//Yy8Ez8x+AZ5kzWg==", "Rb4k%252F%252FYy8Ez8x%252BAZ5kzWg%253D%253D"),
        ("aBc+dEf=", "aBc%2BdEf%3D"),
        ("a/b", "a%2Fb"),
        ("?x=1#y", "%3Fx%3D1%23y"),
        (85746065432, "85746065432"),
    ],
)
def test_encode_path_segment(value: object, encoded: str) -> None:
    assert encode_path_segment(value) == encoded


@pytest.mark.parametrize("hostile", ["../users/me", "../../oauth/token", "me/recordings?trash=true", "%2e%2e"])
async def test_hostile_ids_stay_inside_their_segment(mcp: Client, sandbox: Sandbox, hostile: str) -> None:
    result = await mcp.call_tool("get_meeting_recordings", {"meetingId": hostile})
    assert result.is_error
    [request] = sandbox.requests
    assert request.operation == "get_meeting_recordings"
    assert request.path_params["meetingId"] == hostile
    assert request.raw_path.startswith("/v2/meetings/") and request.raw_path.endswith("/recordings")
    assert request.raw_path.count("/") == 4
    assert request.status == 404
