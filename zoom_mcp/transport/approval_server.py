"""The approval page's own loopback server, for stdio and `zoom-mcp call` (the HTTP transports serve
the pages themselves), and for `zoom-mcp approvals enroll|remove`.

It binds 127.0.0.1 and hands out `http://localhost:PORT` links: WebAuthn needs a secure context and
a host name for its RP ID, and `http://localhost` is both while `http://127.0.0.1` is neither. The
same middleware as the HTTP transport stands in front: `Host` must be a loopback name (a DNS-
rebinding name such as `evil.example:PORT` gets 403) and `Origin`, when sent, a loopback origin.
Nothing is printed: the address reaches the person through the tool result or the client.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit

import anyio
import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route

from zoom_mcp.safety.approvals import Approvals
from zoom_mcp.transport.approval_page import routes
from zoom_mcp.transport.security import DEFAULT_ORIGINS, HttpSecurity, SecurityMiddleware

log = logging.getLogger(__name__)


class _QuietServer(uvicorn.Server):
    """Leaves signal handling to the MCP server that owns the process."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def page_server(app_routes: list[Route], port: int = 0, public_origin: str | None = None) -> AsyncIterator[int]:
    """Serve these routes on 127.0.0.1 (an ephemeral port by default), behind the Host/Origin checks;
    yields the port. A public origin (`approvals enroll --public-url`) is allowed besides loopback."""
    public = urlsplit(public_origin) if public_origin else None
    security = HttpSecurity(
        allowed_origins=DEFAULT_ORIGINS + ((f"{public.scheme}://{public.netloc}",) if public else ()),
        allowed_hosts=(public.hostname or "",) if public else (),
        max_body_bytes=64 * 1024,
    )
    app = SecurityMiddleware(Starlette(routes=app_routes), security)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", server_header=False)
    server = _QuietServer(config)
    async with anyio.create_task_group() as group:
        group.start_soon(server.serve)
        while not server.started:
            if server.should_exit:
                raise RuntimeError("the approval page server did not start")
            await anyio.sleep(0.01)
        try:
            yield server.servers[0].sockets[0].getsockname()[1]
        finally:
            server.should_exit = True


@contextlib.asynccontextmanager
async def approval_server(approvals: Approvals, port: int = 0) -> AsyncIterator[str]:
    """The approval pages on their own loopback port; yields the base URL, `http://localhost:PORT`."""
    async with page_server(routes(approvals), port) as bound:
        base = approvals.serve_at(bound, local=True)
        log.debug("approval pages at %s/approvals/...", base)
        yield base
