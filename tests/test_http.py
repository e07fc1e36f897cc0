"""zoom-mcp over real HTTP on loopback: streamable HTTP and SSE, with its protections."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client

import zoom_mcp.sandbox.fixtures as s
from tests.conftest import CATALOG
from tests.http_server import zoom_mcp_http
from zoom_mcp.tasks.tools import TASK_TOOLS

pytestmark = pytest.mark.anyio
TOKEN = "test-token-3f9a"


@asynccontextmanager
async def streamable(base: str, token: str | None = TOKEN, mode: str = "auto") -> AsyncIterator[Client]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=30) as http,
        Client(streamable_http_client(f"{base}/mcp", http_client=http), mode=mode) as client,
    ):
        yield client


@asynccontextmanager
async def sse(base: str, token: str | None = TOKEN) -> AsyncIterator[Client]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with Client(sse_client(f"{base}/sse", headers=headers), mode="legacy") as client:
        yield client


@pytest.fixture(scope="module")
def server_url() -> AsyncIterator[str]:
    with zoom_mcp_http("--sandbox", "--toolsets", "all", env={"ZOOM_MCP_AUTH_TOKEN": TOKEN}, token=TOKEN) as base:
        yield base


@pytest.mark.parametrize("connect", [streamable, sse], ids=["streamable-http", "sse"])
async def test_list_and_call_tools(server_url: str, connect) -> None:
    async with connect(server_url) as client:
        assert "SANDBOX MODE" in (client.instructions or "")
        tools = (await client.list_tools()).tools
        assert {t.name for t in tools} == {op.name for op in CATALOG} | set(TASK_TOOLS)
        result = await client.call_tool("get_meeting", {"meetingId": s.SCHEDULED_MEETING_ID})
        assert not result.is_error and result.structured_content["topic"] == "Weekly design review"
        bad = await client.call_tool("get_meeting", {})
        assert bad.is_error and "meetingId: is required" in bad.content[0].text


@pytest.mark.parametrize("path", ["/mcp", "/sse", "/messages/?session_id=x"])
@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_every_route_needs_the_bearer_token(server_url: str, path: str, token: str | None) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = httpx2.post(f"{server_url}{path}", headers=headers, json={}, timeout=5)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert TOKEN not in response.text and (token is None or token not in response.text)


async def test_wrong_token_fails_the_mcp_client(server_url: str) -> None:
    with pytest.raises(Exception):  # noqa: B017 - the SDK surfaces the 401 in its own way
        async with streamable(server_url, token="wrong-token") as client:
            await client.list_tools()


@pytest.mark.parametrize("origin", ["http://evil.example", "https://localhost.evil.example", "null"])
def test_foreign_origin_is_forbidden(server_url: str, origin: str) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}", "Origin": origin}
    response = httpx2.post(f"{server_url}/mcp", headers=headers, json={}, timeout=5)
    assert response.status_code == 403 and "origin not allowed" in response.text


def test_loopback_origin_and_rebinding_host(server_url: str) -> None:
    ok = httpx2.get(
        f"{server_url}/healthz", headers={"Authorization": f"Bearer {TOKEN}", "Origin": "http://localhost:3000"}
    )
    assert ok.status_code == 200 and ok.json()["status"] == "ok"
    rebound = httpx2.post(
        f"{server_url}/mcp", headers={"Authorization": f"Bearer {TOKEN}", "Host": "attacker.example:80"}, json={}
    )
    assert rebound.status_code == 403 and "--allowed-hosts" in rebound.text


def test_request_body_is_capped(server_url: str) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    response = httpx2.post(f"{server_url}/mcp", headers=headers, content=b"[" + b"1," * 600_000 + b"1]", timeout=10)
    assert response.status_code == 413


def test_refuses_to_bind_publicly_without_a_token() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZOOM_")}
    proc = subprocess.run(
        [sys.executable, "-m", "zoom_mcp", "--sandbox", "--transport", "http", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "Refusing to serve on 0.0.0.0" in proc.stderr and "ZOOM_MCP_AUTH_TOKEN" in proc.stderr


async def test_twenty_sessions_of_twenty_five_calls_share_one_client(server_url: str) -> None:
    errors: list[str] = []
    done = 0

    async def one_session(index: int) -> None:
        nonlocal done
        async with streamable(server_url) as client:
            for _ in range(25):
                result = await client.call_tool("get_meeting", {"meetingId": s.SCHEDULED_MEETING_ID})
                if result.is_error:
                    errors.append(result.content[0].text)
                done += 1

    with anyio.fail_after(120):
        async with anyio.create_task_group() as tg:
            for index in range(20):
                tg.start_soon(one_session, index)
    assert errors == [] and done == 500


async def test_a_confirmation_token_cannot_cross_sessions(server_url: str) -> None:
    async with streamable(server_url, mode="legacy") as alice, streamable(server_url, mode="legacy") as mallory:
        preview = await alice.call_tool("delete_h323_device", {"deviceId": s.H323_DEVICE_ID})
        token = preview.structured_content["confirmation_token"]
        stolen = await mallory.call_tool(
            "delete_h323_device", {"deviceId": s.H323_DEVICE_ID, "confirmation_token": token}
        )
        assert stolen.is_error and "another client" in stolen.content[0].text
        used = await alice.call_tool("delete_h323_device", {"deviceId": s.H323_DEVICE_ID, "confirmation_token": token})
        assert not used.is_error, used.content


def test_idle_sessions_expire() -> None:
    """A session with nothing in flight and no open stream is closed; its ID then answers 404."""
    headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    init = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}},
    }
    listing = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
    with zoom_mcp_http("--sandbox", "--session-idle-timeout", "1") as base, httpx2.Client(timeout=10) as http:
        first = http.post(f"{base}/mcp", json=init, headers=headers)
        session = {**headers, "Mcp-Session-Id": first.headers["mcp-session-id"], "Mcp-Protocol-Version": "2025-11-25"}
        http.post(f"{base}/mcp", json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=session)
        assert http.post(f"{base}/mcp", json=listing, headers=session).status_code == 200
        time.sleep(2.5)
        assert http.post(f"{base}/mcp", json=listing, headers=session).status_code == 404


async def test_graceful_shutdown_lets_an_in_flight_call_finish() -> None:
    faults = '[{"fault": "delay", "seconds": 2, "operation": "get_meeting"}]'
    with zoom_mcp_http("--sandbox", env={"ZOOM_MCP_SANDBOX_FAULTS": faults}) as base:
        pid = int(httpx2.get(f"{base}/healthz").json()["pid"])
        async with streamable(base, token=None, mode="legacy") as client, anyio.create_task_group() as tg:
            results = []

            async def slow() -> None:
                results.append(await client.call_tool("get_meeting", {"meetingId": s.SCHEDULED_MEETING_ID}))

            tg.start_soon(slow)
            await anyio.sleep(0.7)
            os.kill(pid, 15)  # SIGTERM while the call waits on Zoom
    assert not results[0].is_error and results[0].structured_content["id"] == s.SCHEDULED_MEETING_ID


def test_auth_token_from_a_file_and_a_clear_error_for_a_missing_file(tmp_path) -> None:
    from zoom_mcp.app.settings import load
    from zoom_mcp.errors import ConfigError

    token_file = tmp_path / "token"
    token_file.write_text("from-a-file\n")
    flags = {"transport": "http", "host": "0.0.0.0", "auth_token_file": str(token_file)}
    settings = load({}, flags=flags)
    assert settings.auth_token == "from-a-file" and "from-a-file" not in repr(settings)
    with pytest.raises(ConfigError, match="cannot read the auth token file"):
        load({}, flags={"transport": "http", "auth_token_file": str(tmp_path / "missing")})
