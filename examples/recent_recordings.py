"""List your recent cloud recordings and read one meeting's files, through zoom-mcp over stdio.

Shows: starting the server as a subprocess with the `mcp` client, listing tools, calling two.

    uv run python examples/recent_recordings.py            # against the embedded sandbox
    uv run python examples/recent_recordings.py --real     # against Zoom (ZOOM_* credentials set)
"""

from __future__ import annotations

import sys

import anyio
from mcp import Client, StdioServerParameters


async def main(real: bool) -> None:
    args = ["-m", "zoom_mcp"] + ([] if real else ["--sandbox"])
    async with Client(StdioServerParameters(command=sys.executable, args=args)) as client:
        tools = (await client.list_tools()).tools
        print(f"{len(tools)} tools; e.g. {', '.join(t.name for t in tools[:3])}")
        listing = await client.call_tool("list_user_recordings", {"userId": "me"})
        meetings = (listing.structured_content or {}).get("meetings", [])
        for meeting in meetings:
            print(f"- {meeting['start_time']}  {meeting['topic']}  ({meeting['recording_count']} files)")
        if meetings:
            first = await client.call_tool("get_meeting_recordings", {"meetingId": meetings[0]["uuid"]})
            kinds = [f["file_type"] for f in (first.structured_content or {}).get("recording_files", [])]
            print(f"files of '{meetings[0]['topic']}': {', '.join(kinds)}")


def stopped(exc: BaseException) -> str:
    """The innermost reason a failed run gives (the SDKs wrap the server's exit in exception groups)."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return f"{type(exc).__name__}: {exc}"


if __name__ == "__main__":
    try:
        anyio.run(main, "--real" in sys.argv)
    except Exception as exc:  # e.g. --real without Zoom credentials: the server said why on stderr, above
        sys.exit(f"zoom-mcp stopped ({stopped(exc)}); its own message above says what to set.")
