"""What the Claude connector directory reviews a server by, kept over the real `tools/list` of every toolset.

- every tool has a human title (`title`, and the same `annotations.title`), unique across the server;
- `readOnlyHint` / `destructiveHint` follow the tool's safety class (tools.yaml; task-level tools are reads):
  read -> read-only, not destructive; write -> neither; destructive -> destructive, not read-only;
- names are at most 64 characters (snake_case: letters, digits, underscores);
- read and write tools are separate: no tool both reads and writes. Checked two ways: (1) statically, each
  endpoint tool is exactly one Zoom operation, and it is read-only exactly when that operation is a GET,
  so a read-only tool cannot send a write and a write tool's own request is a write (that each tool
  sends one request to its operation and only reads besides is tests/test_every_tool.py); (2) by running
  them, the task-level tools (which make many requests) send nothing but GETs to the sandbox.
"""

from __future__ import annotations

import re
from typing import Any

import mcp_types as types
import pytest
from mcp import Client

from tests.conftest import CATALOG, running
from tests.test_approvals import enrolled_config
from zoom_mcp.clock import FixedClock
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.tasks.tools import TASK_TOOLS

pytestmark = pytest.mark.anyio

NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def safety_class(name: str) -> str:
    op = CATALOG.get(name)
    return op.safety if op is not None else TASK_TOOLS[name].safety


async def all_tools(clock: FixedClock, sandbox: Sandbox, **flags: Any) -> list[types.Tool]:
    with enrolled_config() as env:  # --confirm human starts only with a passkey enrolled
        async with running(sandbox, clock, env, **flags) as app, Client(app.server) as client:
            return (await client.list_tools()).tools


@pytest.mark.parametrize("confirm", ["destructive", "human"])  # the default, and the mode for desktop use
async def test_every_tool_meets_the_review_criteria(clock: FixedClock, sandbox: Sandbox, confirm: str) -> None:
    tools = await all_tools(clock, sandbox, toolsets="all", confirm=confirm)
    assert {t.name for t in tools} == {op.name for op in CATALOG} | set(TASK_TOOLS)  # every toolset is listed
    problems = []
    for tool in tools:
        hints = tool.annotations
        if not NAME.fullmatch(tool.name):
            problems.append(f"{tool.name}: name is not 1-64 characters of [a-z0-9_]")
        if not tool.title or hints is None or hints.title != tool.title:
            problems.append(f"{tool.name}: needs a title, the same in its annotations")
            continue
        expected = {
            "read": (True, False),
            "write": (False, False),
            "destructive": (False, True),
        }[safety_class(tool.name)]
        if (hints.read_only_hint, hints.destructive_hint) != expected:
            problems.append(
                f"{tool.name} ({safety_class(tool.name)}): readOnlyHint={hints.read_only_hint}, "
                f"destructiveHint={hints.destructive_hint}, expected {expected}"
            )
    assert problems == []
    titles = [t.title for t in tools]
    assert len(set(titles)) == len(titles), "two tools share a title"


def test_each_endpoint_tool_is_read_only_exactly_when_its_one_operation_is_a_get() -> None:
    mixed = [(op.name, op.method, op.safety) for op in CATALOG if (op.method == "GET") != (op.safety == "read")]
    assert mixed == []


async def test_the_task_level_tools_only_read(clock: FixedClock, sandbox: Sandbox) -> None:
    async with running(sandbox, clock, toolsets="all") as app, Client(app.server) as client:
        found = await client.call_tool("search_recordings", {"query": "launch date"})
        assert not found.is_error
        uuid = found.structured_content["hits"][0]["meeting_uuid"]
        for name, arguments in [
            ("read_meeting_transcript", {"meeting_id": uuid}),
            ("read_meeting_transcript", {"meeting_id": uuid, "source": "chat"}),
            ("get_meeting_brief", {"meeting_id": uuid}),
        ]:
            result = await client.call_tool(name, arguments)
            assert not result.is_error, (name, result.content[0].text)
    assert {t.safety for t in TASK_TOOLS.values()} == {"read"}
    assert sandbox.requests, "the tools reached the sandbox"
    assert sandbox.mutating_requests() == []
