"""The in-process sandbox as an httpx transport: the seam httpx intends for an ASGI app."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

import httpx2

from zoom_mcp.sandbox.engine.faults import DroppedConnection, RefusedConnection
from zoom_mcp.sandbox.identity import HOST

if TYPE_CHECKING:
    from zoom_mcp.sandbox.sandbox import Sandbox


class SandboxTransport(httpx2.ASGITransport):
    """The in-process sandbox as a transport; its connection faults surface as real transport errors."""

    def __init__(self, sandbox: Sandbox | Callable[[], Sandbox]) -> None:
        # A factory defers building (and seeding) the sandbox to the first request: off the cold start.
        self._sandbox = sandbox
        super().__init__(app=self._app)
        self._elsewhere: httpx2.AsyncHTTPTransport | None = None

    @property
    def sandbox(self) -> Sandbox:
        if callable(self._sandbox):
            self._sandbox = self._sandbox()
        return self._sandbox

    @property
    def asgi(self) -> Callable[..., Awaitable[None]]:
        """The sandbox's ASGI app (built on first use), for a server that shows its sign-in page to browsers."""
        return self._app

    async def _app(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ) -> None:
        """The ASGI app httpx calls: the sandbox's, built on first use."""
        await self.sandbox.app(scope, receive, send)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.url.host != HOST:
            # Only a download redirect the sandbox was told to make leads elsewhere (tests aim it at loopback).
            if self._elsewhere is None:
                self._elsewhere = httpx2.AsyncHTTPTransport()
            return await self._elsewhere.handle_async_request(request)

        try:
            response = await super().handle_async_request(request)
            await response.aread()  # a drop happens mid-body: surface it here, as a socket would
            return response
        except RefusedConnection as exc:
            raise httpx2.ConnectError(f"connection refused ({exc})", request=request) from exc
        except DroppedConnection as exc:
            raise httpx2.RemoteProtocolError(f"server disconnected mid-answer ({exc})", request=request) from exc

    async def aclose(self) -> None:
        if self._elsewhere is not None:
            await self._elsewhere.aclose()
        await super().aclose()
