"""Which tools exist for this server: read-only mode, toolsets and tool lists as one filter.

Applied in one place, so `tools/list` and `tools/call` can never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol

from zoom_mcp.api import Catalog, Operation

ConfirmMode = Literal["destructive", "writes", "off"]
CONFIRM_MODES: tuple[ConfirmMode, ...] = ("destructive", "writes", "off")


class Listable(Protocol):
    """What the filter needs of a tool: catalog operations and task-level tools alike."""

    @property
    def name(self) -> str: ...
    @property
    def safety(self) -> str: ...
    @property
    def toolset(self) -> str: ...


@dataclass(frozen=True)
class Policy:
    confirm: ConfirmMode = "destructive"
    human: bool = False  # gated calls need a person's approval on the approval page (--confirm human)
    read_only: bool = False
    toolsets: frozenset[str] = field(default_factory=frozenset)  # empty: every toolset
    tools: frozenset[str] = field(default_factory=frozenset)  # empty: every tool of those toolsets
    # --hide-unauthorized: tool name -> the scope the token lacks for it
    unauthorized: Mapping[str, str] = field(default_factory=dict)

    def check(self, catalog: Catalog, extra_tools: frozenset[str] = frozenset()) -> None:
        """Reject names that match nothing, so a typo cannot silently hide every tool."""
        unknown_sets = sorted(self.toolsets - set(catalog.toolsets))
        if unknown_sets:
            raise ValueError(f"unknown toolset(s): {', '.join(unknown_sets)}; known: {', '.join(catalog.toolsets)}")
        unknown_tools = sorted(self.tools - {op.name for op in catalog} - extra_tools)
        if unknown_tools:
            raise ValueError(f"unknown tool(s): {', '.join(unknown_tools)}; run 'zoom-mcp tools' for the names")

    def hidden_because(self, op: Listable) -> str | None:
        """Why the policy hides this tool, or None when it is listed and callable."""
        if self.read_only and op.safety != "read":
            return f"{op.name} is a {op.safety} tool and the server runs with --read-only"
        if self.toolsets and op.toolset not in self.toolsets:
            return f"{op.name} belongs to toolset {op.toolset!r}, which is not enabled (--toolsets)"
        if self.tools and op.name not in self.tools:
            return f"{op.name} is not in the enabled tool list (--tools)"
        if op.name in self.unauthorized:
            scope = self.unauthorized[op.name]
            return f"{op.name} needs the scope {scope}, which the token lacks (--hide-unauthorized)"
        return None

    def gated(self, op: Operation) -> bool:
        """Whether a call needs a person's confirmation before it reaches Zoom."""
        if self.confirm == "off":
            return False
        return op.safety == "destructive" or (self.confirm == "writes" and op.safety == "write")
