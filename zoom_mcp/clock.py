"""Time, injected: the only module that reads the wall clock.

Everything that depends on the time of day or on elapsed time (date windows, token and approval
expiry, pacing, retries, the sandbox's seeded history) takes a `Clock`. The composition root
hands out one `SystemClock`; tests pin a `FixedClock` and give the same one to the server and to
the sandbox, so a test never depends on today's date or on real waiting.
"""

from __future__ import annotations

import time as _time
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

import anyio


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware, in UTC."""
        ...

    def today(self) -> date:
        """Today's date in UTC (Zoom's date parameters are UTC dates)."""
        ...

    def time(self) -> float:
        """Seconds since the epoch (for expiry times that other processes must agree on)."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (for durations within this process)."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait this long (a pinned clock moves on instead)."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().date()

    def time(self) -> float:
        return _time.time()

    def monotonic(self) -> float:
        return _time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await anyio.sleep(seconds)


SYSTEM_CLOCK = SystemClock()


class FixedClock:
    """A pinned clock for tests: time stands still until `advance` or `sleep` moves it on.

    `sleep` does not wait: it moves the clock on by that much and lets other tasks run once, so
    retries, pacing and expiries are exercised in virtual time.
    """

    def __init__(self, start: datetime | str) -> None:
        moment = datetime.fromisoformat(start.replace("Z", "+00:00")) if isinstance(start, str) else start
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        self._start = moment.astimezone(UTC)
        self._offset = 0.0
        self.slept: list[float] = []  # every sleep asked for, for tests that check waiting

    def advance(self, seconds: float) -> None:
        self._offset += seconds

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self._offset)

    def today(self) -> date:
        return self.now().date()

    def time(self) -> float:
        return self.now().timestamp()

    def monotonic(self) -> float:
        return 1_000_000.0 + self._offset

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self._offset += max(0.0, seconds)
        await anyio.sleep(0)


class ShiftedClock(SystemClock):
    """The real clock moved to start at a pinned moment (`ZOOM_MCP_SANDBOX_NOW`): dates are
    reproducible, while durations, sleeps and timeouts stay real."""

    def __init__(self, start: datetime) -> None:
        self._shift = start.astimezone(UTC) - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._shift

    def time(self) -> float:
        return self.now().timestamp()
