"""Scoring search_tools' ranking on the evaluation set (tests/data/discovery_tasks.yaml).

Shared by tests/test_discovery.py, which holds the bars, and bench/discovery.py, which prints the
figures. A task is a top-1 hit when the first tool found is one of its acceptable tools, a top-3
hit when one of the first three is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

TASKS = Path(__file__).parent / "data" / "discovery_tasks.yaml"
SPLITS = ("tuning", "held_out")


@dataclass(frozen=True)
class Task:
    query: str
    tools: tuple[str, ...]
    source: str
    split: str


@dataclass(frozen=True)
class Score:
    tasks: int
    top1: int
    top3: int
    misses: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]  # query, acceptable, found (top 3)

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.tasks

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.tasks

    def line(self) -> str:
        top1, top3 = (
            f"{self.top1}/{self.tasks} ({self.top1_rate:.1%})",
            f"{self.top3}/{self.tasks} ({self.top3_rate:.1%})",
        )
        return f"top-1 {top1}, top-3 {top3}"


def load_tasks(path: Path = TASKS) -> list[Task]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Task(t["query"], tuple(t["tools"]), t["source"], t["split"]) for t in data["tasks"]]


def expected_splits(tasks: Iterable[Task]) -> dict[str, str]:
    """The split rule stated in the file: within each source, by SHA-256 of the query, alternating."""
    out: dict[str, str] = {}
    by_source: dict[str, list[Task]] = {}
    for task in tasks:
        by_source.setdefault(task.source, []).append(task)
    for group in by_source.values():
        ordered = sorted(group, key=lambda t: hashlib.sha256(t.query.encode("utf-8")).hexdigest())
        for position, task in enumerate(ordered):
            out[task.query] = SPLITS[position % 2]
    return out


def score(search: Callable[[str], Sequence[str]], tasks: Iterable[Task]) -> Score:
    """`search` gives the names of the tools found for a query, best first."""
    total = top1 = top3 = 0
    misses = []
    for task in tasks:
        found = tuple(search(task.query))[:3]
        total += 1
        top1 += bool(found) and found[0] in task.tools
        hit = any(name in task.tools for name in found)
        top3 += hit
        if not hit:
            misses.append((task.query, task.tools, found))
    return Score(total, top1, top3, tuple(misses))
