"""Every catalog tool, end to end through an MCP client session against the sandbox.

And the call table's checks can fail: for every operation with a hand-written handler, and for every
write and destructive operation of the catalog (each must have one), the same call against a sandbox
whose handler for it does nothing (answers its success status with the schema's example, or with no
body) must fail its check.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx2
import mcp_types as types
import pytest
from mcp import Client
from mcp.server import Server

from tests.conftest import CATALOG
from tests.test_sandbox import call as http_call
from tests.test_sandbox import http
from tests.tool_calls import BY_HAND, CALLS, ToolCall, pinned
from zoom_mcp.api import Operation
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.sandbox.engine.answers import default_handler
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply
from zoom_mcp.sandbox.handlers import HANDLERS

pytestmark = pytest.mark.anyio

# Every operation that changes something: the default answer keeps no state, so each needs a handler.
MUTATING = frozenset(op.name for op in CATALOG if op.safety in ("write", "destructive"))


@pytest.fixture
def sandbox() -> Sandbox:
    """The seeded sandbox the server fixtures reach, its clock pinned (the call table's dates are its dates)."""
    return pinned()


async def accept(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
    return types.ElicitResult(action="accept", content={"confirm": True})


def test_the_call_table_covers_the_catalog() -> None:
    # What was written by hand covers every hand-written handler, and only catalog operations; the
    # generated calls are exactly the operations the schema-shaped default answers.
    catalog = {op.name for op in CATALOG}
    assert set(HANDLERS) - set(BY_HAND) == set()
    assert set(BY_HAND) <= catalog
    assert set(CALLS) - set(BY_HAND) == catalog - set(HANDLERS)
    assert set(CALLS) == {op.name for op in CATALOG}


def test_every_write_and_destructive_operation_has_a_handler() -> None:
    # Derived from the catalog, not from HANDLERS: a newly catalogued write without a handler fails here,
    # and in the do-nothing tests below (which run over these operations too).
    assert len(MUTATING) == sum(1 for op in CATALOG if op.safety != "read") > 0
    assert sorted(MUTATING - set(HANDLERS)) == []


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


# --- the checks can fail ----------------------------------------------------------------------------------------


def _empty_answer(call: Call) -> Reply:
    """A handler that does nothing and says nothing: the success status, no body."""
    return call.op.success_status, None


DO_NOTHING: dict[str, Handler] = {"schema example": default_handler, "empty answer": _empty_answer}


def _as_the_tool_sees_it(op: Operation, reply: httpx2.Response) -> Any:
    """The answer as `test_tool_end_to_end` hands it to a check (the server's structured content)."""
    body = reply.json() if reply.content else None
    if body is None:
        return {} if op.output_schema is not None else None
    if op.output_schema is not None and not isinstance(body, dict):
        return {"result": body}
    return body


def _passes(check: Callable[[Sandbox, Any], Any], sandbox: Sandbox, data: Any) -> bool:
    try:
        return bool(check(sandbox, data))
    except (KeyError, IndexError, TypeError, AttributeError, ValueError):
        return False


async def _run(sandbox: Sandbox, op: Operation, plan: ToolCall) -> bool:
    plan.setup(sandbox)
    async with http(sandbox) as client:
        reply = await http_call(client, op.name, plan.arguments)
    assert reply.status_code == op.success_status, (op.name, reply.text)
    return _passes(plan.check, sandbox, _as_the_tool_sees_it(op, reply))


@pytest.mark.parametrize("name", sorted(set(HANDLERS) | MUTATING))
async def test_the_check_passes_with_the_real_handler_over_http(name: str) -> None:
    op = CATALOG.get(name)
    assert op is not None
    assert await _run(pinned(), op, BY_HAND[name]), f"{name}: its check fails against the real handler"


@pytest.mark.parametrize("nothing", sorted(DO_NOTHING))
@pytest.mark.parametrize("name", sorted(set(HANDLERS) | MUTATING))
async def test_a_handler_that_does_nothing_fails_the_check(name: str, nothing: str) -> None:
    op = CATALOG.get(name)
    assert op is not None
    assert name in HANDLERS, f"{name}: no hand-written handler, so the schema-shaped default already does nothing"
    sandbox = pinned(handlers={**HANDLERS, name: DO_NOTHING[nothing]})
    assert not await _run(sandbox, op, BY_HAND[name]), f"{name}: its check passes when its handler does nothing"
