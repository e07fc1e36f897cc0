"""Dynamic discovery (`--dynamic`): a handful of meta-tools instead of the whole catalog.

The model lists toolsets, searches the catalog in plain words, and enables a toolset (its typed
tools then appear and the client is told the list changed). For clients that never refresh their
tool list, it can also describe a tool and call it by name: that call goes through exactly the
same inventory check, validation, confirmation gate, audit and client as a listed tool (the call pipeline).
"""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext

from zoom_mcp.errors import Refused, ZoomMcpError
from zoom_mcp.inventory import EnabledToolsets, Inventory, Item
from zoom_mcp.server.pipeline import CallPipeline, Outcome
from zoom_mcp.server.results import compact, error_result
from zoom_mcp.server.session import client_identity
from zoom_mcp.server.tool_specs import ToolSpecs

LIST_TOOLSETS, SEARCH, ENABLE, DESCRIBE, CALL = (
    "list_toolsets",
    "search_tools",
    "enable_toolset",
    "describe_tool",
    "call_tool",
)

# Words people use for what the catalog calls otherwise.
SYNONYMS = {
    "attendee": "participant",
    "attended": "participant",
    "who": "participant",
    "joined": "participant",
    "remove": "delete",
    "erase": "delete",
    "cancel": "delete",
    "wipe": "delete",
    "schedule": "create",
    "book": "create",
    "new": "create",
    "set": "update",
    "change": "update",
    "edit": "update",
    "rename": "update",
    "show": "get",
    "find": "list",
    "upcoming": "upcoming",
    "next": "upcoming",
    "week": "upcoming",
    "today": "upcoming",
    "tomorrow": "upcoming",
    "recording": "recording",
    "video": "recording",
    "transcript": "recording",
    "signup": "registrant",
    "register": "add",
    "registration": "registrant",
    "question": "question",
    "vote": "poll",
    "summary": "summary",
    "recap": "summary",
    "notes": "summary",
    "restore": "recover",
    "undelete": "recover",
    "stream": "livestream",
    "broadcast": "livestream",
    "phone": "zpa",
    "room": "device",
}
VERBS = {"list", "get", "create", "add", "update", "delete", "recover", "assign", "upgrade", "control", "end", "start"}
STOP = {
    "do",
    "have",
    "has",
    "someone",
    "one",
    "at",
    "once",
    "by",
    "a",
    "an",
    "the",
    "of",
    "for",
    "my",
    "me",
    "i",
    "to",
    "in",
    "on",
    "with",
    "and",
    "all",
    "this",
    "what",
    "is",
}


def _words(text: str) -> list[str]:
    words = []
    for raw in re.findall(r"[a-z0-9]+", text.lower()):
        word = raw[:-1] if raw.endswith("s") and len(raw) > 3 and not raw.endswith("ss") else raw
        if word not in STOP:
            words.append(SYNONYMS.get(word, word))
    return words


def score(op: Item, query: list[str]) -> float:
    name = set(_words(op.name.replace("_", " ")))
    description = set(_words(op.description))
    toolset = set(_words(op.toolset.replace("_", " ")))
    params = set(_words(" ".join(op.argument_names)))
    total = 0.0
    for word in query:
        total += 3.0 * (word in name) + 2.0 * (word in toolset) + 1.0 * (word in description) + 0.5 * (word in params)
    total -= 0.25 * len(name - set(query))  # of two matches, the one with fewer other words is the closer
    verb = op.name.split("_")[0]
    if verb in query:  # "delete recording" wants a delete tool first
        total += 2.0
    elif not set(query) & VERBS and op.safety == "read":
        total += 1.0  # no action asked for: a lookup is the safe reading
    return total


def _tool(name: str, description: str, properties: dict[str, Any], required: list[str]) -> types.Tool:
    schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = required
    return types.Tool(
        name=name,
        description=description,
        input_schema=schema,
        annotations=types.ToolAnnotations(read_only_hint=name != CALL, open_world_hint=name == CALL),
    )


META_TOOLS = [
    _tool(
        LIST_TOOLSETS,
        "List the Zoom toolsets with what each covers, how many tools it has and whether it is enabled.",
        {},
        [],
    ),
    _tool(
        SEARCH,
        "Find Zoom tools by what you want to do, in plain words (e.g. 'upcoming meetings', "
        "'delete recording'). Returns the best tool names with one-line descriptions.",
        {"query": {"type": "string"}, "limit": {"type": "integer", "minimum": 1, "maximum": 20, "default": 5}},
        ["query"],
    ),
    _tool(
        ENABLE,
        "Enable a toolset: its typed tools are added to your tool list.",
        {"toolset": {"type": "string"}},
        ["toolset"],
    ),
    _tool(
        DESCRIBE,
        "Show a tool's description and input schema, to call it with call_tool.",
        {"name": {"type": "string"}},
        ["name"],
    ),
    _tool(
        CALL,
        "Call any Zoom tool by name with its arguments (same checks and confirmations as listing it).",
        {"name": {"type": "string"}, "arguments": {"type": "object"}},
        ["name"],
    ),
]
META_NAMES = {tool.name for tool in META_TOOLS}


class Discovery:
    """The meta-tools' behaviour over the inventory; each session's enabled toolsets in `enabled`."""

    def __init__(
        self, inventory: Inventory, specs: ToolSpecs, pipeline: CallPipeline, enabled: EnabledToolsets
    ) -> None:
        self.inventory = inventory
        self.specs = specs
        self.pipeline = pipeline
        self.enabled = enabled

    def tools(self, ctx: ServerRequestContext[Any] | None) -> list[types.Tool]:
        enabled = self.enabled.of(client_identity(ctx))
        return META_TOOLS + [self.specs.of(item).tool for item in self.inventory.tools(enabled)]

    async def call(self, ctx: ServerRequestContext[Any] | None, params: types.CallToolRequestParams) -> Outcome:
        args = dict(params.arguments or {})
        try:
            if params.name == LIST_TOOLSETS:
                return self._list_toolsets(ctx)
            if params.name == SEARCH:
                return self._search(str(args.get("query", "")), int(args.get("limit") or 5))
            if params.name == ENABLE:
                return await self._enable(ctx, str(args.get("toolset", "")))
            name = str(args.get("name", ""))
            if params.name == DESCRIBE:
                return self._describe(self._find(name))
            inner = args.get("arguments") or {}
            if not isinstance(inner, dict):
                raise Refused("call_tool: arguments must be an object of the tool's arguments.")
            self._find(name)
            return await self.pipeline.call(name, dict(inner), ctx, params)
        except ZoomMcpError as exc:
            return error_result(exc)

    def _find(self, name: str) -> Item:
        try:
            return self.inventory.tool(name)
        except Refused as exc:
            raise type(exc)(f"{exc} Use search_tools to find one.") from exc

    def _describe(self, item: Item) -> types.CallToolResult:
        spec = self.specs.of(item)
        data = {
            "name": item.name,
            "toolset": item.toolset,
            "safety": item.safety,
            "description": spec.tool.description,
            "input_schema": spec.input_schema,
        }
        return types.CallToolResult(content=[types.TextContent(text=json.dumps(data))], structured_content=data)

    def _list_toolsets(self, ctx: ServerRequestContext[Any] | None) -> types.CallToolResult:
        enabled = self.enabled.of(client_identity(ctx))
        rows = [
            {"toolset": t.name, "tools": len(t.tools), "enabled": t.name in enabled, "description": t.description}
            for t in self.inventory.toolsets()
        ]
        text = "\n".join(
            f"{r['toolset']} ({r['tools']}{', enabled' if r['enabled'] else ''}): {r['description']}" for r in rows
        )
        return types.CallToolResult(content=[types.TextContent(text=text)], structured_content={"toolsets": rows})

    def search(self, query: str, limit: int = 5) -> list[Item]:
        words = _words(query)
        ranked = sorted(((score(i, words), i.name, i) for i in self.inventory.tools()), key=lambda t: (-t[0], t[1]))
        return [item for points, _, item in ranked[:limit] if points > 0]

    def _search(self, query: str, limit: int) -> types.CallToolResult:
        found = self.search(query, max(1, min(limit, 20)))
        rows = [
            {
                "name": item.name,
                "toolset": item.toolset,
                "safety": item.safety,
                "description": item.description.split(". ")[0].rstrip("."),
            }
            for item in found
        ]
        text = compact(rows) if rows else f"No tool matches {query!r}; try other words or list_toolsets."
        return types.CallToolResult(content=[types.TextContent(text=text)], structured_content={"tools": rows})

    async def _enable(self, ctx: ServerRequestContext[Any] | None, toolset: str) -> types.CallToolResult:
        available = {t.name: t for t in self.inventory.toolsets()}
        if toolset not in available:
            raise Refused(f"Unknown or disabled toolset {toolset!r}; available: {', '.join(sorted(available))}.")
        added = self.enabled.enable(client_identity(ctx), toolset)
        if added and ctx is not None:
            # A client without a back-channel still has describe_tool / call_tool.
            with contextlib.suppress(Exception):
                await ctx.session.send_tool_list_changed()
        names = list(available[toolset].tools)
        text = f"Enabled {toolset}: {', '.join(names)}. Refresh your tool list, or use describe_tool / call_tool."
        return types.CallToolResult(
            content=[types.TextContent(text=text)], structured_content={"toolset": toolset, "tools": names}
        )
