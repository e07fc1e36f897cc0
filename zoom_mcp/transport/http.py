"""Serving MCP over HTTP: streamable HTTP at /mcp, SSE at /sse (+ /messages/), /healthz and /readyz, and with
ZOOM_WEBHOOK_SECRET_TOKEN Zoom's webhooks at /zoom/webhook (see `webhook`).

Every session of every transport is served by the same `Server`, so all share the one
authenticated Zoom client and its pacing. Under --auth oauth (`oauth`) the same app also serves the
authorization server's routes and pages, and its guard stands in front of the MCP endpoints.
`/healthz` (liveness) says the process serves;
`/readyz` (readiness) runs the `ready` check it is given (Redis answers, a Zoom token can be had)
and answers 503 with the reason when it fails. Neither needs the bearer token nor says anything
secret.
"""

from __future__ import annotations

import errno
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING

import anyio
import uvicorn
from mcp.server import Server
from mcp.server.sse import SseServerTransport
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from zoom_mcp.errors import ConfigError, ZoomMcpError
from zoom_mcp.safety.approvals import Approvals
from zoom_mcp.transport.security import HttpSecurity, SecurityMiddleware

if TYPE_CHECKING:
    from zoom_mcp.transport.oauth import OAuthServer

log = logging.getLogger(__name__)

MCP_PATH = "/mcp"
SSE_PATH = "/sse"
MESSAGES_PATH = "/messages/"


@dataclass(frozen=True)
class HttpOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    stateless: bool = False
    session_idle_timeout: float = 1800.0
    shutdown_grace: float = 10.0


def build_app(
    server: Server,
    options: HttpOptions,
    security: HttpSecurity,
    *,
    approvals: Approvals | None = None,
    sandbox: bool = False,
    oauth: OAuthServer | None = None,
    extra_routes: Sequence[BaseRoute] = (),
    ready: Callable[[], Awaitable[dict[str, str]]] | None = None,
) -> SecurityMiddleware:
    """The HTTP app; `extra_routes` are served beside MCP's (the webhook receiver, the sandbox's sign-in page)."""
    sse = SseServerTransport(MESSAGES_PATH, security_settings=_open_to_middleware())

    async def handle_sse(request: Request) -> Response:
        async with sse.connect_sse(request.scope, request.receive, request._send) as (read, write):
            await server.run(read, write, server.create_initialization_options())
        return Response()

    async def healthz(request: Request) -> Response:
        # Liveness without touching Zoom or Redis: the process is up and serving.
        return JSONResponse({"status": "ok", "sandbox": sandbox, "stateless": options.stateless, "pid": os.getpid()})

    async def readyz(request: Request) -> Response:
        try:
            checks = await ready() if ready is not None else {}
        except ZoomMcpError as exc:
            return JSONResponse({"status": "unavailable", "reason": str(exc)}, status_code=503)
        return JSONResponse({"status": "ready", **checks})

    app: Starlette = server.streamable_http_app(
        streamable_http_path=MCP_PATH,
        stateless_http=options.stateless,
        session_idle_timeout=None if options.stateless else options.session_idle_timeout,
        transport_security=_open_to_middleware(),
        host=options.host,
        max_request_body_size=security.max_body_bytes,
        custom_starlette_routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route(SSE_PATH, handle_sse, methods=["GET"]),
            Mount(MESSAGES_PATH, app=sse.handle_post_message),  # type: ignore[list-item]  # the SDK types these as Route; starlette takes any route
            *_approval_routes(approvals, options, oauth),
            *(oauth.routes() if oauth is not None else []),
            *extra_routes,  # type: ignore[list-item]  # as above
        ],
    )
    return SecurityMiddleware(oauth.guard(app) if oauth is not None else app, security)


def _approval_routes(approvals: Approvals | None, options: HttpOptions, oauth: OAuthServer | None) -> list[Route]:
    """Under --confirm human, the approval pages live on this server's own origin; under --auth oauth a
    decision also takes the person's browser session."""
    if approvals is None:
        return []
    from zoom_mcp.transport.approval_page import routes  # late: only under --confirm human

    approvals.serve_at(options.port)  # links: the public URL, else http://localhost:PORT (never the bind address)
    return routes(approvals, oauth.sessions if oauth is not None else None)


def _open_to_middleware() -> TransportSecuritySettings:
    # Origin, Host, token and body size are checked once, by SecurityMiddleware, for every route.
    return TransportSecuritySettings(enable_dns_rebinding_protection=False)


def bind(options: HttpOptions) -> socket.socket:
    """The listening socket, bound before anything says it serves: a busy port is one clear line."""
    family = socket.AF_INET6 if ":" in options.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((options.host, options.port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(
                f"port {options.port} on {options.host} is already in use: stop what listens there, or choose "
                "another with --port (ZOOM_MCP_PORT)"
            ) from None
        raise ConfigError(f"cannot listen on {options.host}:{options.port}: {exc.strerror}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


async def serve_http(
    app: SecurityMiddleware,
    options: HttpOptions,
    started: Sequence[Callable[[], Awaitable[None]]] = (),
    sock: socket.socket | None = None,
) -> None:
    """Serve until SIGTERM/SIGINT, then drain: refuse new calls, let in-flight ones finish (bounded).

    `started` run once the server listens (the sandbox registering its webhook endpoint); `sock` is the
    socket `bind` made (else uvicorn binds the options' host and port)."""

    class DrainingServer(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            if app.draining:  # a second signal: stop now
                super().handle_exit(sig, frame)
            app.draining = True

    config = uvicorn.Config(
        app,
        host=options.host,
        port=options.port,
        log_level="warning",
        timeout_graceful_shutdown=int(options.shutdown_grace),
        server_header=False,
    )
    server = DrainingServer(config)

    async def drain_then_stop() -> None:
        while not app.draining:
            await anyio.sleep(0.05)
        log.warning("shutting down: waiting for %d call(s) in flight", app.in_flight)
        with anyio.move_on_after(options.shutdown_grace):
            while app.in_flight:
                await anyio.sleep(0.05)
        server.should_exit = True  # also ends the idle SSE streams (sse-starlette watches this flag)

    async def once_listening() -> None:
        while not server.started:
            await anyio.sleep(0.02)
        for hook in started:
            try:
                await hook()
            except Exception:  # a demo convenience must not stop the server
                log.exception("a start-up hook failed")

    async with anyio.create_task_group() as tg:
        tg.start_soon(drain_then_stop)
        if started:
            tg.start_soon(once_listening)
        await server.serve(sockets=[sock] if sock is not None else None)
        tg.cancel_scope.cancel()
