"""Published output schemas accept what Zoom really sends; off-schema answers never fail a client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx2
import pytest
from mcp import Client

from tests.conftest import PINNED, running
from zoom_mcp.api import Catalog
from zoom_mcp.api.validate import problems_in
from zoom_mcp.app.settings import load
from zoom_mcp.clock import FixedClock
from zoom_mcp.server.results import conform

pytestmark = pytest.mark.anyio

# The shape of real answers that break Zoom's own schema: nulls, extra fields, "" for a
# timestamp declared as an object, an integer sent as a string, too few items for minItems.
OFF_SCHEMA_RECORDING = {
    "uuid": "Rb4k//Yy8Ez8x+AZ5kzWg==",
    "id": "85746065",
    "topic": None,
    "start_time": "",
    "duration": 12.5,
    "total_size": None,
    "recording_count": 0,
    "recording_files": [
        {"id": "f1", "file_type": "TRANSCRIPT", "file_size": None, "recording_start": "", "new_field": {"a": 1}},
        None,
    ],
    "participant_audio_files": [],
    "unexpected": [1, 2, 3],
}


def test_every_output_schema_accepts_nulls_extras_and_empty_lists(catalog: Catalog) -> None:
    for op in catalog:
        schema = op.output_schema
        if schema is None:
            continue
        nulls = {name: None for name in schema.get("properties", {})}
        assert problems_in(schema, {**nulls, "zoom_added_this": {"x": [None]}}) == [], op.name
        assert problems_in(schema, {}) == [], op.name


def test_archive_timestamps_declared_as_object_or_empty_string_accept_both(catalog: Catalog) -> None:
    op = catalog.get("get_meeting_archived_files")
    assert op is not None and op.output_schema is not None
    for value in ("", "2021-03-12T02:12:27Z", None):
        assert problems_in(op.output_schema, {"complete_time": value}) == []


def test_conform_leaves_out_only_what_breaks_the_schema(catalog: Catalog) -> None:
    op = catalog.get("get_meeting_recordings")
    assert op is not None
    answer = {"topic": {"unexpected": "object"}, "id": 85746065, "recording_files": "not-a-list"}
    repaired = conform(op, answer)
    assert repaired == {"id": 85746065}
    assert problems_in(op.output_schema, repaired) == []


@asynccontextmanager
async def zoom_answering(handler: Callable[[httpx2.Request], httpx2.Response]) -> AsyncIterator[Client]:
    """The server with a ready token, whose Zoom is `handler` (in place of the network)."""
    settings = load(
        {"ZOOM_ACCESS_TOKEN": "t", "ZOOM_API_BASE_URL": "https://zoom.invalid/v2"}, flags={"toolsets": "all"}
    )
    transport = httpx2.MockTransport(handler)
    async with (
        running(None, FixedClock(PINNED), settings=settings, transport=transport) as app,
        Client(app.server) as mcp,
    ):
        yield mcp


async def test_off_schema_answer_reaches_the_client_intact(catalog: Catalog) -> None:
    def zoom(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json=OFF_SCHEMA_RECORDING)

    async with zoom_answering(zoom) as mcp:
        result = await mcp.call_tool("get_meeting_recordings", {"meetingId": "85746065"})
    assert not result.is_error
    assert result.structured_content == OFF_SCHEMA_RECORDING


async def test_malformed_body_is_a_clear_tool_error(catalog: Catalog) -> None:
    def zoom(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, content=b"<html>gateway</html>")

    async with zoom_answering(zoom) as mcp:
        result = await mcp.call_tool("get_meeting", {"meetingId": 1})
    assert result.is_error and "not JSON" in result.content[0].text
