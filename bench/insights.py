"""Task-level recording tools: search latency and the tokens an agent reads to answer a question.

    uv run python bench/insights.py [--meetings 200] [--repeats 5]
    uv run python bench/insights.py --year [--meetings 2000] [--repeats 200]

(a) Search latency over the sandbox seeded with N extra recorded meetings with transcripts, through
    an in-process MCP client session: the first search (lists the range, downloads and indexes every
    transcript and chat) and the same search repeated (index only), median of the repeats.
(b) Tokens (o200k) an agent reads to answer "what was said about X last month": with the task-level
    tools (one search_recordings result), and with the endpoint tools alone on the same data: every
    page of list_user_recordings, then get_meeting_summary and get_meeting_transcript per meeting.
    The endpoint path still cannot read a transcript (it only gets download URLs); its figure is
    what it reads before it is stuck.
(c) --year: a year of a busy team, N transcribed meetings (default 2,000) over 365 days, with Zoom's
    webhooks on (the sandbox posts signed events into the server's real receiver, in-process) and the
    index in a file. The clock is simulated: the client paces to Zoom's Pro limits (downloads like Medium
    calls, 20/s) by sleeping on it, so the first search's cost is shown as Zoom calls and simulated
    seconds, beside the wall time this machine took. Then: warm searches of the year (index only),
    p50/p99, for six questions asked again and again and for new questions whose words no search used
    before; the index's size on disk and in memory; Zoom calls per question with and without webhooks.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sqlite3
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
import httpx2
from mcp import Client

from zoom_mcp.app.assemble import App, assemble
from zoom_mcp.app.settings import load
from zoom_mcp.clock import SYSTEM_CLOCK, FixedClock
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.tasks.index import STOPWORDS, TranscriptIndex, fts_query
from zoom_mcp.transport.http import HttpOptions, build_app
from zoom_mcp.transport.security import HttpSecurity
from zoom_mcp.transport.webhook import webhook_routes

QUERY = "Team plan price"


def tokens(text: str) -> int:
    import bpe_openai

    return len(bpe_openai.get_encoding("o200k_base").encode(text))


def text_of(result: Any) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


async def run(meetings: int, repeats: int) -> None:
    sandbox = Sandbox(extra_meetings=meetings)
    today = SYSTEM_CLOCK.today()
    start = (today - timedelta(days=125)).isoformat()
    settings = load({}, flags={"sandbox": True, "toolsets": "all"})
    async with assemble(settings, sandbox=sandbox) as app, Client(app.server) as mcp:
        args = {"query": QUERY, "from": start, "to": today.isoformat()}
        began = time.perf_counter()
        first = await mcp.call_tool("search_recordings", args)
        first_s = time.perf_counter() - began
        data = first.structured_content or {}
        again = []
        for _ in range(repeats):
            began = time.perf_counter()
            await mcp.call_tool("search_recordings", args)
            again.append(time.perf_counter() - began)
        print(f"## Search over {data.get('meetings_searched')} recorded meetings ({data.get('windows')} windows)")
        print(f"first search (list, download {data.get('files_downloaded')} files, index): {first_s * 1000:.0f} ms")
        print(f"repeated search, median of {repeats}: {statistics.median(again) * 1000:.1f} ms")

        month = {"from": (today - timedelta(days=30)).isoformat(), "to": today.isoformat()}
        task = await mcp.call_tool("search_recordings", {"query": QUERY, **month})
        task_tokens = tokens(text_of(task))
        endpoint_tokens = 0
        calls = 0
        listing = await mcp.call_tool("list_user_recordings", {"userId": "me", **month, "all_pages": True})
        endpoint_tokens += tokens(text_of(listing))
        calls += 1
        for meeting in (listing.structured_content or {}).get("meetings", []):
            for tool in ("get_meeting_summary", "get_meeting_transcript"):
                result = await mcp.call_tool(tool, {"meetingId": meeting["uuid"]})
                endpoint_tokens += tokens(text_of(result))
                calls += 1
        print(f'\n## Tokens read to answer "what was said about {QUERY} last month" (o200k)')
        print(f"task-level: 1 call, {task_tokens} tokens")
        print(f"endpoint tools alone: {calls} calls, {endpoint_tokens} tokens (and no transcript text yet)")
        print(f"ratio: {endpoint_tokens / max(task_tokens, 1):.1f}x")


class SimulatedClock(FixedClock):
    """A pinned clock on which waits that overlap take as long as the longest, as they do in real time (a
    FixedClock adds every sleep up): concurrent downloads paced by one bucket end when the last one would."""

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        target = self.monotonic() + max(0.0, seconds)
        await anyio.sleep(0)
        self.advance(max(0.0, target - self.monotonic()))


SECRET = "bench-webhook-secret"
YEAR_QUERIES = (
    "Team plan price",
    "checkout latency",
    "onboarding flow",
    "renewal discount",
    "incident review",
    "price",
)


def single_stage(index: TranscriptIndex, query: str, uuids: list[str], limit: int) -> list[Any]:
    """The baseline: what the index's search was before, one FTS5 query scoring every matching passage."""
    match = fts_query(query)
    return index._db.execute(
        """SELECT t.uuid, t.kind, t.speaker, t.start, snippet(passages, 0, '**', '**', '…', 14),
               bm25(passages, 1.0, 0.5)
        FROM passages JOIN turns t ON t.id = passages.rowid
        WHERE passages MATCH ? AND t.uuid IN (SELECT value FROM json_each(?)) ORDER BY 6 LIMIT ?""",
        (match, json.dumps(uuids), limit),
    ).fetchall()


def new_questions(index: TranscriptIndex, most: int) -> list[str]:
    """Up to `most` two-word questions from the words said in the index (a fixed sample), no word used twice."""
    said: dict[str, None] = {}
    for (text,) in index._db.execute("SELECT text FROM turns WHERE id % 97 = 0 LIMIT 20000"):
        for word in re.findall(r"[a-z]{4,}", text.lower()):
            if word not in STOPWORDS and not any(word in q.lower().split() for q in YEAR_QUERIES):
                said.setdefault(word)
    words = sorted(said)
    random.Random(7).shuffle(words)
    return [f"{a} {b}" for a, b in zip(words[0::2], words[1::2], strict=False)][:most]


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def zoom_calls(sandbox: Sandbox) -> tuple[int, int]:
    """(list calls, file downloads) in the sandbox's log."""
    lists = sum(1 for r in sandbox.requests if r.operation == "list_user_recordings")
    return lists, sum(1 for r in sandbox.requests if r.raw_path.startswith("/rec/"))


def with_webhooks(app: App, sandbox: Sandbox) -> None:
    """The sandbox posts its signed webhooks into the server's real receiver route, in-process."""
    assert app.webhooks is not None
    routes = webhook_routes(app.webhooks, SECRET, app.clock)
    http_app = build_app(app.server, HttpOptions(), HttpSecurity(webhook=True), extra_routes=routes)
    sandbox.send_webhooks_to("http://127.0.0.1/zoom/webhook", SECRET, transport=httpx2.ASGITransport(app=http_app))


async def year(meetings: int, repeats: int, minutes: int) -> None:
    clock = SimulatedClock("2026-06-17T15:04:05Z")
    began = time.perf_counter()
    sandbox = Sandbox(clock=clock, extra_meetings=meetings, extra_days=365, extra_minutes=minutes)
    seeded = time.perf_counter() - began
    today = clock.today()
    whole = {"from": (today - timedelta(days=364)).isoformat(), "to": today.isoformat()}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "index.sqlite3"
        env = {"ZOOM_WEBHOOK_SECRET_TOKEN": SECRET, "ZOOM_MCP_INDEX": str(path)}
        settings = load(env, flags={"sandbox": True, "toolsets": "all", "transport": "http"})
        async with assemble(settings, clock=clock, sandbox=sandbox) as app, Client(app.server) as mcp:
            with_webhooks(app, sandbox)
            assert sandbox.webhooks is not None and app.webhooks is not None
            await sandbox.webhooks.validate()
            print(f"## A year of a busy team: {meetings} transcribed {minutes}-minute meetings over 365 days "
                  f"(seeded in {seeded:.1f} s)")  # fmt: skip
            print("\n| search | Zoom list calls | files downloaded | simulated s (Pro pacing) | wall s |")
            print("|---|---|---|---|---|")
            searches = 0
            while True:
                sandbox.reset_log()
                t0, w0 = clock.monotonic(), time.perf_counter()
                result = await mcp.call_tool("search_recordings", {"query": YEAR_QUERIES[0], **whole})
                data = result.structured_content or {}
                lists, files = zoom_calls(sandbox)
                searches += 1
                label = "first" if searches == 1 else f"{searches}."
                simulated, wall = clock.monotonic() - t0, time.perf_counter() - w0
                left = data.get("meetings_not_read_yet")
                print(f"| {label} ({left} left) | {lists} | {files} | {simulated:.1f} | {wall:.1f} |")
                if not data.get("meetings_not_read_yet"):
                    break
            searched = data.get("meetings_searched")
            index = app.tasks.index
            host = index.host_of("me")
            assert host is not None
            # the meetings a search of the year passes to the index, in its order (newest first)
            uuids = [m.uuid for m in index.meetings_between(host, whole["from"], whole["to"])]
            timings: dict[str, list[float]] = {"mcp": [], "index": [], "baseline": []}
            cpu: dict[str, list[float]] = {key: [] for key in timings}  # this process's CPU time: what other work on
            # the machine does not add (the wall time does, when other processes share the cores)
            warm: Any = None

            async def through_mcp(query: str) -> None:
                nonlocal warm
                warm = await mcp.call_tool("search_recordings", {"query": query, **whole})

            async def index_alone(query: str) -> None:
                index.search(query, uuids, 10)

            async def baseline(query: str) -> None:
                single_stage(index, query, uuids, 10)

            kinds = {"mcp": through_mcp, "index": index_alone, "baseline": baseline}
            # Interleaved, so the machine's load falls on all three alike, in an order that turns each round: each
            # follows each other as often (the baseline reads far more of the index than the others, and what
            # runs just after it finds SQLite's and the CPU's caches filled with other pages).
            for n in range(repeats):
                query = YEAR_QUERIES[n % len(YEAR_QUERIES)]
                order = list(kinds)[n % 3 :] + list(kinds)[: n % 3]
                for key in order:
                    w0, c0 = time.perf_counter(), time.process_time()
                    await kinds[key](query)
                    timings[key].append((time.perf_counter() - w0) * 1000)
                    cpu[key].append((time.process_time() - c0) * 1000)
            # Questions never asked before: two words each, drawn from what was said, no word in two questions,
            # so each search stems and counts its words cold (the repeated questions above find them counted).
            fresh: list[float] = []
            for question in new_questions(index, repeats):
                w0 = time.perf_counter()
                await mcp.call_tool("search_recordings", {"query": question, **whole})
                fresh.append((time.perf_counter() - w0) * 1000)
            sandbox.reset_log()
            await mcp.call_tool("search_recordings", {"query": YEAR_QUERIES[1], **whole})
            warm_lists, warm_files = zoom_calls(sandbox)
            freshness = (warm.structured_content or {}).get("freshness", {})
            print(f"\n## Warm searches of the year ({searched} meetings, source {freshness.get('source')}, "
                  f"{warm_lists} Zoom list calls, {warm_files} downloads), {repeats} runs over {len(YEAR_QUERIES)} "
                  f"questions, interleaved (load average {os.getloadavg()[0]:.1f})")  # fmt: skip
            print("\n| | p50 ms | p99 ms | CPU p50 ms |\n|---|---|---|---|")
            labels = {
                "mcp": "search_recordings through an MCP session (two-stage ranking)",
                "index": "the index's search alone (two-stage: best files, then their passages)",
                "baseline": "baseline: one FTS5 bm25() query over every passage (the index's search before)",
            }
            for key, label in labels.items():
                print(
                    f"| {label} | {statistics.median(timings[key]):.1f} | {p99(timings[key]):.1f} "
                    f"| {statistics.median(cpu[key]):.1f} |"
                )
            print(f"| {len(fresh)} new questions through an MCP session, each word in one question only "
                  f"| {statistics.median(fresh):.1f} | {p99(fresh):.1f} | |")  # fmt: skip
            print(f"ratio baseline / two-stage (index, p50): "
                  f"{statistics.median(timings['baseline']) / statistics.median(timings['index']):.1f}x")  # fmt: skip
            stats = index.stats()
            memory = sqlite3.connect(":memory:")
            index._db.backup(memory)  # the same index in memory, as an HTTP server keeps it
            in_memory = (
                memory.execute("PRAGMA page_count").fetchone()[0] * memory.execute("PRAGMA page_size").fetchone()[0]
            )
            print(f"\nindex: {stats.meetings} meetings, {stats.files} files, {stats.passages} passages; "
                  f"{path.stat().st_size / 1e6:.1f} MB on disk, {in_memory / 1e6:.1f} MB in memory")  # fmt: skip

            print("\n## Zoom calls per question (list calls + downloads), the index warm")
            print("| question | with webhooks | without webhooks |")
            print("|---|---|---|")
            month = {"from": (today - timedelta(days=30)).isoformat(), "to": today.isoformat()}
            rows = []
            for label, scope in (("last 30 days", month), ("the year", whole)):
                sandbox.reset_log()
                await mcp.call_tool("search_recordings", {"query": YEAR_QUERIES[2], **scope})
                rows.append((label, zoom_calls(sandbox)))
            sandbox.finish_meeting("Pricing sync", said=[("Sam Okafor", "The renewal discount stays at ten percent.")])
            sandbox.reset_log()
            await sandbox.webhooks.flush()
            await app.webhooks.settled()
            arrived = zoom_calls(sandbox)
        settings = load({"ZOOM_MCP_INDEX": str(path)}, flags={"sandbox": True, "toolsets": "all"})
        async with assemble(settings, clock=clock, sandbox=sandbox) as app, Client(app.server) as mcp:
            for (label, hooked), scope in zip(rows, (month, whole), strict=True):
                sandbox.reset_log()
                await mcp.call_tool("search_recordings", {"query": YEAR_QUERIES[2], **scope})
                lists, files = zoom_calls(sandbox)
                print(f"| {label} | {hooked[0]} + {hooked[1]} | {lists} + {files} |")
        print(
            f"\na new recording with webhooks: {arrived[0]} list calls + {arrived[1]} downloads once, when it arrives"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=None, help="extra meetings (default 200; 2000 with --year)")
    parser.add_argument("--repeats", type=int, default=None, help="repeated searches (default 5; 200 with --year)")
    parser.add_argument("--year", action="store_true", help="a year of a busy team, with webhooks (c)")
    parser.add_argument("--minutes", type=int, default=60, help="--year: each meeting's length (60+: talked densely)")
    args = parser.parse_args()
    if args.year:
        anyio.run(year, args.meetings or 2000, args.repeats or 200, args.minutes)
    else:
        anyio.run(run, args.meetings or 200, args.repeats or 5)


if __name__ == "__main__":
    main()
