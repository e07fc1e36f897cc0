"""What FastMCP's `from_openapi` puts in front of a model for the same Zoom operations (the comparison).

    uv run --no-project --with fastmcp --with httpx --with bpe-openai python bench/fastmcp_tokens.py [all|reference]

Runs in its own throwaway environment (FastMCP is not a dependency of zoom-mcp). Prints the tool
count, model-facing tokens (name, description, input schema) and whole tools/list tokens, o200k.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import bpe_openai
import httpx
from fastmcp import FastMCP

ROOT = Path(__file__).resolve().parents[1]


def spec_for(mode: str) -> dict:
    spec = json.loads((ROOT / "scripts/reference/zoom-meetings-openapi.json").read_text())
    if mode == "reference":  # the 54 operations of the text reference (issue 2)
        lines = (ROOT / "tests/data/reference_operations.txt").read_text().splitlines()
        keep = {tuple(line.split(" ", 1)) for line in lines if line and not line.startswith("#")}
        paths = {p: {m: o for m, o in ops.items() if (m.upper(), p) in keep} for p, ops in spec["paths"].items()}
        spec["paths"] = {p: ops for p, ops in paths.items() if ops}
    return spec


async def main(mode: str) -> None:
    server = FastMCP.from_openapi(spec_for(mode), client=httpx.AsyncClient(base_url="https://api.zoom.us/v2"))
    tools = [
        t.to_mcp_tool().model_dump(by_alias=True, exclude_none=True, mode="json") for t in await server.list_tools()
    ]
    encoding = bpe_openai.get_encoding("o200k_base")

    def tokens(texts: list[str]) -> int:
        return sum(len(encoding.encode(text)) for text in texts)

    facing = [
        json.dumps(
            {"name": t["name"], "description": t.get("description"), "inputSchema": t["inputSchema"]},
            separators=(",", ":"),
        )
        for t in tools
    ]
    whole = [json.dumps(t, separators=(",", ":")) for t in tools]
    print(
        f"FastMCP from_openapi, {mode}: {len(tools)} tools, model-facing {tokens(facing)} tokens, "
        f"whole tools/list {tokens(whole)} tokens (o200k)"
    )


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "all"))
