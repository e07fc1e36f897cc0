"""Which transcript index serves whom: the one place an index is chosen and opened.

An index holds what was said in one Zoom identity's meetings, so it is never shared between
identities. Today the server acts as one identity (its app or sign-in): `DEFAULT` names it, and the
composition root asks `for_person(DEFAULT)`. When each MCP user signs in as themselves (issue 16,
`--auth oauth`), the same registry gives each person their own index, keyed by their Zoom user:
`for_person(person)` opens `<directory>/index-<person>.sqlite3` on first use, owner-only, and
webhook events are routed by `person_for_event`.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from zoom_mcp.tasks.index import TranscriptIndex

DEFAULT = ""  # the identity the server is configured with


class IndexRegistry:
    """Open indexes by person: at `path` (the default person's, when one was named; other people's beside it),
    in `directory`, or in memory when neither is given."""

    def __init__(self, directory: Path | None = None, *, path: Path | None = None, label: str = "") -> None:
        self.directory = directory if directory is not None or path is None else path.parent
        self.path = path
        self.label = label  # the default person's file name part (a fingerprint of the configured identity)
        self._open: dict[str, TranscriptIndex] = {}

    def location(self, person: str = DEFAULT) -> Path | None:
        """Where `person`'s index is kept (None: in memory)."""
        if person == DEFAULT and self.path is not None:
            return self.path
        if self.directory is None:
            return None
        name = _safe(person) if person != DEFAULT else self.label
        return self.directory / (f"index-{name}.sqlite3" if name else "index.sqlite3")

    def for_person(self, person: str = DEFAULT) -> TranscriptIndex:
        found = self._open.get(person)
        if found is None:
            found = self._open[person] = TranscriptIndex(self.location(person))
        return found

    def person_for_event(self, event: dict[str, Any]) -> str:
        """Whose index a webhook event belongs to (its payload names the account and host); one person today."""
        return DEFAULT

    def close(self) -> None:
        for index in self._open.values():
            index.close()
        self._open.clear()


def fingerprint(*parts: str) -> str:
    """A short, stable name for an identity (no secret in it): which account and app an index belongs to."""
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:12]


def _safe(person: str) -> str:
    """A person's key as a file name part: readable when it already is one, else a fingerprint."""
    return person if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", person) else fingerprint(person)
