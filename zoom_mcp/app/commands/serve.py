"""`zoom-mcp` (serve): MCP on stdio, or streamable HTTP and SSE on a port."""

from __future__ import annotations

import sys

import anyio

from zoom_mcp.app.assemble import assemble
from zoom_mcp.app.settings import Settings
from zoom_mcp.errors import ConfigError
from zoom_mcp.transport.security import is_loopback

SANDBOX_BANNER = "zoom-mcp: SANDBOX MODE - serving the embedded fake Zoom; all data is made up."


def check_bind(settings: Settings) -> None:
    """Refuse a public bind without a bearer token: anyone who could reach the port would act on Zoom."""
    if settings.transport != "stdio" and not settings.auth_token and not is_loopback(settings.host):
        raise ConfigError(
            f"Refusing to serve on {settings.host}: beyond loopback, anyone who can reach the port could act on the "
            "Zoom account. Set a bearer token (ZOOM_MCP_AUTH_TOKEN or --auth-token-file) that every client "
            "must send, or bind to 127.0.0.1."
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
        async with approval_server(app.approvals) as base, stdio_server() as (read, write):
            print(f"zoom-mcp: approval pages at {base}/approvals/... (--confirm human)", file=sys.stderr)
            await app.server.run(read, write, app.server.create_initialization_options())


async def serve_http(settings: Settings) -> None:
    # late: only the transport that runs is imported (starlette, uvicorn)
    from zoom_mcp.transport import HttpOptions, HttpSecurity, build_app, serve_http
    from zoom_mcp.transport.security import DEFAULT_ORIGINS

    options = HttpOptions(settings.host, settings.port, settings.stateless, settings.session_idle_timeout)
    security = HttpSecurity(
        token=settings.auth_token,
        allowed_origins=DEFAULT_ORIGINS + settings.allowed_origins,
        check_host=is_loopback(settings.host),
        max_body_bytes=settings.max_body_bytes,
    )
    async with assemble(settings) as app:
        http_app = build_app(app.server, options, security, approvals=app.approvals, sandbox=settings.sandbox)
        where = f"http://{settings.host}:{settings.port}"
        path = "/sse" if settings.transport == "sse" else "/mcp"
        print(
            f"zoom-mcp: serving MCP at {where}{path} (streamable HTTP at /mcp, SSE at /sse, health at /healthz)"
            + (" - stateless" if settings.stateless else ""),
            file=sys.stderr,
        )
        await serve_http(http_app, options)
