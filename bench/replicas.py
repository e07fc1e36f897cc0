"""Calls through a load balancer: 1 and 3 zoom-mcp replicas (stateless, shared Redis, pacing lifted) behind
haproxy, beside a bare-SDK streamable-HTTP server behind the same haproxy, under the same load, in one run.

    uv run python bench/replicas.py [--clients 16] [--calls 25]

Each run starts what tests/cluster.py starts (redis-server, `zoom-mcp sandbox --port` as Zoom, the replicas,
haproxy; all on loopback, stopped at the end). `--clients` sessions each make one untimed warm-up call and
then `--calls` timed `get_meeting` calls through the load balancer; it prints calls/s and p50/p99 latency.
Pacing is lifted (ZOOM_MCP_RATE_LIMITS far above the plan) so that the figures measure the servers, not
Zoom's limits; the replicas still take their place in Redis's shared window for every request. Everything
shares this machine's cores, so the figures compare the setups rather than bound what one can do.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import anyio

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.cluster import Process, _clean_env, answers, cluster, haproxy, session, wait_until
from tests.http_server import free_port

ARGS = {"meetingId": 85746065432}
LIFTED = {"ZOOM_MCP_RATE_LIMITS": "light=100000,medium=100000,heavy=100000,resource-intensive=100000"}


async def load(base: str, clients: int, calls: int) -> tuple[list[float], float]:
    latencies: list[float] = []

    async def one() -> None:
        async with session(base) as client:
            await client.call_tool("get_meeting", ARGS)  # warm-up
            for _ in range(calls):
                start = time.perf_counter()
                result = await client.call_tool("get_meeting", ARGS)
                latencies.append(time.perf_counter() - start)
                assert not result.is_error, result.content

    started = time.perf_counter()
    async with anyio.create_task_group() as tg:
        for _ in range(clients):
            tg.start_soon(one)
    return latencies, time.perf_counter() - started


def report(name: str, latencies: list[float], elapsed: float) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    line = f"| {name} | {len(latencies) / elapsed:.0f} | {statistics.median(ordered) * 1000:.0f} | {p99 * 1000:.0f} |"
    print(line, flush=True)
    return line


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--calls", type=int, default=25)
    args = parser.parse_args()
    print(f"{args.clients} sessions x {args.calls} get_meeting calls through haproxy")
    print("| setup | calls/s | p50 ms | p99 ms |\n|---|---|---|---|")
    for replicas in (1, 3):
        with cluster(replicas, env=LIFTED) as c:
            report(
                f"zoom-mcp, {replicas} replica{'s' if replicas > 1 else ''}",
                *anyio.run(load, c.lb, args.clients, args.calls),
            )
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        port = free_port()
        bare = Process(
            "bare",
            [sys.executable, str(Path(__file__).with_name("bare_http_server.py")), str(port)],
            _clean_env(),
            port,
            workdir / "bare.log",
        )
        bare.start()
        stack.callback(bare.stop)
        wait_until(lambda: answers(f"{bare.base}/healthz"), "the bare server")
        lb = stack.enter_context(haproxy([port], workdir))
        report("bare SDK server, 1 process", *anyio.run(load, lb, args.clients, args.calls))


if __name__ == "__main__":
    main()
