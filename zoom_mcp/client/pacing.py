"""Client-side pacing: one token bucket per Zoom rate-limit label, shared by every session.

Zoom limits requests per second per account by label (Light, Medium, Heavy) and per minute
for Resource-intensive calls. Waiting here, before a request leaves, keeps bursts of agents
under those limits instead of provoking storms of 429s.
"""

from __future__ import annotations

from dataclasses import dataclass

from zoom_mcp.clock import SYSTEM_CLOCK, Clock

# Requests per second by plan and label, from Zoom's rate-limit table.
PLANS: dict[str, dict[str, float]] = {
    "free": {"LIGHT": 4, "MEDIUM": 2, "HEAVY": 1, "RESOURCE-INTENSIVE": 10 / 60},
    "pro": {"LIGHT": 30, "MEDIUM": 20, "HEAVY": 10, "RESOURCE-INTENSIVE": 10 / 60},
    "business": {"LIGHT": 80, "MEDIUM": 60, "HEAVY": 40, "RESOURCE-INTENSIVE": 20 / 60},
}
DEFAULT_PLAN = "pro"


def parse_rates(plan: str, overrides: str = "") -> dict[str, float]:
    """`plan` from PLANS, then `LABEL=rate` overrides (requests per second), e.g. "heavy=5,light=50"."""
    if plan not in PLANS:
        raise ValueError(f"unknown rate-limit plan {plan!r}; choose one of {', '.join(PLANS)}")
    rates = dict(PLANS[plan])
    for item in filter(None, (part.strip() for part in overrides.split(","))):
        label, _, value = item.partition("=")
        label = label.strip().upper()
        if label not in rates:
            raise ValueError(f"unknown rate-limit label {label!r} in {overrides!r}; labels: {', '.join(rates)}")
        try:
            rates[label] = float(value)
        except ValueError as exc:
            raise ValueError(f"rate for {label} must be a number of requests per second; got {value!r}") from exc
        if rates[label] <= 0:
            raise ValueError(f"rate for {label} must be positive")
    return rates


@dataclass
class TokenBucket:
    rate: float  # tokens per second
    capacity: float
    tokens: float
    updated: float

    def take(self, now: float) -> float:
        """Take one token; return how long the caller must wait for it (0 when available now)."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        self.tokens -= 1
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate


class Pacer:
    """Waits as long as the label's bucket requires, on the injected clock."""

    def __init__(self, rates: dict[str, float], *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.rates = rates
        self._clock = clock
        now = clock.monotonic()
        # Capacity of one second's worth (at least one request) allows short bursts, never sustained excess.
        self._buckets = {label: TokenBucket(r, max(1.0, r), max(1.0, r), now) for label, r in rates.items()}

    async def wait(self, label: str) -> float:
        # An operation Zoom gives no label is paced like a Medium one rather than not at all.
        bucket = self._buckets.get(label.upper()) or self._buckets.get("MEDIUM")
        if bucket is None:
            return 0.0
        delay = bucket.take(self._clock.monotonic())
        if delay > 0:
            await self._clock.sleep(delay)
        return delay
