"""The floor for cold start: a bare `mcp` SDK server on stdio with N trivial tools."""

from __future__ import annotations

import sys

import anyio
import mcp_types as types
from mcp.server import Server
from mcp.server.stdio import stdio_server

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 54
TOOLS = [
    types.Tool(name=f"tool_{i}", description="A trivial tool.", input_schema={"type": "object", "properties": {}})
    for i in range(COUNT)
]


async def list_tools(ctx, params) -> types.ListToolsResult:  # type: ignore[no-untyped-def]
    return types.ListToolsResult(tools=TOOLS)


async def main() -> None:
    server = Server("floor", on_list_tools=list_tools)
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


anyio.run(main)
