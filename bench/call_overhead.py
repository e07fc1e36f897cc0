"""Per-call overhead of zoom-mcp's call pipeline, beside a bare SDK server making the same Zoom call.

    uv run python bench/call_overhead.py [--calls 2000] [--rounds 5]

Both servers run in-process over the SDK's in-memory transport and reach the same in-process
sandbox through the same `ZoomClient` (pacing lifted), so the difference is what zoom-mcp adds to
a call: the inventory check, argument validation, serialization, the result's output-schema check.
The floor server's one tool sends `GET /meetings/{id}` and returns the JSON text. Rounds alternate
the two servers; the figure is the ratio of the median per-call latencies, per round and overall.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
from mcp import Client
from mcp.server import Server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zoom_mcp.api import load_catalog
from zoom_mcp.api.serialize import build_request
from zoom_mcp.app.assemble import assemble
from zoom_mcp.app.settings import load
from zoom_mcp.client import ZoomClient
from zoom_mcp.sandbox import Sandbox

ARGS = {"meetingId": 85746065432}
UNPACED = {"ZOOM_MCP_RATE_LIMITS": "light=1000000,medium=1000000,heavy=1000000"}


def floor_server(client: ZoomClient) -> Server:
    op = load_catalog().get("get_meeting")
    assert op is not None
    tool = types.Tool(name="get_meeting", description="Get a meeting.", input_schema=op.input_schema)

    async def list_tools(ctx: Any, params: Any) -> types.ListToolsResult:
        return types.ListToolsResult(tools=[tool])

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        response = await client.send(build_request(op, dict(params.arguments or {})))
        return types.CallToolResult(content=[types.TextContent(text=json.dumps(response.data))])

    return Server("floor", on_list_tools=list_tools, on_call_tool=call_tool)


async def timed(server: Server, calls: int) -> list[float]:
    latencies = []
    async with Client(server) as client:
        await client.list_tools()
        await client.call_tool("get_meeting", ARGS)  # warm-up: validators compiled, token fetched
        for _ in range(calls):
            start = time.perf_counter()
            result = await client.call_tool("get_meeting", ARGS)
            latencies.append(time.perf_counter() - start)
            assert not result.is_error
    return latencies


async def run(calls: int, rounds: int) -> None:
    settings = load(UNPACED, flags={"sandbox": True})
    ours_all: list[float] = []
    floor_all: list[float] = []
    print(f"## get_meeting in-process, {calls} calls per server per round (median per-call latency)")
    print("| round | zoom-mcp µs | bare SDK + same client µs | ratio |")
    print("|---|---|---|---|")
    for n in range(rounds):
        async with assemble(settings, sandbox=Sandbox()) as app:
            ours = await timed(app.server, calls)
            floor = await timed(floor_server(app.client), calls)
        ours_all += ours
        floor_all += floor
        a, b = statistics.median(ours), statistics.median(floor)
        print(f"| {n + 1} | {a * 1e6:.0f} | {b * 1e6:.0f} | {a / b:.2f}x |")
    a, b = statistics.median(ours_all), statistics.median(floor_all)
    print(f"| all | {a * 1e6:.0f} | {b * 1e6:.0f} | {a / b:.2f}x |")
    print(f"\nzoom-mcp adds {(a - b) * 1e6:.0f} µs per call over the floor (median).")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    anyio.run(run, args.calls, args.rounds)


if __name__ == "__main__":
    main()
