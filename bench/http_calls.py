"""Tool-call throughput and latency over streamable HTTP on loopback, 1 and 16 concurrent clients.

    uv run python bench/http_calls.py [--calls 400] [--seconds 60]

Starts `zoom-mcp --sandbox --transport http` on a free loopback port, opens N client sessions
(each lists the tools and makes one untimed warm-up call), then has them make `get_meeting`
calls, bounded by count and by time, against the in-process sandbox; prints calls/s and p50/p99
latency of the timed calls. The server stops by itself at the end. Client and server share the
machine's two cores, so the figures are a floor for what the server alone can do.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import anyio
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.http_server import zoom_mcp_http

ARGS = {"meetingId": 85746065432}


async def run(base: str, clients: int, calls: int, seconds: float) -> tuple[list[float], float]:
    latencies: list[float] = []
    per_client = calls // clients
    deadline = time.perf_counter() + seconds

    async def one() -> None:
        async with (
            httpx2.AsyncClient(timeout=30) as http,
            Client(streamable_http_client(f"{base}/mcp", http_client=http), mode="legacy") as client,
        ):
            await client.list_tools()
            await client.call_tool("get_meeting", ARGS)  # warm-up: the client compiles its output validator
            for _ in range(per_client):
                if time.perf_counter() > deadline:
                    break
                start = time.perf_counter()
                result = await client.call_tool("get_meeting", ARGS)
                latencies.append(time.perf_counter() - start)
                assert not result.is_error

    started = time.perf_counter()
    async with anyio.create_task_group() as tg:
        for _ in range(clients):
            tg.start_soon(one)
    return latencies, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    # Pacing is for Zoom's limits; raise it here so the figure is the server's own cost.
    env = {"ZOOM_MCP_RATE_LIMITS": "light=100000,medium=100000,heavy=100000"}
    with zoom_mcp_http("--sandbox", env=env) as base:
        print(f"## get_meeting over streamable HTTP on loopback, sandbox in-process ({args.calls} calls per run)")
        print("| clients | calls | calls/s | p50 ms | p99 ms |")
        print("|---|---|---|---|---|")
        for clients in (1, 16):
            latencies, elapsed = anyio.run(run, base, clients, args.calls, args.seconds)
            latencies.sort()
            p50 = statistics.median(latencies) * 1000
            p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
            print(f"| {clients} | {len(latencies)} | {len(latencies) / elapsed:.0f} | {p50:.1f} | {p99:.1f} |")


if __name__ == "__main__":
    main()
