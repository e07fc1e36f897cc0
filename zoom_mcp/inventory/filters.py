"""What the operator chose, and the filters that apply it, in this order:

1. read-only      `--read-only` keeps only read items (and so does a person's sign-in without `zoom.write`);
2. toolsets       `--toolsets` (names, `default`, `all`) keeps items of those toolsets; when none is
                  given: every toolset under `--tools` or `--dynamic` (a search must reach whatever
                  the other filters allow), else the default profile;
3. tools          `--tools` keeps only the named tools (resources and prompts are judged in step 5);
4. scopes         `--hide-unauthorized` keeps items whose catalog operations the token's scopes allow;
5. exposure       a resource or prompt is kept only where every tool it exposes (`via`) is kept.
The first filter that hides an item gives the reason a call to it is refused with.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from zoom_mcp.api import Catalog
from zoom_mcp.api.scopes import authorized, scope_to_add
from zoom_mcp.inventory.items import Item


@dataclass(frozen=True)
class Selection:
    """The operator's choice of what to offer (flags and settings, unresolved)."""

    read_only: bool = False
    toolsets: frozenset[str] | None = None  # None: the default profile; may hold "default" and "all"
    tools: frozenset[str] = frozenset()
    granted_scopes: frozenset[str] | None = None  # --hide-unauthorized: the token's scopes; None: no scope filter
    dynamic: bool = False  # --dynamic: the meta-tools search every toolset the other filters allow
    missing_write_scope: str | None = None  # --auth oauth: the person's sign-in lacks this scope, so reads only
    per_person: bool = False  # --auth oauth: granted_scopes are one person's own (a user-level app's)

    def resolved_toolsets(self, catalog: Catalog) -> frozenset[str]:
        """The toolsets this selection offers, by name."""
        every = frozenset(catalog.toolsets)
        if self.toolsets is None:
            return every if self.tools or self.dynamic else frozenset(catalog.default_toolsets)
        if "all" in self.toolsets:
            return every
        chosen = self.toolsets - {"default"}
        return chosen | frozenset(catalog.default_toolsets) if "default" in self.toolsets else chosen


Verdict = Callable[[Item], str | None]


def read_only(selection: Selection) -> Verdict:
    def verdict(item: Item) -> str | None:
        if selection.read_only and item.safety != "read":
            return f"{item.name} is a {item.safety} tool and the server runs with --read-only"
        if selection.missing_write_scope and item.safety != "read":
            return (
                f"{item.name} is a {item.safety} tool and your sign-in did not grant the scope "
                f"{selection.missing_write_scope} (connect again and allow changes)"
            )
        return None

    return verdict


def toolsets(enabled: frozenset[str]) -> Verdict:
    def verdict(item: Item) -> str | None:
        if item.toolset not in enabled:
            return f"{item.name} belongs to toolset {item.toolset!r}, which is not enabled (--toolsets)"
        return None

    return verdict


def tools(names: frozenset[str]) -> Verdict:
    def verdict(item: Item) -> str | None:
        if names and item.is_tool and item.name not in names:
            return f"{item.name} is not in the enabled tool list (--tools)"
        return None

    return verdict


def scopes(catalog: Catalog, granted: frozenset[str] | None, *, per_person: bool = False) -> Verdict:
    def verdict(item: Item) -> str | None:
        scope = missing_scope(catalog, item, granted, account_level=not per_person) if granted is not None else None
        if scope and per_person:
            return f"{item.name} needs the Zoom scope {scope}, which your Zoom sign-in lacks (--hide-unauthorized)"
        if scope:
            return f"{item.name} needs the scope {scope}, which the token lacks (--hide-unauthorized)"
        return None

    return verdict


def exposure(hidden: Mapping[str, str]) -> Verdict:
    """Resources and prompts follow the tools they expose (`hidden`: tool name -> why it is hidden)."""

    def verdict(item: Item) -> str | None:
        for tool in item.via:
            if tool in hidden:
                return f"{item.name} needs the tool {tool}, which is hidden: {hidden[tool]}"
        return None

    return verdict


def missing_scope(catalog: Catalog, item: Item, granted: frozenset[str], *, account_level: bool = True) -> str | None:
    """The scope to add so this item works with these granted scopes, or None when nothing is missing.
    A person's own sign-in (a user-level app) needs the user-level scope, an account's app the admin one."""
    for name in item.needs:
        op = catalog.get(name)
        if op is not None and not authorized(op, granted):
            return scope_to_add(op, account_level)
    return None
