"""The inventory: the only authority for what exists and what is listed, callable and readable.

Built once per server from the catalog, the task-level tools, the resource templates and the
prompts, under the operator's `Selection`. Building rejects unknown toolset and tool names, so a
typo cannot silently hide everything. Every item passes the same filters (see `filters`); what
an item is refused with is the first filter's reason. `--dynamic` lists fewer tools per session
(`sessions`), but never makes a hidden tool callable.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from zoom_mcp.api import Catalog
from zoom_mcp.errors import ConfigError, NotAllowed, UnknownTool
from zoom_mcp.inventory import filters
from zoom_mcp.inventory.filters import Selection
from zoom_mcp.inventory.items import Item, endpoint_item, prompt_item, resource_item, task_item
from zoom_mcp.tasks.prompts import PROMPTS, Prompt
from zoom_mcp.tasks.resources import TEMPLATES, ResourceTemplate
from zoom_mcp.tasks.tools import TASK_TOOLS, TaskTool


@dataclass(frozen=True)
class ToolsetInfo:
    name: str
    description: str
    tools: tuple[str, ...]  # allowed tools of this toolset, task-level tools first


class Inventory:
    def __init__(self, catalog: Catalog, selection: Selection, items: list[Item], hidden: dict[str, str]) -> None:
        self.catalog = catalog
        self.selection = selection
        self._items = {(i.kind, i.name): i for i in items}
        self._hidden = hidden  # item name -> why it is hidden (tools, resources and prompts share no names)
        self._tools = [i for i in items if i.is_tool and i.name not in hidden]

    @classmethod
    def build(
        cls,
        catalog: Catalog,
        selection: Selection | None = None,
        *,
        tasks: Iterable[TaskTool] = TASK_TOOLS.values(),
        templates: Iterable[ResourceTemplate] = TEMPLATES,
        prompts: Iterable[Prompt] = PROMPTS,
    ) -> Inventory:
        selection = selection or Selection()
        task_items = [task_item(t) for t in tasks]
        endpoint_items = sorted((endpoint_item(op) for op in catalog), key=lambda i: i.name)
        tools = task_items + endpoint_items  # task-level tools first: they answer common questions in one call
        _check_names(catalog, selection, tools)
        enabled = selection.resolved_toolsets(catalog)
        verdicts = [
            filters.read_only(selection),
            filters.toolsets(enabled),
            filters.tools(selection.tools),
            filters.scopes(catalog, selection.granted_scopes, per_person=selection.per_person),
        ]
        hidden = _judge(tools, verdicts)
        exposed = [resource_item(t) for t in templates] + [prompt_item(p) for p in prompts]
        hidden |= _judge(exposed, [*verdicts, filters.exposure(hidden)])
        return cls(catalog, selection, tools + exposed, hidden)

    # --- tools ---------------------------------------------------------------------------------------------

    def tools(self, toolsets: set[str] | frozenset[str] | None = None) -> list[Item]:
        """The allowed tools (task-level first, then endpoint tools by name), of these toolsets if given."""
        return [i for i in self._tools if toolsets is None or i.toolset in toolsets]

    def tool(self, name: str) -> Item:
        """The allowed tool of this name; UnknownTool or NotAllowed (with the reason) otherwise."""
        item = self._items.get(("task", name)) or self._items.get(("endpoint", name))
        if item is None:
            raise UnknownTool(self.unknown(name))
        self._allow(item)
        return item

    def unknown(self, name: str) -> str:
        close = difflib.get_close_matches(name, [i.name for i in self._tools], n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        return f"Unknown tool {name!r}.{hint}"

    def toolsets(self) -> list[ToolsetInfo]:
        """The catalog's toolsets that have allowed tools, in the catalog's order."""
        out = []
        for name, description in self.catalog.toolsets.items():
            names = tuple(i.name for i in self._tools if i.toolset == name)
            if names:
                out.append(ToolsetInfo(name, description, names))
        return out

    # --- resources and prompts ---------------------------------------------------------------------------

    def templates(self) -> list[Item]:
        return self._allowed("resource")

    def template(self, name: str) -> Item:
        item = self._items[("resource", name)]
        self._allow(item)
        return item

    def prompts(self) -> list[Item]:
        return self._allowed("prompt")

    def prompt(self, name: str) -> Item | None:
        """The allowed prompt of this name, None when there is no such prompt; NotAllowed when hidden."""
        item = self._items.get(("prompt", name))
        if item is not None:
            self._allow(item)
        return item

    # --- reasons -------------------------------------------------------------------------------------------

    def hidden_because(self, name: str) -> str | None:
        return self._hidden.get(name)

    def _allow(self, item: Item) -> None:
        reason = self._hidden.get(item.name)
        if reason is not None:
            raise NotAllowed(f"Refused, nothing was sent to Zoom: {reason}.")

    def _allowed(self, kind: str) -> list[Item]:
        return [i for (k, _), i in self._items.items() if k == kind and i.name not in self._hidden]


def _judge(items: list[Item], verdicts: list[filters.Verdict]) -> dict[str, str]:
    hidden: dict[str, str] = {}
    for item in items:
        for verdict in verdicts:
            reason = verdict(item)
            if reason is not None:
                hidden[item.name] = reason
                break
    return hidden


def _check_names(catalog: Catalog, selection: Selection, tools: list[Item]) -> None:
    """Names that match nothing are a configuration error, so a typo cannot silently hide every tool."""
    known_sets = set(catalog.toolsets) | {"default", "all"}
    unknown_sets = sorted((selection.toolsets or frozenset()) - known_sets)
    if unknown_sets:
        raise ConfigError(
            f"unknown toolset(s): {', '.join(unknown_sets)}; known: {', '.join(catalog.toolsets)}, default, all"
        )
    unknown_tools = sorted(selection.tools - {i.name for i in tools})
    if unknown_tools:
        raise ConfigError(f"unknown tool(s): {', '.join(unknown_tools)}; run 'zoom-mcp tools' for the names")
