"""`zoom-mcp`: serve MCP (stdio by default, or HTTP), or list and call tools from a terminal.

Each command's options come from the settings table (`settings.Settings`); argparse's prefix
abbreviations are off, so `--auth-token x` is an error rather than a silent `--auth-token-file x`.
"""

from __future__ import annotations

import argparse
import logging
import sys

from zoom_mcp import __version__
from zoom_mcp.app import settings as table
from zoom_mcp.app.settings import Settings
from zoom_mcp.errors import ConfigError

COMMANDS = {
    table.SERVE: "serve MCP (the default command): stdio, or streamable HTTP / SSE with --transport",
    table.TOOLS: "list the tools the server offers: name, safety class, one-line description",
    table.CALL: "call one tool through the MCP server and print its result",
    table.DOCTOR: "check the credentials, the token endpoint and the granted scopes; which tools will work",
    table.LOGIN: "sign in as yourself with a user-managed Zoom OAuth app (authorization code + PKCE)",
    table.LOGOUT: "forget the sign-in stored by 'zoom-mcp login'",
    table.SANDBOX: "serve the embedded Zoom sandbox over HTTP",
    table.APPROVALS: "enroll, list or remove the passkeys that approve calls under --confirm human",
    table.INDEX: "the transcript search index: where it is and what it holds, rebuild it, or forget it",
}
DESCRIPTIONS = {
    table.SERVE: "MCP server for the Zoom Meetings API. With no command, serves MCP on stdio.",
    table.TOOLS: "List the tools the server offers: name, safety class, one-line description.",
    table.CALL: "Call one tool through the MCP server and print its result. Destructive calls ask for confirmation "
    "on the terminal; without a terminal they fail (exit 3) unless confirmations are off.",
    table.DOCTOR: "Check the configuration: credential mode, token endpoint, granted scopes, and per toolset "
    "which tools will work and which scope to add for the others.",
    table.LOGIN: "Sign in as yourself with a user-managed Zoom OAuth app (authorization code + PKCE). The app's "
    "client ID and secret come from ZOOM_CLIENT_ID / ZOOM_CLIENT_SECRET (or an earlier login); register the "
    "redirect URL http://127.0.0.1:PORT/callback in the app.",
    table.LOGOUT: "Forget the sign-in stored by 'zoom-mcp login'.",
    table.SANDBOX: "Serve the embedded Zoom sandbox over HTTP, for other programs (or zoom-mcp) to use as Zoom.",
    table.APPROVALS: "The passkeys that approve calls under --confirm human (only their public keys are kept, in "
    "the config directory). 'enroll' and 'remove' print a one-time http://localhost page for you to open and wait "
    "for your passkey; enrolling a further passkey, and removing one, first takes a passkey already enrolled. "
    "'list' shows them. With --public-url, the passkey is made for that host (see the README).",
    table.INDEX: "The transcript search index (what was said in recorded meetings, kept so questions need not "
    "download again). 'status' says where it is and what it holds; 'rebuild' rebuilds its full-text tables from "
    "the stored text, compacts it and forgets which date ranges were listed (the next search lists them from Zoom "
    "again); 'forget' deletes it. The index is the one the server would use with the same settings.",
}


def _env_help() -> str:
    env_rows = [(row.env, row.help) for _, row, _ in table.rows() if row.env]
    width = max(len(env) for env, _ in env_rows)
    return "environment variables:\n" + "\n".join(f"  {env:<{width}}  {meaning}" for env, meaning in env_rows)


def _option_help(row: table.Setting, default: object) -> str:
    parts = [row.help]
    shown = row.default_text or ("" if default in (None, "", False, (), frozenset()) else table.shown(default))
    if shown:
        parts.append(f"default: {shown}")
    if row.env:
        parts.append(f"env {row.env}")
    return parts[0] + (f" ({'; '.join(parts[1:])})" if len(parts) > 1 else "")


def build_parser(command: str = table.SERVE) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zoom-mcp" if command == table.SERVE else f"zoom-mcp {command}",
        description=DESCRIPTIONS[command],
        epilog=_env_help() + _commands_help(command),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    if command == table.SERVE:
        parser.add_argument("--version", action="version", version=f"zoom-mcp {__version__}")
    if command == table.APPROVALS:
        parser.add_argument("action", choices=("enroll", "list", "remove"), help="what to do")
        parser.add_argument("passkey", nargs="?", help="remove: the passkey's ID, as 'list' shows it")
    if command == table.INDEX:
        parser.add_argument("action", choices=("status", "rebuild", "forget"), help="what to do")
    if command == table.CALL:
        parser.add_argument("tool", help="tool name, e.g. list_user_recordings")
        parser.add_argument("arguments", nargs="?", default="{}", help="JSON object of arguments (default {})")
    groups: dict[str, argparse._ArgumentGroup] = {}
    for name, row, default in table.rows():
        if row.flag is None or command not in row.commands:
            continue
        group = groups.get(row.group) or groups.setdefault(row.group, parser.add_argument_group(row.group))
        help_text = _option_help(row, default)
        if row.is_switch:
            group.add_argument(row.flag, dest=name, action="store_true", default=None, help=help_text)
        else:
            metavar = None if row.choices else row.metavar or name.upper()
            group.add_argument(row.flag, dest=name, metavar=metavar, choices=row.choices, default=None, help=help_text)
    return parser


def _commands_help(command: str) -> str:
    if command != table.SERVE:
        return ""
    width = max(len(c) for c in COMMANDS)
    lines = "\n".join(f"  {name:<{width}}  {text}" for name, text in COMMANDS.items())
    return f"\n\ncommands (run 'zoom-mcp COMMAND --help' for each):\n{lines}"


def configure_logging(level: str) -> None:
    # stdout belongs to the MCP protocol on stdio: every log line goes to stderr.
    logging.basicConfig(
        stream=sys.stderr,
        level=getattr(logging, level, logging.WARNING),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("httpx2").setLevel(logging.WARNING)  # its INFO lines print full URLs


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv.pop(0) if argv and argv[0] in COMMANDS else table.SERVE
    args = build_parser(command).parse_args(argv)
    flags = {name: getattr(args, name, None) for name, row, _ in table.rows() if row.flag}
    try:
        settings = table.load(command=command, flags=flags)
    except ConfigError as exc:
        print(f"zoom-mcp: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    try:
        return run(command, settings, args)
    except ConfigError as exc:
        print(f"zoom-mcp: {exc}", file=sys.stderr)
        return 2


def run(command: str, settings: Settings, args: argparse.Namespace) -> int:
    """Run one command with its settings. Each command module is imported only when it runs, so a
    command never pays for another's imports (the server's cold start is measured)."""
    if command == table.SANDBOX:
        from zoom_mcp.app.commands.sandbox import serve_sandbox  # late: one command's imports

        return serve_sandbox(settings)
    if command == table.DOCTOR:
        from zoom_mcp.app.commands.doctor import run_doctor  # late: one command's imports

        return run_doctor(settings)
    if command == table.LOGIN:
        from zoom_mcp.app.commands.login import run_login  # late: one command's imports

        return run_login(settings)
    if command == table.LOGOUT:
        from zoom_mcp.app.commands.login import run_logout  # late: one command's imports

        return run_logout(settings)
    if command == table.APPROVALS:
        from zoom_mcp.app.commands.approvals import run_approvals  # late: one command's imports

        return run_approvals(settings, args.action, args.passkey)
    if command == table.INDEX:
        from zoom_mcp.app.commands.index import run_index  # late: one command's imports

        return run_index(settings, args.action)
    if command == table.TOOLS:
        from zoom_mcp.app.commands.terminal import list_tools  # late: one command's imports

        return list_tools(settings)
    if command == table.CALL:
        from zoom_mcp.app.commands.terminal import call_tool  # late: one command's imports

        return call_tool(settings, args.tool, args.arguments)
    from zoom_mcp.app.commands.serve import serve  # late: one command's imports

    return serve(settings)
