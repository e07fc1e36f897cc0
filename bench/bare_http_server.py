"""The floor for calls through a load balancer: a bare `mcp` SDK server, stateless streamable HTTP at /mcp,
with one tool `get_meeting` that answers a fixed meeting (no Zoom, no validation, no pacing).

    uv run python bench/bare_http_server.py PORT
"""

from __future__ import annotations

import sys

import mcp_types as types
import uvicorn
from mcp.server import Server
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

MEETING = {"id": 85746065432, "topic": "Weekly design review", "type": 8, "duration": 60}
TOOL = types.Tool(name="get_meeting", description="A meeting.", input_schema={"type": "object", "properties": {}})


async def list_tools(ctx, params) -> types.ListToolsResult:  # type: ignore[no-untyped-def]
    return types.ListToolsResult(tools=[TOOL])


async def call_tool(ctx, params) -> types.CallToolResult:  # type: ignore[no-untyped-def]
    return types.CallToolResult(content=[types.TextContent(text=str(MEETING))], structured_content=MEETING)


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def main() -> None:
    server = Server("bare", on_list_tools=list_tools, on_call_tool=call_tool)
    app = server.streamable_http_app(
        streamable_http_path="/mcp", stateless_http=True, custom_starlette_routes=[Route("/healthz", healthz)]
    )
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")


if __name__ == "__main__":
    main()
