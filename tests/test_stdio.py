"""The real process on stdio: the SDK's stdio client against `zoom-mcp`."""

from __future__ import annotations

import json
import os
import sys

import pytest
from mcp import Client, StdioServerParameters

from tests.http_sandbox import serve_sandbox, zoom_env
from zoom_mcp.api import Catalog
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.tasks.tools import TASK_TOOLS

pytestmark = pytest.mark.anyio


def params(*args: str, env: dict[str, str] | None = None) -> StdioServerParameters:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ZOOM_", "COVERAGE"))}
    return StdioServerParameters(command=sys.executable, args=["-m", "zoom_mcp", *args], env={**base, **(env or {})})


async def test_sandbox_flag_serves_every_tool_and_says_it_is_fake(catalog: Catalog) -> None:
    async with Client(params("--sandbox", "--toolsets", "all")) as client:
        assert "SANDBOX MODE" in (client.instructions or "")
        tools = (await client.list_tools()).tools
        assert {t.name for t in tools} == {op.name for op in catalog} | set(TASK_TOOLS)
        result = await client.call_tool("list_user_recordings", {"userId": "me"})
        assert not result.is_error
        assert result.structured_content["meetings"]
        assert json.loads(result.content[0].text) == result.structured_content


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_stdio_server_with_real_credentials_flow_over_http(mode: str) -> None:
    """Server-to-Server OAuth over real HTTP: token request, then the calls, as Zoom would see them."""
    sandbox = Sandbox()
    with serve_sandbox(sandbox) as base:
        async with Client(params(env=zoom_env(base)), mode=mode) as client:
            assert "SANDBOX" not in (client.instructions or "")
            created = await client.call_tool(
                "create_meeting",
                {
                    "userId": "me",
                    "topic": "Budget review",
                    "type": 2,
                    "start_time": "2030-01-15T10:00:00Z",
                    "duration": 45,
                },
            )
            assert not created.is_error, created.content
            meeting_id = created.structured_content["id"]
            got = await client.call_tool("get_meeting", {"meetingId": meeting_id})
            assert got.structured_content["topic"] == "Budget review"
            bad = await client.call_tool("get_meeting", {"meetingId": "not-a-number"})
            assert bad.is_error and "meetingId" in bad.content[0].text
    assert sandbox.token_requests == 1
    assert [(r.method, r.operation) for r in sandbox.requests] == [
        ("POST", "create_meeting"),
        ("GET", "get_meeting"),
    ]
    assert sandbox.requests[0].json["topic"] == "Budget review"
    assert sandbox.requests[1].path_params["meetingId"] == str(meeting_id)


async def test_stdout_carries_only_protocol() -> None:
    """Every line the server writes to stdout is a JSON-RPC message, even with debug logging on."""
    import subprocess

    requests = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-11-25",
                "capabilities": {},
                "clientInfo": {"name": "t", "version": "0"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {
            "jsonrpc": "2.0",
            "id": 2,
            "method": "tools/call",
            "params": {"name": "get_meeting_recordings", "arguments": {"meetingId": "85746065"}},
        },
    ]
    env = {**params().env, "ZOOM_MCP_LOG_LEVEL": "DEBUG"}  # type: ignore[dict-item]
    proc = subprocess.Popen(
        [sys.executable, "-m", "zoom_mcp", "--sandbox"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdin and proc.stdout
    proc.stdin.write("\n".join(json.dumps(r) for r in requests) + "\n")
    proc.stdin.flush()
    # Keep stdin open until both answers are in: EOF on stdin ends the server.
    lines = [proc.stdout.readline(), proc.stdout.readline()]
    proc.stdin.close()
    stderr = proc.stderr.read() if proc.stderr else ""
    proc.wait(timeout=30)
    rest = [line for line in proc.stdout.read().splitlines() if line.strip()]
    assert rest == []
    for line in lines:
        assert json.loads(line)["jsonrpc"] == "2.0"
    assert json.loads(lines[1])["id"] == 2
    assert "SANDBOX MODE" in stderr
