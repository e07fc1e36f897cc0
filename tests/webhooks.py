"""The server with Zoom's webhooks on, in-process: its HTTP app (the real receiver route), and the sandbox
posting signed deliveries into it, as it does over the network (tests/test_webhooks_http.py does that)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx2
import mcp_types as types

from tests.conftest import running, sandbox_settings
from zoom_mcp.app.assemble import App
from zoom_mcp.clock import Clock
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.transport.http import HttpOptions, build_app
from zoom_mcp.transport.security import WEBHOOK_PATH, HttpSecurity
from zoom_mcp.transport.webhook import webhook_routes

SECRET = "sandbox-webhook-secret-token"
URL = f"http://127.0.0.1:8000{WEBHOOK_PATH}"


@asynccontextmanager
async def webhooked(
    sandbox: Sandbox, clock: Clock, env: Mapping[str, str] | None = None, *, faults: tuple[str, ...] = (), **flags: Any
) -> AsyncIterator[tuple[App, httpx2.AsyncClient]]:
    """`zoom-mcp --sandbox --transport http` with ZOOM_WEBHOOK_SECRET_TOKEN, over this sandbox and clock; the
    sandbox sends its webhooks to the app's /zoom/webhook, and an HTTP client reaches that app too."""
    flags.setdefault("transport", "http")
    settings = sandbox_settings({"ZOOM_WEBHOOK_SECRET_TOKEN": SECRET, **(env or {})}, **flags)
    async with running(sandbox, clock, settings=settings) as app:
        assert app.webhooks is not None
        security = HttpSecurity(webhook=True, max_body_bytes=app.settings.max_body_bytes)
        routes = webhook_routes(app.webhooks, SECRET, clock)
        http_app = build_app(app.server, HttpOptions(), security, extra_routes=routes)
        transport = httpx2.ASGITransport(app=http_app)
        sandbox.send_webhooks_to(URL, SECRET, transport=transport, faults=faults)
        async with httpx2.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as http:
            yield app, http


def signed(body: bytes | dict[str, Any], stamp: int | str, secret: str = SECRET) -> tuple[bytes, dict[str, str]]:
    """A body and Zoom's headers for it, as Zoom signs (for attacks and hand-made deliveries)."""
    raw = body if isinstance(body, bytes) else json.dumps(body, separators=(",", ":")).encode()
    digest = hmac.new(secret.encode(), f"v0:{stamp}:".encode() + raw, hashlib.sha256).hexdigest()
    headers = {
        "content-type": "application/json",
        "x-zm-request-timestamp": str(stamp),
        "x-zm-signature": f"v0={digest}",
    }
    return raw, headers


def list_calls(sandbox: Sandbox) -> int:
    return sum(1 for r in sandbox.requests if r.operation == "list_user_recordings")


def downloads(sandbox: Sandbox, credential: str | None = None) -> list[str]:
    return [
        r.raw_path
        for r in sandbox.requests
        if r.raw_path.startswith("/rec/download/") and (credential is None or r.credential == credential)
    ]


class Heard:
    """What a client session was told (notifications only)."""

    def __init__(self) -> None:
        self.got: list[tuple[str, str | None]] = []

    async def __call__(self, message: Any) -> None:
        if isinstance(message, types.ResourceUpdatedNotification):
            self.got.append(("updated", str(message.params.uri)))
        elif isinstance(message, types.ResourceListChangedNotification):
            self.got.append(("list_changed", None))

    async def until(self, count: int) -> list[tuple[str, str | None]]:
        with anyio.fail_after(10):
            while len(self.got) < count:
                await anyio.sleep(0.01)
        return self.got
