"""The `zoom-mcp` command: serve MCP (default), or list and call tools from a terminal."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from typing import Any

from zoom_mcp import __version__
from zoom_mcp.config import (
    ENVIRONMENT,
    ConfigError,
    SafetySettings,
    Settings,
    TransportSettings,
    load_safety,
    load_settings,
    load_transport,
)

COMMANDS = ("serve", "tools", "call", "sandbox", "doctor", "login", "logout")


def _env_help() -> str:
    width = max(len(name) for name, _ in ENVIRONMENT)
    rows = "\n".join(f"  {name:<{width}}  {meaning}" for name, meaning in ENVIRONMENT)
    return f"environment variables:\n{rows}"


def _add_server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sandbox", action="store_true", help="use the embedded Zoom sandbox (fake data, no network, no Zoom account)"
    )
    parser.add_argument(
        "--index",
        metavar="PATH",
        help="keep the transcript search index in this SQLite file, created owner-only (default: in memory)",
    )
    safety = parser.add_argument_group("safety")
    safety.add_argument(
        "--confirm",
        choices=("destructive", "writes", "off", "human", "human,writes"),
        default=None,
        help="calls that need a person's confirmation: destructive (default), writes "
        "(destructive and every write), off (only with this explicit flag); human: a person approves "
        "each destructive call on a local web page the model cannot use (recommended for desktop use)",
    )
    safety.add_argument(
        "--open-approvals", action="store_true", help="with --confirm human: open each approval page in the browser"
    )
    safety.add_argument("--read-only", action="store_true", help="list and allow only read tools")
    safety.add_argument(
        "--toolsets",
        metavar="A,B",
        help="toolsets to offer: names from 'zoom-mcp tools', 'default' (meetings, recordings, "
        "summaries, registrants; used when not given) or 'all'",
    )
    safety.add_argument(
        "--dynamic",
        action="store_true",
        help="start with discovery meta-tools only (search, enable a toolset, describe, call)",
    )
    safety.add_argument("--tools", metavar="X,Y", help="enable only these tools")
    safety.add_argument(
        "--hide-unauthorized",
        action="store_true",
        help="list only the tools the token's granted scopes allow (see 'zoom-mcp doctor')",
    )
    safety.add_argument("--audit-log", metavar="PATH", help="append a JSON line per write/destructive attempt")


def _add_transport_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("transport")
    group.add_argument(
        "--transport",
        choices=("stdio", "http", "sse"),
        default=None,
        help="stdio (default); http: streamable HTTP at /mcp; sse: SSE at /sse (+ /messages/)",
    )
    group.add_argument("--host", help="address to bind for http/sse (default 127.0.0.1)")
    group.add_argument("--port", type=int, help="port for http/sse (default 8000)")
    group.add_argument(
        "--stateless",
        action="store_true",
        help="streamable HTTP without server-side sessions, for several replicas behind a load balancer",
    )
    group.add_argument("--auth-token-file", metavar="PATH", help="file with the bearer token clients must send")
    group.add_argument("--allowed-origins", metavar="A,B", help="Origin patterns allowed besides loopback")
    group.add_argument(
        "--session-idle-timeout", type=float, metavar="SECONDS", help="close idle sessions (default 1800)"
    )
    group.add_argument("--max-body-bytes", type=int, metavar="N", help="largest request body (default 1048576)")


def build_parser(command: str = "serve") -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    if command == "serve":
        parser = argparse.ArgumentParser(
            prog="zoom-mcp",
            description="MCP server for the Zoom Meetings API. With no command, serves MCP on stdio.",
            epilog=_env_help()
            + "\n\ncommands: serve (default), tools, call TOOL JSON, doctor, login, logout, sandbox --port N\n"
            "  run 'zoom-mcp COMMAND --help' for each",
            formatter_class=formatter,
        )
        parser.add_argument("--version", action="version", version=f"zoom-mcp {__version__}")
        _add_server_options(parser)
        _add_transport_options(parser)
        return parser
    parser = argparse.ArgumentParser(prog=f"zoom-mcp {command}", epilog=_env_help(), formatter_class=formatter)
    if command == "tools":
        parser.description = "List the tools the server offers: name, safety class, one-line description."
        _add_server_options(parser)
    elif command == "call":
        parser.description = (
            "Call one tool through the MCP server and print its result. Destructive calls ask for "
            "confirmation on the terminal."
        )
        parser.add_argument("tool", help="tool name, e.g. list_user_recordings")
        parser.add_argument("arguments", nargs="?", default="{}", help="JSON object of arguments (default {})")
        _add_server_options(parser)
    elif command == "doctor":
        parser.description = (
            "Check the configuration: credential mode, token endpoint, granted scopes, and per toolset "
            "which tools will work and which scope to add for the others."
        )
        parser.add_argument("--sandbox", action="store_true", help="check the embedded sandbox instead of Zoom")
    elif command == "login":
        parser.description = (
            "Sign in as yourself with a user-managed Zoom OAuth app (authorization code + PKCE). The app's "
            "client ID and secret come from ZOOM_CLIENT_ID / ZOOM_CLIENT_SECRET (or an earlier login); "
            "register the redirect URL http://127.0.0.1:PORT/callback in the app."
        )
        parser.add_argument("--port", type=int, default=8765, help="local redirect port (default 8765)")
        parser.add_argument("--no-browser", action="store_true", help="only print the sign-in URL")
        parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for the browser")
    elif command == "logout":
        parser.description = "Forget the sign-in stored by 'zoom-mcp login'."
    else:
        parser.description = "Serve the embedded Zoom sandbox over HTTP."
        parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8080, help="port (default 8080)")
        parser.add_argument(
            "--faults",
            metavar="JSON",
            default=os.environ.get("ZOOM_MCP_SANDBOX_FAULTS"),
            help='fault rules, e.g. \'[{"fault": "rate_limit", "share": 0.2}]\' (see README)',
        )
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv.pop(0) if argv and argv[0] in COMMANDS else "serve"
    args = build_parser(command).parse_args(argv)
    if command == "sandbox":
        return _serve_sandbox(args.host, args.port, args.faults)
    if command == "doctor":
        from zoom_mcp.doctor import run_doctor

        return run_doctor(args.sandbox)
    if command == "login":
        from zoom_mcp.login import run_login

        return run_login(args.port, not args.no_browser, args.timeout)
    if command == "logout":
        from zoom_mcp.login import run_logout

        return run_logout()
    try:
        settings = load_settings(sandbox=args.sandbox)
        if args.index:
            settings = dataclasses.replace(settings, index_path=args.index)
        transport = load_transport(**_transport_flags(args)) if command == "serve" else None
        safety = load_safety(
            confirm=args.confirm,
            read_only=args.read_only,
            toolsets=args.toolsets,
            tools=args.tools,
            audit_log=args.audit_log,
            dynamic=args.dynamic,
            hide_unauthorized=args.hide_unauthorized,
            open_approvals=args.open_approvals,
        )
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2

    from zoom_mcp.runtime import configure_logging

    configure_logging(settings.log_level)
    import anyio

    try:
        if command == "serve":
            assert transport is not None
            if settings.sandbox:
                print("zoom-mcp: SANDBOX MODE - serving the embedded fake Zoom; all data is made up.", file=sys.stderr)
            if transport.transport == "stdio":
                anyio.run(_serve_stdio, settings, safety)
            else:
                anyio.run(_serve_http, settings, safety, transport)
            return 0
        if command == "tools":
            return anyio.run(_list_tools, settings, safety)
        arguments = _parse_arguments(args.arguments)
        if arguments is None:
            return 2
        return anyio.run(_call_tool, settings, safety, args.tool, arguments)
    except ValueError as exc:  # a policy naming unknown toolsets or tools
        print(f"zoom-mcp: {exc}", file=sys.stderr)
        return 2


def _transport_flags(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "transport": args.transport,
        "host": args.host,
        "port": args.port,
        "stateless": args.stateless,
        "token_file": args.auth_token_file,
        "allowed_origins": args.allowed_origins,
        "session_idle_timeout": args.session_idle_timeout,
        "max_body_bytes": args.max_body_bytes,
    }


async def _serve_http(settings: Settings, safety: SafetySettings, transport: TransportSettings) -> None:
    from zoom_mcp.runtime import running_server
    from zoom_mcp.transport import HttpOptions, HttpSecurity, build_app, is_loopback, serve_http
    from zoom_mcp.transport.security import DEFAULT_ORIGINS

    options = HttpOptions(transport.host, transport.port, transport.stateless, transport.session_idle_timeout)
    security = HttpSecurity(
        token=transport.token,
        allowed_origins=DEFAULT_ORIGINS + transport.allowed_origins,
        check_host=is_loopback(transport.host),
        max_body_bytes=transport.max_body_bytes,
    )
    async with running_server(settings, safety, serve_approvals=False) as server:
        app = build_app(server, options, security, sandbox=settings.sandbox)
        where = f"http://{transport.host}:{transport.port}"
        path = "/sse" if transport.transport == "sse" else "/mcp"
        print(
            f"zoom-mcp: serving MCP at {where}{path} (streamable HTTP at /mcp, SSE at /sse, health at /healthz)"
            + (" - stateless" if transport.stateless else ""),
            file=sys.stderr,
        )
        await serve_http(app, options)


def _parse_arguments(text: str) -> dict[str, Any] | None:
    try:
        arguments = json.loads(text)
    except json.JSONDecodeError as exc:
        print(f"arguments must be a JSON object: {exc}", file=sys.stderr)
        return None
    if not isinstance(arguments, dict):
        print('arguments must be a JSON object, e.g. \'{"userId": "me"}\'', file=sys.stderr)
        return None
    return arguments


async def _serve_stdio(settings: Settings, safety: SafetySettings) -> None:
    from mcp.server.stdio import stdio_server

    from zoom_mcp.runtime import running_server

    async with running_server(settings, safety) as server, stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


async def _list_tools(settings: Settings, safety: SafetySettings) -> int:
    from mcp import Client

    from zoom_mcp.runtime import running_server

    async with running_server(settings, safety) as server, Client(server) as client:
        tools = (await client.list_tools()).tools
    width = max((len(t.name) for t in tools), default=0)
    for tool in tools:
        hints = tool.annotations
        safety_class = (
            "read" if hints and hints.read_only_hint else "destructive" if hints and hints.destructive_hint else "write"
        )
        first = (tool.description or "").split(". ")[0].rstrip(".")
        print(f"{tool.name:<{width}}  {safety_class:<11}  {first}")
    print(f"\n{len(tools)} tools", file=sys.stderr)
    return 0


async def _confirm_on_terminal(context: Any, params: Any) -> Any:
    """Elicitation answered by the person at the terminal: the preview, then y/N."""
    import mcp_types as types

    print(f"\n{params.message}", file=sys.stderr)
    if isinstance(params, types.ElicitRequestURLParams):  # --confirm human: the decision is on the page
        print(f"Open this page to approve or deny (waiting for your decision):\n{params.url}", file=sys.stderr)
        return types.ElicitResult(action="accept")
    print("Run this call? [y/N] ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline().strip().lower()
    if answer in ("y", "yes"):
        return types.ElicitResult(action="accept", content={"confirm": True})
    return types.ElicitResult(action="decline")


async def _call_tool(settings: Settings, safety: SafetySettings, name: str, arguments: dict[str, Any]) -> int:
    from mcp import Client

    from zoom_mcp.runtime import running_server

    # Ask on the terminal only when there is a person at it; otherwise the token path applies.
    elicit = _confirm_on_terminal if sys.stdin.isatty() else None
    async with running_server(settings, safety) as server, Client(server, elicitation_callback=elicit) as client:
        result = await client.call_tool(name, arguments)
    if result.structured_content is not None and not result.is_error:
        print(json.dumps(result.structured_content, indent=2, ensure_ascii=False))
    else:
        for block in result.content:
            print(getattr(block, "text", block))
    return 1 if result.is_error else 0


def _serve_sandbox(host: str, port: int, faults: str | None) -> int:
    from zoom_mcp.sandbox import FaultPlan, listening_url, serve

    if faults:
        try:
            FaultPlan.parse(faults)
        except ValueError as exc:
            print(f"zoom-mcp sandbox: {exc}", file=sys.stderr)
            return 2

    print(
        f"zoom-mcp sandbox on http://{host}:{port} - point zoom-mcp at it with:\n"
        f"  ZOOM_API_BASE_URL=http://{host}:{port}/v2 ZOOM_OAUTH_TOKEN_URL=http://{host}:{port}/oauth/token\n"
        "  ZOOM_ACCOUNT_ID=sandbox-account ZOOM_CLIENT_ID=sandbox-client ZOOM_CLIENT_SECRET=sandbox-secret\n"
        # Its download URLs are on this address; the token goes only to allow-listed download hosts.
        f"  ZOOM_MCP_DOWNLOAD_HOSTS=zoom.us,zoomgov.com,{listening_url(host, port)}",
        file=sys.stderr,
    )
    serve(host=host, port=port, faults=faults)
    return 0
