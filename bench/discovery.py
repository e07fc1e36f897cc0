"""How well search_tools finds the right tool, on tasks written from Zoom's reference and as users ask.

    uv run python bench/discovery.py [--misses tuning] [--by-source]

Scores the ranking `--dynamic` uses over all 186 tools (BM25F with field weights and curated search
terms, zoom_mcp/server/tool_search.py), the same without the search terms, and a plain BM25 baseline
(names and descriptions as one text, no tie-breaker) on both halves of
tests/data/discovery_tasks.yaml: top-1 and top-3. Also times building the index and one search.
`--misses tuning` lists the tuning half's misses (tune on those only; the held-out half's misses
are not printed on purpose).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.discovery_eval import SPLITS, load_tasks, score  # noqa: E402
from zoom_mcp.api import load_catalog  # noqa: E402
from zoom_mcp.inventory import Inventory, Selection  # noqa: E402
from zoom_mcp.server.tool_search import PLAIN, WEIGHTS, ToolIndex  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", choices=["tuning"], help="list this half's misses")
    parser.add_argument("--by-source", action="store_true", help="also score docs and users tasks apart")
    args = parser.parse_args()
    items = Inventory.build(load_catalog(), Selection(dynamic=True)).tools()
    started = time.perf_counter()
    index = ToolIndex(items, WEIGHTS)
    built = time.perf_counter() - started
    baseline = ToolIndex(items, PLAIN, tie_break=False)
    no_terms = ToolIndex(items, {**WEIGHTS, "terms": 0.0})  # the same without the curated search terms
    tasks = load_tasks()
    print(f"## search_tools over {len(items)} tools, {len(tasks)} tasks (tests/data/discovery_tasks.yaml)")
    print("| ranking | half | tasks | top-1 | top-3 |")
    print("|---|---|---|---|---|")
    groups = [(split, [t for t in tasks if t.split == split]) for split in SPLITS]
    if args.by_source:
        for source in sorted({t.source for t in tasks}):
            for split in SPLITS:
                groups.append((f"{split}, {source}", [t for t in tasks if t.split == split and t.source == source]))
    rankers = [("BM25F, fields + search terms", index), ("BM25F, fields, no search terms", no_terms)]
    for label, ranker in [*rankers, ("plain BM25 baseline", baseline)]:
        for half, chosen in groups:
            result = score(lambda q, r=ranker: [i.name for i in r.search(q, 3)], chosen)
            print(f"| {label} | {half} | {result.tasks} | {result.top1_rate:.1%} | {result.top3_rate:.1%} |")
    times = []
    for task in tasks:
        started = time.perf_counter()
        index.search(task.query, 5)
        times.append(time.perf_counter() - started)
    print(
        f"\nindex build {built * 1000:.1f} ms (first search_tools call); search median "
        f"{statistics.median(times) * 1000:.2f} ms, max {max(times) * 1000:.2f} ms"
    )
    if args.misses:
        chosen = [t for t in tasks if t.split == args.misses]
        for query, acceptable, found in score(lambda q: [i.name for i in index.search(q, 3)], chosen).misses:
            print(f"MISS {query!r}: want {', '.join(acceptable)}; got {', '.join(found) or 'nothing'}")


if __name__ == "__main__":
    main()
