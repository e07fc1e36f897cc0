"""`zoom-mcp` (serve): MCP on stdio, or streamable HTTP and SSE on a port."""

from __future__ import annotations

import sys
from urllib.parse import urlsplit

import anyio

from zoom_mcp.app.assemble import assemble
from zoom_mcp.app.settings import Settings
from zoom_mcp.errors import ConfigError
from zoom_mcp.transport.security import is_loopback

SANDBOX_BANNER = "zoom-mcp: SANDBOX MODE - serving the embedded fake Zoom; all data is made up."


def check_bind(settings: Settings) -> None:
    """Refuse a public bind without a bearer token: anyone who could reach the port would act on Zoom. And
    under --confirm human, a public bind needs --public-url: the pages must be at an https origin people
    reach, since passkeys work only there (http://0.0.0.0:8000 is neither reachable nor a secure context)."""
    if settings.transport == "stdio" or is_loopback(settings.host):
        return
    if not settings.auth_token:
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
    if settings.sandbox:
        print(SANDBOX_BANNER, file=sys.stderr)
    anyio.run(serve_stdio if settings.transport == "stdio" else serve_http, settings)
    return 0


async def serve_stdio(settings: Settings) -> None:
    # late: only the transport that runs is imported (the approval server brings uvicorn)
    from mcp.server.stdio import stdio_server

    from zoom_mcp.transport.approval_server import approval_server

    async with assemble(settings) as app:
        if app.approvals is None:
            async with stdio_server() as (read, write):
                await app.server.run(read, write, app.server.create_initialization_options())
            return
        # Nothing about the pages is printed: their address reaches the person in the tool result or the client.
        async with approval_server(app.approvals), stdio_server() as (read, write):
            await app.server.run(read, write, app.server.create_initialization_options())


async def serve_http(settings: Settings) -> None:
    # late: only the transport that runs is imported (starlette, uvicorn)
    from zoom_mcp.transport import HttpOptions, HttpSecurity, build_app, serve_http
    from zoom_mcp.transport.security import DEFAULT_ORIGINS

    options = HttpOptions(settings.host, settings.port, settings.stateless, settings.session_idle_timeout)
    public = urlsplit(settings.public_url) if settings.public_url else None
    public_origin = (f"{public.scheme}://{public.netloc}",) if public else ()
    security = HttpSecurity(
        token=settings.auth_token,
        allowed_origins=DEFAULT_ORIGINS + settings.allowed_origins + public_origin,
        check_host=is_loopback(settings.host) or public is not None,
        allowed_hosts=(public.hostname or "",) if public else (),
        max_body_bytes=settings.max_body_bytes,
        webhook=settings.webhooks,
    )
    async with assemble(settings) as app:
        routes = []
        if app.webhooks is not None and settings.webhook_secret:
            from zoom_mcp.transport.webhook import webhook_routes  # late: only with webhooks on

            routes = webhook_routes(app.webhooks, settings.webhook_secret, app.clock)
        http_app = build_app(
            app.server, options, security, approvals=app.approvals, sandbox=settings.sandbox, routes=routes
        )
        where = f"http://{settings.host}:{settings.port}"
        path = "/sse" if settings.transport == "sse" else "/mcp"
        print(
            f"zoom-mcp: serving MCP at {where}{path} (streamable HTTP at /mcp, SSE at /sse, health at /healthz"
            + (", Zoom webhooks at /zoom/webhook" if routes else "")
            + ")"
            + (" - stateless" if settings.stateless else ""),
            file=sys.stderr,
        )
        await serve_http(http_app, options, app.started or ())
