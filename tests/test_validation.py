"""Bad arguments never reach Zoom: every problem is named, and no request is sent."""

from __future__ import annotations

import pytest
from mcp import Client

from tests.conftest import CATALOG
from zoom_mcp.api import Catalog
from zoom_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio

WITH_REQUIRED = sorted(op.name for op in CATALOG if op.input_schema.get("required"))


@pytest.mark.parametrize("name", WITH_REQUIRED)
async def test_missing_required_argument_is_refused_without_a_request(
    mcp: Client, sandbox: Sandbox, catalog: Catalog, name: str
) -> None:
    op = catalog.get(name)
    assert op is not None
    result = await mcp.call_tool(name, {})
    assert result.is_error
    text = result.content[0].text
    for required in op.input_schema["required"]:
        assert f"- {required}: is required" in text
    assert "nothing was sent" in text
    assert sandbox.requests == [] and sandbox.token_requests == 0


async def test_every_problem_is_reported_at_once(mcp: Client, sandbox: Sandbox) -> None:
    result = await mcp.call_tool(
        "create_meeting",
        {
            "userId": "me",
            "type": 9,
            "duration": "long",
            "start_time": "tomorrow at 3",
            "settings": {"host_video": "yes", "approval_type": 7},
            "colour": "blue",
        },
    )
    assert result.is_error
    text = result.content[0].text
    assert "- type: must be one of 1, 2, 3, 8, 10; got 9" in text
    assert '- duration: must be integer, got string "long"' in text
    assert "- start_time: must be a date-time value" in text
    assert '- settings.host_video: must be boolean, got string "yes"' in text
    assert "- settings.approval_type: must be one of 0, 1, 2; got 7" in text
    assert "- colour: unknown argument(s) colour; valid: " in text
    assert sandbox.requests == []


async def test_limits_and_formats_are_enforced(mcp: Client, sandbox: Sandbox) -> None:
    result = await mcp.call_tool(
        "create_meeting", {"userId": "me", "duration": 5000, "agenda": "x" * 2001, "password": "12345678901"}
    )
    text = result.content[0].text
    assert result.is_error
    assert "duration: 5000 is greater than the maximum of 1440" in text
    assert "agenda: " in text and "password: " in text
    assert sandbox.requests == []


async def test_large_meeting_ids_keep_every_digit(mcp: Client, sandbox: Sandbox) -> None:
    big = 98765432109876543  # beyond 2**53: a float would round it
    result = await mcp.call_tool("get_meeting", {"meetingId": big})
    assert result.is_error and "98765432109876543" in result.content[0].text
    assert sandbox.requests[0].path_params["meetingId"] == "98765432109876543"


async def test_integer_booleans_are_not_integers(mcp: Client, sandbox: Sandbox) -> None:
    result = await mcp.call_tool("get_meeting", {"meetingId": True})
    assert result.is_error and "meetingId: must be integer, got boolean" in result.content[0].text
    assert sandbox.requests == []
