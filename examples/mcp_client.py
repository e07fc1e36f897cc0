"""Use zoom-mcp from the plain `mcp` client: tools, a transcript resource, and a confirmed delete.

Shows: starting the server over stdio, listing tools, calling `search_recordings`, reading the
`zoom://meetings/{id}/transcript` resource of the top hit, and calling the destructive
`delete_meeting` with an elicitation callback, so the server asks a person before anything is sent.

    uv run python examples/mcp_client.py           # sandbox; asks "Run it? [y/N]" on a terminal, else declines
    uv run python examples/mcp_client.py --yes     # sandbox; accepts the confirmation
    uv run python examples/mcp_client.py --real    # against Zoom (ZOOM_* credentials set)
"""

from __future__ import annotations

import sys
import textwrap
from typing import Any
from urllib.parse import quote

import anyio
import mcp_types as types
from mcp import Client, StdioServerParameters

MEETING_TO_DELETE = 85746065432  # "Weekly design review" in the sandbox


def make_confirmer(yes: bool):
    """An elicitation callback: shows what the server asks, answers as the person (or --yes) decides."""

    async def confirm(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        print("The server asks:\n" + textwrap.indent(params.message, "  "))
        if yes:
            answer = "y"
        elif sys.stdin.isatty():
            answer = await anyio.to_thread.run_sync(input, "Run it? [y/N] ")
        else:
            answer = "n"
        if answer.strip().lower() in ("y", "yes"):
            print("-> accepted")
            return types.ElicitResult(action="accept", content={"confirm": True})
        print("-> declined")
        return types.ElicitResult(action="decline")

    return confirm


async def main(real: bool, yes: bool) -> None:
    args = ["-m", "zoom_mcp"] + ([] if real else ["--sandbox"])
    server = StdioServerParameters(command=sys.executable, args=args)
    async with Client(server, elicitation_callback=make_confirmer(yes)) as client:
        tools = (await client.list_tools()).tools
        print(f"{len(tools)} tools, e.g. {', '.join(t.name for t in tools[:5])}")

        found = await client.call_tool("search_recordings", {"query": "launch date"})
        hits = (found.structured_content or {}).get("hits", [])
        if not hits:
            print("no hits for 'launch date'")
            return
        top = hits[0]
        print(f"Top hit: {top['speaker']} at {top['at']} in '{top['topic']}' ({top['date']}): {top['snippet']}")

        uri = f"zoom://meetings/{quote(top['meeting_uuid'], safe='')}/transcript"
        transcript = await client.read_resource(uri)
        print(f"First lines of {uri}:")
        for line in transcript.contents[0].text.splitlines()[:3]:
            print(f"  {line}")

        if real:
            print("(--real: the delete_meeting step runs on the sandbox only)")
            return
        result = await client.call_tool("delete_meeting", {"meetingId": MEETING_TO_DELETE})
        status = (result.structured_content or {}).get("status")
        if result.is_error:
            print(f"delete_meeting failed: {result.content[0].text}")
        elif status in ("declined", "cancelled"):
            print(f"Declined: {result.content[0].text}")
        elif status == "confirmation_required":  # a client without elicitation gets a preview and a token
            print(f"Not deleted, the server wants a confirmation token: {result.content[0].text}")
        else:
            print(f"Deleted meeting {MEETING_TO_DELETE}: {result.content[0].text}")


def stopped(exc: BaseException) -> str:
    """The innermost reason a failed run gives (the SDKs wrap the server's exit in exception groups)."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return f"{type(exc).__name__}: {exc}"


if __name__ == "__main__":
    try:
        anyio.run(main, "--real" in sys.argv, "--yes" in sys.argv)
    except Exception as exc:  # e.g. --real without Zoom credentials: the server said why on stderr, above
        sys.exit(f"zoom-mcp stopped ({stopped(exc)}); its own message above says what to set.")
