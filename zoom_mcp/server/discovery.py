"""Dynamic discovery (`--dynamic`): a handful of meta-tools instead of the whole catalog.

The model lists toolsets, searches every allowed tool in plain words (`tool_search`: BM25F over
names, curated search terms, toolsets, descriptions and argument names), and enables a toolset (its
typed tools then appear and the client is told the list changed). A search hit is enabled in one
step: `enable_toolset` takes the hit's tool name as well as a toolset name, and each row says
whether its toolset is listed yet. For clients that never refresh their tool list, it can also
describe a tool and call it by name: that call goes through exactly the same inventory check,
validation, confirmation gate, audit and client as a listed tool (the call pipeline).
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext

from zoom_mcp.errors import Refused, UnknownTool, ZoomMcpError
from zoom_mcp.inventory import EnabledToolsets, Inventories, Inventory, Item
from zoom_mcp.server.pipeline import CallPipeline, Outcome
from zoom_mcp.server.results import compact, error_result
from zoom_mcp.server.session import client_identity
from zoom_mcp.server.tool_search import ToolIndex
from zoom_mcp.server.tool_specs import ToolSpecs

LIST_TOOLSETS, SEARCH, ENABLE, DESCRIBE, CALL = (
    "list_toolsets",
    "search_tools",
    "enable_toolset",
    "describe_tool",
    "call_tool",
)


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
        "Find Zoom tools by what you want to do, in plain words (e.g. 'who registered but did not attend', "
        "'free up recording storage'), across every toolset you may use. Returns the best tools with "
        "one-line descriptions and whether each is listed yet.",
        {"query": {"type": "string"}, "limit": {"type": "integer", "minimum": 1, "maximum": 20, "default": 5}},
        ["query"],
    ),
    _tool(
        ENABLE,
        "Enable a toolset, or the toolset of a tool found with search_tools: its typed tools are added to your "
        "tool list.",
        {"toolset": {"type": "string", "description": "a toolset name, or a tool name from search_tools"}},
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
        self, inventories: Inventories, specs: ToolSpecs, pipeline: CallPipeline, enabled: EnabledToolsets
    ) -> None:
        self.inventories = inventories
        self.specs = specs
        self.pipeline = pipeline
        self.enabled = enabled
        self._indexes: dict[int, tuple[Inventory, ToolIndex]] = {}  # built at the first search, off the cold start

    @property
    def inventory(self) -> Inventory:
        """What the person acting may find and call (see `Inventories`)."""
        return self.inventories.current()

    @property
    def index(self) -> ToolIndex:
        inventory = self.inventory
        found = self._indexes.get(id(inventory))
        if found is None or found[0] is not inventory:
            found = self._indexes[id(inventory)] = (inventory, ToolIndex(inventory.tools()))
        return found[1]

    def tools(self, ctx: ServerRequestContext[Any] | None) -> list[types.Tool]:
        enabled = self.enabled.of(client_identity(ctx))
        return META_TOOLS + [self.specs.of(item).tool for item in self.inventory.tools(enabled)]

    async def call(self, ctx: ServerRequestContext[Any] | None, params: types.CallToolRequestParams) -> Outcome:
        args = dict(params.arguments or {})
        try:
            if params.name == LIST_TOOLSETS:
                return self._list_toolsets(ctx)
            if params.name == SEARCH:
                return self._search(ctx, str(args.get("query", "")), int(args.get("limit") or 5))
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
        return self.index.search(query, limit)

    def _search(self, ctx: ServerRequestContext[Any] | None, query: str, limit: int) -> types.CallToolResult:
        found = self.search(query, max(1, min(limit, 20)))
        enabled = self.enabled.of(client_identity(ctx))
        rows = [
            {
                "name": item.name,
                "toolset": item.toolset,
                "safety": item.safety,
                "listed": item.toolset in enabled,
                "description": item.description.split(". ")[0].rstrip("."),
            }
            for item in found
        ]
        if not rows:
            text = f"No tool matches {query!r}; try other words or list_toolsets."
        else:
            text = compact(rows) + "\nUse one: enable_toolset with its name lists it (or call_tool runs it now)."
        return types.CallToolResult(content=[types.TextContent(text=text)], structured_content={"tools": rows})

    def _toolset_of(self, name: str) -> str:
        """A toolset's name as it is; a tool's name as its toolset (refused with the reason if it is hidden)."""
        if name in {t.name for t in self.inventory.toolsets()} or name in self.inventory.catalog.toolsets:
            return name
        try:
            return self.inventory.tool(name).toolset
        except UnknownTool:
            available = ", ".join(t.name for t in self.inventory.toolsets())
            raise Refused(
                f"Unknown toolset or tool {name!r}; toolsets: {available} (or a tool name from search_tools)."
            ) from None

    async def _enable(self, ctx: ServerRequestContext[Any] | None, name: str) -> types.CallToolResult:
        toolset = self._toolset_of(name)
        available = {t.name: t for t in self.inventory.toolsets()}
        if toolset not in available:
            raise Refused(f"Toolset {toolset!r} has no tool this server allows; available: {', '.join(available)}.")
        added = self.enabled.enable(client_identity(ctx), toolset)
        if added and ctx is not None:
            # A client without a back-channel still has describe_tool / call_tool.
            with contextlib.suppress(Exception):
                await ctx.session.send_tool_list_changed()
        names = list(available[toolset].tools)
        via = f" (the toolset of {name})" if name != toolset else ""
        text = f"Enabled {toolset}{via}: {', '.join(names)}. Refresh your tool list, or use describe_tool / call_tool."
        return types.CallToolResult(
            content=[types.TextContent(text=text)], structured_content={"toolset": toolset, "tools": names}
        )
