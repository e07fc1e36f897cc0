"""What a person sees before a gated call runs: the call itself and its consequence in plain words.

The consequence comes from the catalog entry's `confirm` block: a template chosen by an
argument value (`action=delete`) or `default`, filled from the arguments and, when the entry
names a `lookup` tool, from one cheap read (e.g. how many recording files will go).
"""

from __future__ import annotations

import string
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from zoom_mcp.api import Operation
from zoom_mcp.api.serialize import ZoomRequest

Lookup = Callable[[str, dict[str, Any]], Awaitable[tuple[dict[str, Any] | None, str | None]]]


@dataclass(frozen=True)
class Preview:
    tool: str
    method: str
    path: str
    query: dict[str, str]
    arguments: dict[str, Any]
    consequence: str
    facts: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # arguments + lookup answer

    @property
    def call(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in self.query.items())
        return f"{self.method} {self.path}" + (f"?{query}" if query else "")

    def as_dict(self) -> dict[str, Any]:
        return {"tool": self.tool, "call": self.call, "arguments": self.arguments, "consequence": self.consequence}

    def text(self) -> str:
        return f"{self.tool}: {self.call}\n{self.consequence}"


async def build_preview(op: Operation, arguments: dict[str, Any], request: ZoomRequest, lookup: Lookup) -> Preview:
    facts: dict[str, Any] = {k: v for k, v in arguments.items() if not isinstance(v, dict | list)}
    facts.update({f"{k}_count": len(v) for k, v in arguments.items() if isinstance(v, list)})
    note = ""
    confirm = op.confirm
    if confirm.get("lookup"):
        found, problem = await lookup(confirm["lookup"], arguments)
        if found:
            facts = {**{k: v for k, v in found.items() if not isinstance(v, dict | list)}, **facts}
            for key, value in found.items():
                if isinstance(value, list):
                    facts.setdefault(f"{key}_count", len(value))
        elif problem:
            note = f" (Could not look it up first: {problem})"
    template = choose(confirm.get("consequence") or {}, arguments) or _default_consequence(op)
    return Preview(op.name, request.method, request.path, request.query, arguments, fill(template, facts) + note, facts)


def choose(templates: dict[str, str], arguments: dict[str, Any]) -> str | None:
    for condition, template in templates.items():
        if condition == "default":
            continue
        name, _, value = condition.partition("=")
        if name in arguments and (value == "*" or str(arguments[name]).lower() == value.lower()):
            return template
    return templates.get("default")


def _default_consequence(op: Operation) -> str:
    first = op.description.split(". ")[0].rstrip(".")
    if op.safety == "destructive":
        return f"{first}. This may not be reversible."
    return f"{first}."


class _Facts(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def fill(template: str, facts: dict[str, Any]) -> str:
    return string.Formatter().vformat(template, (), _Facts(facts))
