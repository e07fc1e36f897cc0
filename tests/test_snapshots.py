"""What the model sees, as reviewed data: one JSON file per tool under tests/snapshots/tools/.

Any change to a tool's name, title, description, annotations or schemas fails here until the
snapshots are refreshed, so it shows up in review:

    ZOOM_MCP_UPDATE_SNAPSHOTS=1 uv run pytest tests/test_snapshots.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from mcp import Client

pytestmark = pytest.mark.anyio
SNAPSHOTS = Path(__file__).parent / "snapshots" / "tools"
UPDATE = os.environ.get("ZOOM_MCP_UPDATE_SNAPSHOTS") == "1"


def render(tool: dict) -> str:
    face = {key: tool[key] for key in ("name", "title", "description", "annotations", "inputSchema", "outputSchema")
            if key in tool}  # fmt: skip
    return json.dumps(face, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


async def test_tools_match_their_snapshots(mcp: Client) -> None:
    tools = [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in (await mcp.list_tools()).tools]
    live = {tool["name"]: render(tool) for tool in tools}
    if UPDATE:
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        for stale in SNAPSHOTS.glob("*.json"):
            if stale.stem not in live:
                stale.unlink()
        for name, text in live.items():
            (SNAPSHOTS / f"{name}.json").write_text(text, encoding="utf-8")
    committed = {path.stem: path.read_text(encoding="utf-8") for path in SNAPSHOTS.glob("*.json")}
    hint = "refresh with: ZOOM_MCP_UPDATE_SNAPSHOTS=1 uv run pytest tests/test_snapshots.py"
    assert sorted(set(live) - set(committed)) == [], f"tools without a snapshot; {hint}"
    assert sorted(set(committed) - set(live)) == [], f"snapshots of tools that no longer exist; {hint}"
    changed = sorted(name for name in live if live[name] != committed[name])
    assert changed == [], f"tools whose public face changed: {changed}; {hint}"
