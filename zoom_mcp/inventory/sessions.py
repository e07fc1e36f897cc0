"""`--dynamic`: the toolsets each client session has enabled, remembered while the session is active.

Keyed by the client's identity (its MCP session, or its credential when stateless); an entry not
used for `idle` seconds is forgotten, and at most `cap` are kept, so a server that runs for weeks
stays small. Enabling a toolset only lists its tools: callable is decided by the inventory alone.
"""

from __future__ import annotations

from zoom_mcp.clock import SYSTEM_CLOCK, Clock


class EnabledToolsets:
    def __init__(self, *, idle: float = 1800.0, cap: int = 10_000, clock: Clock = SYSTEM_CLOCK) -> None:
        self.idle = idle
        self.cap = cap
        self._clock = clock
        self._by_session: dict[str, tuple[float, set[str]]] = {}

    def of(self, session: str) -> frozenset[str]:
        found = self._touch(session)
        return frozenset(found)

    def enable(self, session: str, toolset: str) -> bool:
        """Enable a toolset for the session; True when it was not enabled before."""
        found = self._touch(session)
        added = toolset not in found
        found.add(toolset)
        return added

    def __len__(self) -> int:
        return len(self._by_session)

    def _touch(self, session: str) -> set[str]:
        now = self._clock.monotonic()
        self._prune(now)
        _, found = self._by_session.pop(session, (now, set()))
        self._by_session[session] = (now, found)  # re-inserted: the dict stays in order of last use
        return found

    def _prune(self, now: float) -> None:
        stale = [key for key, (used, _) in self._by_session.items() if now - used > self.idle]
        for key in stale:
            del self._by_session[key]
        while len(self._by_session) >= self.cap:
            del self._by_session[next(iter(self._by_session))]
