"""`zoom-mcp tools` and `zoom-mcp call`: the server's tools from a terminal, through a real MCP session."""

from __future__ import annotations

import json
import sys
from typing import Any

import anyio
import mcp_types as types
from mcp import Client

from zoom_mcp.app.assemble import assemble
from zoom_mcp.app.settings import Settings


def list_tools(settings: Settings) -> int:
    return anyio.run(_list_tools, settings)


def call_tool(settings: Settings, name: str, arguments_text: str) -> int:
    arguments = _parse_arguments(arguments_text)
    if arguments is None:
        return 2
    return anyio.run(_call_tool, settings, name, arguments)


async def _list_tools(settings: Settings) -> int:
    async with assemble(settings) as app, Client(app.server) as client:
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


async def _confirm_on_terminal(context: Any, params: Any) -> Any:
    """Elicitation answered by the person at the terminal: the preview, then y/N."""
    print(f"\n{params.message}", file=sys.stderr)
    if isinstance(params, types.ElicitRequestURLParams):  # --confirm human: the decision is on the page
        print(f"Open this page to approve or deny (waiting for your decision):\n{params.url}", file=sys.stderr)
        return types.ElicitResult(action="accept")
    print("Run this call? [y/N] ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline().strip().lower()
    if answer in ("y", "yes"):
        return types.ElicitResult(action="accept", content={"confirm": True})
    return types.ElicitResult(action="decline")


NEEDS_A_PERSON = 3  # exit code: the call needs a person's confirmation and none can be asked here
WAITING = ("confirmation_required", "approval_required", "waiting_for_approval")


async def _call_tool(settings: Settings, name: str, arguments: dict[str, Any]) -> int:
    from zoom_mcp.transport.approval_server import approval_server  # late: uvicorn, for --confirm human only

    # Ask on the terminal only when there is a person at it; otherwise a gated call stops with exit 3.
    terminal = sys.stdin.isatty()
    elicit = _confirm_on_terminal if terminal else None
    async with assemble(settings) as app:
        if app.approvals is not None and terminal:
            async with approval_server(app.approvals), Client(app.server, elicitation_callback=elicit) as client:
                result = await client.call_tool(name, arguments)
        else:
            async with Client(app.server, elicitation_callback=elicit) as client:
                result = await client.call_tool(name, arguments)
    data = result.structured_content or {}
    if not result.is_error and data.get("status") in WAITING:
        return _no_person(settings, result, data)
    if result.structured_content is not None and not result.is_error:
        print(json.dumps(result.structured_content, indent=2, ensure_ascii=False))
    else:
        for block in result.content:
            print(getattr(block, "text", block))
    return 1 if result.is_error else 0


def _no_person(settings: Settings, result: types.CallToolResult, data: dict[str, Any]) -> int:
    """A gated call without a terminal: nothing was sent; say how it can run, exit 3."""
    preview = data.get("preview") or {}
    print(f"Nothing was sent to Zoom: {preview.get('call', '')} needs a person's confirmation.", file=sys.stderr)
    ways = ["run the same command in a terminal: it shows the preview and asks you"]
    if settings.human_approvals:
        ways[0] = "run the same command in a terminal: it prints the approval page and waits for your passkey"
    else:
        ways.append("or turn confirmations off for this command with the explicit flag --confirm off")
        token = data.get("confirmation_token")
        if token and settings.secret:  # only a shared key makes the token valid in another process
            ways.append(
                "or, once a person approved the preview, run it again with "
                f'"confirmation_token": "{token}" added to the arguments (single use)'
            )
    for way in ways:
        print(f"- {way}", file=sys.stderr)
    return NEEDS_A_PERSON
