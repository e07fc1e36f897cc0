"""Task-level recording tools: search latency and the tokens an agent reads to answer a question.

    uv run python bench/insights.py [--meetings 200] [--repeats 5]

(a) Search latency over the sandbox seeded with N extra recorded meetings with transcripts, through
    an in-process MCP client session: the first search (lists the range, downloads and indexes every
    transcript and chat) and the same search repeated (index only), median of the repeats.
(b) Tokens (o200k) an agent reads to answer "what was said about X last month": with the task-level
    tools (one search_recordings result), and with the endpoint tools alone on the same data: every
    page of list_user_recordings, then get_meeting_summary and get_meeting_transcript per meeting.
    The endpoint path still cannot read a transcript (it only gets download URLs); its figure is
    what it reads before it is stuck.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import timedelta
from typing import Any

import anyio
from mcp import Client

from zoom_mcp.app.assemble import assemble
from zoom_mcp.app.settings import load
from zoom_mcp.clock import SYSTEM_CLOCK
from zoom_mcp.sandbox import Sandbox

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    anyio.run(run, args.meetings, args.repeats)


if __name__ == "__main__":
    main()
