"""`zoom-mcp` (serve): MCP on stdio, or streamable HTTP and SSE on a port."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import anyio

from zoom_mcp.app import signin
from zoom_mcp.app.assemble import App, assemble
from zoom_mcp.app.settings import Settings
from zoom_mcp.errors import ConfigError
from zoom_mcp.transport.security import is_loopback

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from zoom_mcp.transport.http import HttpOptions
    from zoom_mcp.transport.security import ASGIApp, HttpSecurity, Receive, Scope, SecurityMiddleware, Send

SANDBOX_BANNER = "zoom-mcp: SANDBOX MODE - serving the embedded fake Zoom; all data is made up."


def check_bind(settings: Settings) -> None:
    """Refuse a public bind without a bearer token or --auth oauth: anyone who could reach the port would act
    on Zoom. Under --auth oauth, and under --confirm human, a public bind needs --public-url: the pages must
    be at an https origin people reach (passkeys work only there; http://0.0.0.0:8000 is neither reachable
    nor a secure context), and it is the issuer and resource the OAuth clients see."""
    signin.check(settings)
    if settings.transport == "stdio" or is_loopback(settings.host):
        return
    if settings.oauth and not settings.public_url:
        raise ConfigError(
            f"--auth oauth on {settings.host} needs --public-url (ZOOM_MCP_PUBLIC_URL): the https:// address "
            "people and MCP clients reach this server at, behind TLS (see docs/deployment.md)"
        )
    if not settings.auth_token and not settings.oauth:
        raise ConfigError(
            f"Refusing to serve on {settings.host}: beyond loopback, anyone who can reach the port could act on the "
            "Zoom account. Set a bearer token (ZOOM_MCP_AUTH_TOKEN or --auth-token-file) that every client "
            "must send, or bind to 127.0.0.1."
        )
    if settings.human_approvals and not settings.public_url:
        raise ConfigError(
            f"--confirm human on {settings.host} needs --public-url (ZOOM_MCP_PUBLIC_URL): the https:// address "
            "people open the approval pages at, where their passkeys work"
        )


def serve(settings: Settings) -> int:
    check_bind(settings)
    try:
        if settings.sandbox:
            print(SANDBOX_BANNER, file=sys.stderr)
        anyio.run(serve_stdio if settings.transport == "stdio" else serve_http, settings)
    except KeyboardInterrupt:  # Ctrl-C, whenever it comes: the server has stopped; no traceback
        return 130
    return 0


async def serve_stdio(settings: Settings) -> None:
    from mcp.server.stdio import stdio_server  # late: only the transport that runs is imported

    from zoom_mcp.transport.stdio import ThreadedStdin

    async with assemble(settings) as app:
        stdin: Any = ThreadedStdin()  # Ctrl-C stops the server even while it waits for a line
        if app.approvals is None:
            async with stdio_server(stdin=stdin) as (read, write):
                await app.server.run(read, write, app.server.create_initialization_options())
            return
        from zoom_mcp.transport.approval_server import approval_server  # late: uvicorn, for --confirm human only

        # Nothing about the pages is printed: their address reaches the person in the tool result or the client.
        async with approval_server(app.approvals), stdio_server(stdin=stdin) as (read, write):
            await app.server.run(read, write, app.server.create_initialization_options())


def http_app_of(app: App, options: HttpOptions, security: HttpSecurity) -> SecurityMiddleware:
    """The HTTP app of an assembled server: MCP, the approval pages, and under --auth oauth the
    authorization server (with the in-process sandbox's Zoom sign-in page, in sandbox mode)."""
    from zoom_mcp.transport.http import build_app  # late: only the transport that runs is imported

    extra: list[BaseRoute] = []
    if app.oauth is not None and app.sandbox_app is not None:
        from starlette.routing import Route  # late: as above

        extra.append(Route(signin.SANDBOX_AUTHORIZE_PATH, SandboxSignIn(app.sandbox_app), methods=["GET"]))
    if app.webhooks is not None and app.settings.webhook_secret:
        from zoom_mcp.transport.webhook import webhook_routes  # late: only with webhooks on

        extra += webhook_routes(app.webhooks, app.settings.webhook_secret, app.clock)
    return build_app(
        app.server,
        options,
        security,
        approvals=app.approvals,
        sandbox=app.settings.sandbox,
        oauth=app.oauth,
        extra_routes=extra,
        ready=app.ready,
    )


class SandboxSignIn:
    """The in-process sandbox's Zoom sign-in page (its `GET /oauth/authorize`), at this server's own origin
    (an ASGI app, not a function: starlette routes a plain function as a request handler)."""

    def __init__(self, sandbox_app: ASGIApp) -> None:
        self.sandbox_app = sandbox_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        page = {**scope, "path": "/oauth/authorize", "raw_path": b"/oauth/authorize"}
        await self.sandbox_app(page, receive, send)


def http_options(settings: Settings) -> tuple[HttpOptions, HttpSecurity]:
    """How the HTTP transports listen, and the protections in front of every route."""
    # late: only the transport that runs is imported (starlette, uvicorn)
    from zoom_mcp.transport.http import HttpOptions
    from zoom_mcp.transport.security import DEFAULT_ORIGINS, HttpSecurity

    options = HttpOptions(settings.host, settings.port, settings.stateless, settings.session_idle_timeout)
    public = urlsplit(settings.public_url) if settings.public_url else None
    public_origin = (f"{public.scheme}://{public.netloc}",) if public else ()
    hosts = tuple(h.lower() for h in settings.allowed_hosts)
    security = HttpSecurity(
        token=settings.auth_token,
        allowed_origins=DEFAULT_ORIGINS + settings.allowed_origins + public_origin,
        check_host=is_loopback(settings.host) or public is not None or bool(hosts),
        allowed_hosts=((public.hostname or "",) if public else ()) + hosts,
        max_body_bytes=settings.max_body_bytes,
        webhook=settings.webhooks,
    )
    return options, security


async def serve_http(settings: Settings) -> None:
    # late: only the transport that runs is imported (uvicorn)
    from zoom_mcp.transport.http import bind, serve_http
    from zoom_mcp.transport.security import access_log_to_stderr

    options, security = http_options(settings)
    if settings.access_log:
        access_log_to_stderr()
    sock = bind(options)  # before anything starts: a busy port is one line, not a traceback
    try:
        async with assemble(settings) as app:
            http_app = http_app_of(app, options, security)
            port = sock.getsockname()[1]
            where = signin.base_url(settings) if settings.oauth else f"http://{settings.host}:{port}"
            path = "/sse" if settings.transport == "sse" else "/mcp"
            print(
                f"zoom-mcp: serving MCP at {where}{path} (streamable HTTP at /mcp, SSE at /sse, health at /healthz, "
                "readiness at /readyz"
                + (", Zoom webhooks at /zoom/webhook" if app.webhooks is not None else "")
                + ")"
                + (" - stateless" if settings.stateless else ""),
                file=sys.stderr,
            )
            await serve_http(http_app, options, app.started or (), sock)
    finally:
        sock.close()
