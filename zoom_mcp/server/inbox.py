"""Verified webhook deliveries: answered at once, applied in order by one worker, subscribers told.

Zoom wants an answer within 3 seconds, and a recording event means downloads, so the receiver only
hands the event over (`deliver`) and answers. Removals (trashed, deleted) are applied there and then:
they are a few SQLite statements, and a trashed recording must leave search at once. Everything else
waits in a bounded queue for the worker the application runs (`run`, in its task group), which
downloads and indexes, then tells subscribed sessions.

When the queue is full the delivery is refused (the receiver answers 503, Zoom delivers it again
after 5, 20 and 60 minutes) and the freshness promise is withdrawn until a later delivery is accepted:
searches list their ranges from Zoom again rather than trust an index that may miss that event.
A delivery whose body was already accepted (Zoom's retry of an event it thinks was lost) is a
duplicate: answered, not applied again.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Literal

import anyio
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from zoom_mcp.clock import Clock
from zoom_mcp.server.notifications import Subscriptions
from zoom_mcp.tasks.events import EVENTS, REMOVED, Change, RecordingEvents
from zoom_mcp.tasks.freshness import Freshness

log = logging.getLogger(__name__)

QUEUE = 1000  # events waiting for the worker; beyond it deliveries are refused (503) and Zoom retries them
REMEMBERED = 10_000  # bodies remembered to spot duplicates
REMEMBER_FOR = 24 * 3600.0  # seconds; Zoom's last retry comes 85 minutes after the first attempt

Outcome = Literal["queued", "applied", "duplicate", "ignored", "full"]


@dataclass
class Counts:
    delivered: int = 0
    queued: int = 0
    applied: int = 0
    duplicates: int = 0
    ignored: int = 0
    refused_full: int = 0
    failed: int = 0  # events whose application raised (logged)


@dataclass(frozen=True)
class _Job:
    event: dict[str, Any] | None = None  # an event to apply
    change: Change | None = None  # or a change already applied, to tell subscribers of


class WebhookInbox:
    def __init__(
        self,
        events: RecordingEvents,
        subscriptions: Subscriptions,
        freshness: Freshness,
        clock: Clock,
        *,
        capacity: int = QUEUE,
    ) -> None:
        self.events = events
        self.subscriptions = subscriptions
        self.freshness = freshness
        self.clock = clock
        self.counts = Counts()
        self._send: MemoryObjectSendStream[_Job]
        self._receive: MemoryObjectReceiveStream[_Job]
        self._send, self._receive = anyio.create_memory_object_stream[_Job](capacity)
        self._seen: OrderedDict[str, float] = OrderedDict()  # body digest -> when accepted
        self._pending = 0
        self._idle = anyio.Event()
        self._idle.set()
        self._unapplied = 0  # queued events not applied yet (jobs that only tell subscribers are not counted)
        self._caught_up = anyio.Event()
        self._caught_up.set()
        freshness.backlog = self  # a search relying on the index lets these be applied first

    def validated(self) -> None:
        """Zoom's endpoint validation arrived, verified: Zoom is sending to this server."""
        self.freshness.delivered(self.clock.time())

    async def deliver(self, event: dict[str, Any], digest: str) -> Outcome:
        """Take one verified event (`digest`: of its raw body); never waits for downloads."""
        now = self.clock.time()
        self.counts.delivered += 1
        self._forget_old(now)
        if digest in self._seen:
            self.counts.duplicates += 1
            self.freshness.delivered(now)
            return "duplicate"
        name = event.get("event")
        if name not in EVENTS:
            self.counts.ignored += 1
            self.freshness.delivered(now)
            return "ignored"  # another event the app subscribes to: answered, so Zoom does not retry it
        if name in REMOVED:
            change = await self.events.apply(event)
            self.counts.applied += 1
            self._remember(digest, now)
            self.freshness.delivered(now)
            self._offer(_Job(change=change))  # telling subscribers may be slow: the worker does it
            return "applied"
        if not self._offer(_Job(event=event)):
            self.counts.refused_full += 1
            self.freshness.gap()
            log.warning("webhook %s refused: %d events are waiting already; Zoom will deliver it again", name, QUEUE)
            return "full"
        self.counts.queued += 1
        self._unapplied += 1
        self._caught_up = anyio.Event() if self._caught_up.is_set() else self._caught_up
        self._remember(digest, now)
        self.freshness.delivered(now)
        return "queued"

    def _offer(self, job: _Job) -> bool:
        try:
            self._send.send_nowait(job)
        except anyio.WouldBlock:
            return False
        self._pending += 1
        self._idle = anyio.Event() if self._idle.is_set() else self._idle
        return True

    async def run(self) -> None:
        """The worker: apply each queued event in order, then tell subscribers (until cancelled)."""
        async with self._receive:
            async for job in self._receive:
                try:
                    if job.change is not None:
                        change = job.change
                    else:
                        try:
                            change = await self.events.apply(job.event or {})
                        finally:
                            self._applied_one()
                        self.counts.applied += 1
                    await self.subscriptions.publish(change)
                except Exception:  # one bad event must not stop the worker
                    self.counts.failed += 1
                    log.exception("webhook event could not be applied")
                finally:
                    self._pending -= 1
                    if not self._pending:
                        self._idle.set()

    def _applied_one(self) -> None:
        self._unapplied -= 1
        if not self._unapplied:
            self._caught_up.set()

    @property
    def unapplied(self) -> int:
        """Accepted events the worker has not applied to the index yet."""
        return self._unapplied

    async def applied(self) -> None:
        """Return once every event accepted so far is in the index (subscribers may not be told yet)."""
        while self._unapplied:
            await self._caught_up.wait()

    async def settled(self) -> None:
        """Wait until every queued event has been applied and its subscribers told."""
        while self._pending:
            await self._idle.wait()

    @property
    def waiting(self) -> int:
        return self._pending

    def _remember(self, digest: str, now: float) -> None:
        self._seen[digest] = now
        while len(self._seen) > REMEMBERED:
            self._seen.popitem(last=False)

    def _forget_old(self, now: float) -> None:
        while self._seen:
            digest, when = next(iter(self._seen.items()))
            if now - when <= REMEMBER_FOR:
                break
            self._seen.pop(digest)
