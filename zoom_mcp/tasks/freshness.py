"""Which days of a user's recordings the index knows completely, so a search need not list them again.

A search that lists a range from Zoom leaves the index holding every recorded meeting of that range
as of that moment. From then on Zoom's recording webhooks announce every change (a new recording or
transcript, a trashed or deleted one), so the range stays complete, provided webhooks were arriving
when it was listed and have kept arriving since. Days after the listing was made are covered too:
a meeting that starts later can only reach Zoom's list after it, and its webhook with it.

The promise is withdrawn (ranges are listed from Zoom again, as without webhooks) whenever it may
not hold: until the first verified delivery after the server starts (nothing says Zoom is sending
to this server), after a delivery the server had to refuse (its queue was full), and after more than
`MAX_SILENCE` without any delivery (Zoom validates a registered endpoint every 72 hours, so silence
beyond that means Zoom stopped sending). It is never made by one of several replicas (they share a
Redis): Zoom sends each event to one of them, and each replica's index is its own, so a replica
cannot know that its index holds every change; the one that receives an event still indexes it.

A search that relies on the index first lets the webhook events already accepted be applied (`Backlog`,
the inbox; at most `CATCH_UP` seconds): once Zoom had its 200 for a recording, the next search finds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from zoom_mcp.tasks.index import Listing

MAX_SILENCE = 80 * 3600.0  # seconds: Zoom's 72-hour endpoint re-validation, and some slack
CATCH_UP = 2.0  # seconds a search waits for accepted webhook events to be applied before it answers anyway


class Backlog(Protocol):
    """Accepted webhook events not applied yet (the inbox)."""

    @property
    def unapplied(self) -> int: ...

    async def applied(self) -> None:
        """Return once every event accepted so far has been applied to the index."""
        ...


Span = tuple[date, date]  # inclusive UTC days


@dataclass
class Freshness:
    """Whether Zoom's webhooks are keeping the index current, and since when (epoch seconds)."""

    receiving: bool = False  # a webhook receiver is configured (HTTP transport with the app's secret token)
    replicas: bool = False  # one of several replicas: Zoom's events reach only one of them (see the module)
    live_since: float | None = None  # the first delivery accepted since the start or since the last gap
    last_delivery: float | None = None
    backlog: Backlog | None = None  # the inbox, when there is one

    def delivered(self, now: float) -> None:
        """A verified delivery was accepted: webhooks are live (from now on, if they were not)."""
        if self.live_since is None or self.last_delivery is None or now - self.last_delivery > MAX_SILENCE:
            self.live_since = now
        self.last_delivery = now

    def gap(self) -> None:
        """A delivery was refused for want of room: what was listed before may miss its change."""
        self.live_since = None

    def since(self, now: float) -> float | None:
        """When webhooks became live, or None when a search cannot rely on them now."""
        if self.replicas or self.live_since is None or self.last_delivery is None:
            return None
        if now - self.last_delivery > MAX_SILENCE:
            return None
        return self.live_since


def uncovered(first: date, last: date, listings: list[Listing]) -> list[Span]:
    """The parts of first..last that no listing covers, in order.

    Every listing given must have been made while webhooks were live; one that reached the day it was
    made (UTC) covers every later day as well.
    """
    spans: list[Span] = []
    for listing in listings:
        start, end = date.fromisoformat(listing.first), date.fromisoformat(listing.last)
        made = datetime.fromtimestamp(listing.listed_at, UTC).date()
        spans.append((start, date.max if end >= made else end))
    gaps: list[Span] = []
    cursor = first
    for start, end in sorted(spans):
        if start > cursor:
            gaps.append((cursor, min(last, start - timedelta(days=1))))
        if end >= cursor:
            cursor = end + timedelta(days=1) if end < date.max else date.max
        if cursor > last:
            break
    if cursor <= last:
        gaps.append((cursor, last))
    return [(a, b) for a, b in gaps if a <= b]
