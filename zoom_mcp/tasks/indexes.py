"""Which transcript index serves whom: the one place an index is chosen and opened.

An index holds what was said in one Zoom identity's meetings, so it is never shared between
identities. In single-user mode the server acts as one identity (its app or sign-in), `DEFAULT`; the
composition root picks where its index lives. Under `--auth oauth` each person (their Zoom user ID) has
an index of their own: with `--index PATH`, the owner-only file `PATH.<hash of the user ID>` (PATH
itself is then nobody's), else in memory, opened at the person's first use. Webhook events are routed
by `person_for_event`: under `--auth oauth` to the index of the recording's host, when that person has
one here; nobody else's index ever sees them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from zoom_mcp.tasks.index import TranscriptIndex

DEFAULT = ""  # the identity the server is configured with (single-user mode)


class IndexRegistry:
    """Open indexes by person: at `path` (the default person's; each person's beside it under --auth oauth),
    in `directory`, or in memory when neither is given. `people`: --auth oauth, one index per person."""

    def __init__(
        self, directory: Path | None = None, *, path: Path | None = None, label: str = "", people: bool = False
    ) -> None:
        self.directory = directory if directory is not None or path is None else path.parent
        self.path = path
        self.label = label  # the default person's file name part (a fingerprint of the configured identity)
        self.people = people
        self._open: dict[str, TranscriptIndex] = {}

    def location(self, person: str = DEFAULT) -> Path | None:
        """Where `person`'s index is kept (None: in memory)."""
        if self.path is not None:
            return self.path if person == DEFAULT else self.path.with_name(f"{self.path.name}.{tag(person)}")
        if self.directory is None:
            return None
        name = self.label if person == DEFAULT else tag(person)
        return self.directory / (f"index-{name}.sqlite3" if name else "index.sqlite3")

    def for_person(self, person: str = DEFAULT) -> TranscriptIndex:
        found = self._open.get(person)
        if found is None:
            found = self._open[person] = TranscriptIndex(self.location(person))
        return found

    def known(self, person: str) -> bool:
        """Whether `person` has an index here: open in this process, or on disk."""
        where = self.location(person)
        return person in self._open or (where is not None and where.exists())

    def person_for_event(self, event: dict[str, Any]) -> str | None:
        """Whose index a webhook event belongs to: the default one in single-user mode; under --auth oauth the
        recording's host's, when they have an index here (None: nobody's here, so it changes nothing)."""
        if not self.people:
            return DEFAULT
        payload = event.get("payload")
        obj = payload.get("object") if isinstance(payload, dict) else None
        host = obj.get("host_id") or obj.get("meeting_host_id") if isinstance(obj, dict) else None
        return str(host) if host and self.known(str(host)) else None

    def close(self) -> None:
        for index in self._open.values():
            index.close()
        self._open.clear()


def tag(person: str) -> str:
    """A person's part of a file name: a hash of their Zoom user ID, so no file names anyone."""
    return hashlib.sha256(person.encode()).hexdigest()[:16]


def fingerprint(*parts: str) -> str:
    """A short, stable name for an identity (no secret in it): which account and app an index belongs to."""
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:12]
