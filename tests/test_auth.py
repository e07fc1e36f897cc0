"""Server-to-Server OAuth: cached token, single-flight refresh, clear errors, no secret leaks."""

from __future__ import annotations

import anyio
import httpx2
import pytest
from mcp import Client

from tests.conftest import running
from tests.http_sandbox import zoom_env
from zoom_mcp.api.serialize import ZoomRequest
from zoom_mcp.app.settings import load
from zoom_mcp.client import ServerToServerOAuth, ZoomClient
from zoom_mcp.clock import FixedClock
from zoom_mcp.errors import ZoomAuthError
from zoom_mcp.sandbox import SANDBOX_CREDENTIALS, Sandbox
from zoom_mcp.sandbox.identity import BASE_URL as SANDBOX_BASE_URL
from zoom_mcp.sandbox.identity import ORIGIN as SANDBOX_ORIGIN
from zoom_mcp.sandbox.identity import TOKEN_URL as SANDBOX_TOKEN_URL

pytestmark = pytest.mark.anyio


def make_client(
    sandbox: Sandbox, *, secret: str = SANDBOX_CREDENTIALS.client_secret, clock: FixedClock | None = None
) -> tuple[ZoomClient, ServerToServerOAuth]:
    auth = ServerToServerOAuth(
        SANDBOX_CREDENTIALS.account_id,
        SANDBOX_CREDENTIALS.client_id,
        secret,
        SANDBOX_TOKEN_URL,
        clock=clock or FixedClock("2026-06-17T15:04:05Z"),
    )
    return ZoomClient(SANDBOX_BASE_URL, auth, transport=httpx2.ASGITransport(app=sandbox.app)), auth


async def test_fifty_concurrent_calls_share_one_token_request(sandbox: Sandbox, clock: FixedClock) -> None:
    async with running(sandbox, clock) as app, Client(app.server) as mcp:
        results = []

        async def one() -> None:
            results.append(await mcp.call_tool("list_user_recordings", {"userId": "me"}))

        async with anyio.create_task_group() as tg:
            for _ in range(50):
                tg.start_soon(one)
    assert len(results) == 50 and not any(r.is_error for r in results)
    assert sandbox.token_requests == 1
    assert len(sandbox.requests) == 50


async def test_token_is_cached_until_shortly_before_expiry(sandbox: Sandbox) -> None:
    clock = FixedClock("2026-06-17T15:04:05Z")
    client, _ = make_client(sandbox, clock=clock)
    async with client:
        await client.send(ZoomRequest("GET", "/users/me/recordings"))
        clock.advance(3000)  # still more than a minute left of 3599 s
        await client.send(ZoomRequest("GET", "/users/me/recordings"))
        assert sandbox.token_requests == 1
        clock.advance(560)  # inside the refresh margin
        await client.send(ZoomRequest("GET", "/users/me/recordings"))
        assert sandbox.token_requests == 2


async def test_stale_token_is_refreshed_once_for_concurrent_calls(sandbox: Sandbox) -> None:
    client, _ = make_client(sandbox)
    async with client:
        await client.send(ZoomRequest("GET", "/users/me/recordings"))
        sandbox.expire_tokens()
        sandbox.reset_log()
        async with anyio.create_task_group() as tg:
            for _ in range(50):
                tg.start_soon(client.send, ZoomRequest("GET", "/users/me/recordings"))
    assert sandbox.token_requests == 1
    statuses = [r.status for r in sandbox.requests]
    assert statuses.count(200) == 50 and statuses.count(401) == 50


async def test_bad_client_secret_names_the_env_vars_and_hides_the_secret(sandbox: Sandbox) -> None:
    client, _ = make_client(sandbox, secret="wrong-secret-value")
    async with client:
        with pytest.raises(ZoomAuthError) as info:
            await client.send(ZoomRequest("GET", "/users/me/recordings"))
    message = str(info.value)
    assert "ZOOM_CLIENT_SECRET" in message and "HTTP 401" in message
    assert "wrong-secret-value" not in message
    assert sandbox.requests == []


async def test_bad_credentials_become_a_tool_error(sandbox: Sandbox, clock: FixedClock) -> None:
    """A Server-to-Server app with a wrong secret, against the sandbox as Zoom (its transport in-process)."""
    settings = load({**zoom_env(SANDBOX_ORIGIN), "ZOOM_CLIENT_SECRET": "wrong-secret-value"})
    transport = httpx2.ASGITransport(app=sandbox.app)
    async with running(None, clock, settings=settings, transport=transport) as app, Client(app.server) as mcp:
        result = await mcp.call_tool("get_meeting", {"meetingId": 85746065})
    assert result.is_error
    text = result.content[0].text
    assert "ZOOM_ACCOUNT_ID" in text and "wrong-secret-value" not in text
