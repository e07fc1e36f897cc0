"""Every catalog tool, end to end through an MCP client session against the sandbox."""

from __future__ import annotations

import json
from typing import Any

import mcp_types as types
import pytest
from mcp import Client
from mcp.server import Server

from tests.conftest import CATALOG
from tests.tool_calls import CALLS, pinned
from zoom_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio


@pytest.fixture
def sandbox() -> Sandbox:
    """The seeded sandbox the server fixtures reach, its clock pinned (the call table's dates are its dates)."""
    return pinned()


async def accept(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
    return types.ElicitResult(action="accept", content={"confirm": True})


def test_the_call_table_covers_the_catalog() -> None:
    assert set(CALLS) == {op.name for op in CATALOG}


@pytest.mark.parametrize("name", sorted(CALLS))
async def test_tool_end_to_end(server: Server, sandbox: Sandbox, name: str) -> None:
    op = CATALOG.get(name)
    assert op is not None
    call = CALLS[name]
    call.setup(sandbox)
    async with Client(server, elicitation_callback=accept) as client:
        result = await client.call_tool(name, call.arguments)
    text = result.content[0].text
    assert not result.is_error, text

    # Exactly one request reached the operation, shaped as the arguments say.
    hits = [r for r in sandbox.requests if r.operation == name]
    assert len(hits) == 1, sandbox.requests
    request = hits[0]
    assert request.method == op.method and 200 <= request.status < 300
    for arg, target in op.arguments.items():
        if arg not in call.arguments:
            continue
        value = call.arguments[arg]
        if target.location == "path":
            assert request.path_params[target.wire_name] == str(value)
        elif target.location == "query":
            assert request.query[target.wire_name] == (str(value).lower() if isinstance(value, bool) else str(value))
        elif target.location == "body":
            assert request.json[target.wire_name] == value
    assert all(r.method == "GET" for r in sandbox.requests if r is not request), "only reads besides the call"

    data = result.structured_content
    if data is None and text.startswith(("{", "[")):
        data = json.loads(text)
    if op.output_schema is not None:
        assert data == json.loads(text)
    assert call.check(sandbox, data), f"{name}: state or result not as expected: {data}"
