"""Whose inventory: under `--auth oauth`, each person sees and may call what their own sign-in allows.

The operator's selection applies to everyone. Per person it is narrowed by what their MCP sign-in granted
(without the `zoom.write` scope: read tools only) and, with `--hide-unauthorized`, by the scopes their own
Zoom grant holds. `current()` is the inventory of the person acting (`client.people.acting`), built once
per distinct narrowing and kept; in single-user mode it is always the one inventory.
"""

from __future__ import annotations

from dataclasses import replace

from zoom_mcp.api import Catalog
from zoom_mcp.client.people import acting
from zoom_mcp.inventory.filters import Selection
from zoom_mcp.inventory.inventory import Inventory

WRITE_SCOPE = "zoom.write"  # the MCP scope that allows write and destructive tools (see transport.oauth)
MAX_KEPT = 256


class Inventories:
    def __init__(
        self, catalog: Catalog, selection: Selection, base: Inventory, *, hide_unauthorized: bool = False
    ) -> None:
        self.catalog = catalog
        self.selection = selection
        self.base = base
        self.hide_unauthorized = hide_unauthorized
        self._built: dict[tuple[bool, frozenset[str] | None], Inventory] = {}

    @classmethod
    def fixed(cls, inventory: Inventory) -> Inventories:
        """One inventory for every caller (stdio, the static bearer token)."""
        return cls(inventory.catalog, inventory.selection, inventory)

    def current(self) -> Inventory:
        person = acting()
        if person is None:
            return self.base
        read_only = not person.may_write
        granted = person.zoom_scopes if self.hide_unauthorized else None
        if not read_only and granted is None:
            return self.base
        key = (read_only, granted)
        found = self._built.get(key)
        if found is None:
            narrowed = replace(
                self.selection,
                missing_write_scope=WRITE_SCOPE if read_only else None,
                granted_scopes=granted if granted is not None else self.selection.granted_scopes,
                per_person=granted is not None,
            )
            found = Inventory.build(self.catalog, narrowed)
            if len(self._built) >= MAX_KEPT:
                self._built.pop(next(iter(self._built)))
            self._built[key] = found
        return found
