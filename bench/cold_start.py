"""Cold start and tools/list size of zoom-mcp on stdio, beside a bare SDK server (the floor).

    uv run python bench/cold_start.py [--runs 10]

(a) wall time from spawning the process to receiving the tools/list result, median of N runs,
    runs of the two servers interleaved so machine noise hits both alike; the ratio is the figure.
(b) o200k tokens of the tools/list result: model-facing (name, description, input schema) and
    whole, for the default profile, --toolsets all and --dynamic; per toolset for all.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bench", "version": "0"}},
}
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}
LIST = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}


def time_to_tools_list(command: list[str]) -> tuple[float, dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZOOM_")}
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT
    )
    assert proc.stdin and proc.stdout
    proc.stdin.write(json.dumps(INIT) + "\n")
    proc.stdin.flush()
    proc.stdout.readline()
    proc.stdin.write(json.dumps(INITIALIZED) + "\n" + json.dumps(LIST) + "\n")
    proc.stdin.flush()
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    proc.stdin.close()
    proc.wait(timeout=30)
    return elapsed, json.loads(line)["result"]


def tokens(text: str) -> int:
    import bpe_openai

    return len(bpe_openai.get_encoding("o200k_base").encode(text))


def compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def model_facing(tool: dict) -> str:
    return compact({"name": tool["name"], "description": tool.get("description"), "inputSchema": tool["inputSchema"]})


MODES = {
    "default profile": ["--sandbox"],
    "--toolsets all": ["--sandbox", "--toolsets", "all"],
    "--dynamic": ["--sandbox", "--dynamic"],
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    from zoom_mcp.api import load_catalog

    toolset_of = {op.name: op.toolset for op in load_catalog()}
    print(f"## Cold start (spawn -> tools/list result), median of {args.runs}, and tools/list size (o200k tokens)")
    print("| mode | tools | zoom-mcp ms | bare SDK server ms | ratio | model-facing tokens | whole tools/list tokens |")
    print("|---|---|---|---|---|---|---|")
    results = {}
    for label, server_args in MODES.items():
        ours = [sys.executable, "-m", "zoom_mcp", *server_args]
        _, result = time_to_tools_list(ours)  # warm the file cache before timing
        count = len(result["tools"])
        floor = [sys.executable, str(ROOT / "bench" / "floor_server.py"), str(count)]
        time_to_tools_list(floor)
        ours_times, floor_times = [], []
        for _ in range(args.runs):
            ours_times.append(time_to_tools_list(ours)[0])
            floor_times.append(time_to_tools_list(floor)[0])
        ours_med, floor_med = statistics.median(ours_times), statistics.median(floor_times)
        tools = result["tools"]
        facing = tokens_of(model_facing(t) for t in tools)
        whole = tokens_of(compact(t) for t in tools)
        print(
            f"| {label} | {count} | {ours_med * 1000:.0f} | {floor_med * 1000:.0f} | {ours_med / floor_med:.2f}x "
            f"| {facing} | {whole} |"
        )
        results[label] = tools
    print("\n## --toolsets all, per toolset")
    per: dict[str, list[dict]] = defaultdict(list)
    for tool in results["--toolsets all"]:
        per[toolset_of.get(tool["name"], "other")].append(tool)
    print("| toolset | tools | model-facing tokens | whole tokens |")
    print("|---|---|---|---|")
    for name in sorted(per):
        facing = tokens_of(model_facing(t) for t in per[name])
        print(f"| {name} | {len(per[name])} | {facing} | {tokens_of(compact(t) for t in per[name])} |")


def tokens_of(texts: Iterable[str]) -> int:
    return sum(tokens(text) for text in texts)


if __name__ == "__main__":
    main()
