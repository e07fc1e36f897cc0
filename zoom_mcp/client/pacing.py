"""Client-side pacing: Zoom's account and user rate limits, kept before a request leaves.

Zoom limits requests per account by label (Light, Medium, Heavy per second; Resource-intensive per
minute), Heavy and Resource-intensive together per UTC day, and meeting creates/updates per user per
UTC day (100, reset at 00:00 UTC). Waiting here keeps bursts of agents under the per-second limits
instead of provoking storms of 429s; a call that would exceed a daily limit is refused before any
request, naming the reset time.

Each per-second limit is a sliding window: at most `limit` requests in any `window` seconds (one
second, or a minute for Resource-intensive), so however requests fall, no second at Zoom sees more
than the plan allows. The window is a little longer than a second (`margin`) so that requests let
through near the end of one window and delayed on the way do not land in Zoom's next second with
the next window's requests.

Two implementations of one interface (`Pacing`): `Pacer` keeps the state in this process (the default);
`client.shared.RedisPacer` keeps it in Redis (`ZOOM_MCP_REDIS_URL`), so every replica paces against
the same account-wide counts. Both learn from Zoom's answers (`observe`): `Retry-After` on a 429 stops
the label for every caller until then, and `X-RateLimit-Remaining` on a Heavy or Resource-intensive
answer corrects the day's count.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from urllib.parse import unquote

from zoom_mcp.api.serialize import ZoomRequest
from zoom_mcp.client.retry import retry_after_seconds
from zoom_mcp.clock import SYSTEM_CLOCK, Clock
from zoom_mcp.errors import BudgetSpent

# Requests per second by plan and label, from Zoom's rate-limit table.
PLANS: dict[str, dict[str, float]] = {
    "free": {"LIGHT": 4, "MEDIUM": 2, "HEAVY": 1, "RESOURCE-INTENSIVE": 10 / 60},
    "pro": {"LIGHT": 30, "MEDIUM": 20, "HEAVY": 10, "RESOURCE-INTENSIVE": 10 / 60},
    "business": {"LIGHT": 80, "MEDIUM": 60, "HEAVY": 40, "RESOURCE-INTENSIVE": 20 / 60},
}
# Heavy + Resource-intensive requests per account per UTC day.
DAILY: dict[str, int] = {"free": 6_000, "pro": 30_000, "business": 60_000}
USER_MEETINGS_PER_DAY = 100  # meeting creates and updates per user per UTC day, every plan
DEFAULT_PLAN = "pro"
DAILY_LABELS = frozenset({"HEAVY", "RESOURCE-INTENSIVE"})
LONG_WAIT = 60.0  # a Retry-After beyond this is a daily limit, not a per-second one
MARGIN = 0.2  # seconds added to each one-second window (see the module's docstring)

_CREATE = re.compile(r"/users/([^/]+)/meetings")
_UPDATE = re.compile(r"/meetings/([^/]+)")
_GET = _UPDATE


def parse_rates(plan: str, overrides: str = "") -> dict[str, float]:
    """`plan` from PLANS, then `LABEL=rate` overrides (requests per second), e.g. "heavy=5,light=50"."""
    if plan not in PLANS:
        raise ValueError(f"unknown rate-limit plan {plan!r}; choose one of {', '.join(PLANS)}")
    rates = dict(PLANS[plan])
    for item in overrides.split(","):
        if not item.strip():
            continue
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


@dataclass(frozen=True)
class Limits:
    """What the plan allows: per-second rates by label, the daily Heavy/Resource-intensive budget, and
    meeting creates/updates per user per day."""

    rates: Mapping[str, float]
    daily: int = DAILY[DEFAULT_PLAN]
    user_meetings: int = USER_MEETINGS_PER_DAY
    margin: float = MARGIN

    @classmethod
    def for_plan(cls, plan: str, overrides: str = "") -> Limits:
        return cls(parse_rates(plan, overrides), DAILY[plan])

    def label(self, request: ZoomRequest) -> str:
        # An operation Zoom gives no label is paced like a Medium one rather than not at all.
        label = request.rate_limit.upper()
        return label if label in self.rates else "MEDIUM"

    def window(self, label: str) -> tuple[int, float]:
        """(requests, seconds) of the label's sliding window: a rate of r/s is r per second; below
        one a second (Resource-intensive), that many per minute."""
        rate = self.rates[label]
        if rate >= 1:
            return math.floor(rate), 1.0 + self.margin
        return max(1, round(rate * 60)), 60.0 + self.margin


@dataclass(frozen=True)
class MeetingUser:
    """Whose daily meeting create/update budget a request spends: `key` names the counter, `shown` the
    person in a refusal."""

    key: str
    shown: str


def meeting_target(request: ZoomRequest) -> tuple[str, str] | None:
    """("create", userId) or ("update", meetingId) for the requests Zoom counts per user per day."""
    path = request.path.split("?", 1)[0]
    if request.method == "POST" and (found := _CREATE.fullmatch(path)):
        return "create", unquote(found.group(1))
    if request.method == "PATCH" and (found := _UPDATE.fullmatch(path)):
        return "update", unquote(found.group(1))
    return None


def meeting_user(target: tuple[str, str] | None, host: str | None) -> MeetingUser | None:
    """The user a create is for, or the host of the meeting an update changes (when an answer showed
    the host; otherwise the update is not counted here, and Zoom's own 429 stops the next ones)."""
    if target is None:
        return None
    kind, value = target
    if kind == "create":
        return MeetingUser(value, f"user {value}")
    return MeetingUser(host, f"the host of meeting {value}") if host else None


def learned_host(request: ZoomRequest, status: int, data: Any) -> tuple[str, str] | None:
    """(meeting ID, host ID) from an answer that shows a meeting (create, get), for `meeting_user`."""
    path = request.path.split("?", 1)[0]
    if status >= 300 or not isinstance(data, dict) or not data.get("host_id") or not data.get("id"):
        return None
    if (request.method == "POST" and _CREATE.fullmatch(path)) or (request.method == "GET" and _GET.fullmatch(path)):
        return str(data["id"]), str(data["host_id"])
    return None


def next_utc_midnight(now: datetime) -> datetime:
    return datetime(now.year, now.month, now.day, tzinfo=now.tzinfo) + timedelta(days=1)


def spent(what: str, limit: int, now: datetime) -> BudgetSpent:
    reset = next_utc_midnight(now).strftime("%Y-%m-%dT%H:%M:%SZ")
    return BudgetSpent(
        f"Zoom's daily limit of {limit} {what} is spent; nothing was sent to Zoom. It resets at {reset} "
        "(00:00 UTC): call again after that."
    )


def user_spent(user: MeetingUser, limit: int, now: datetime) -> BudgetSpent:
    return spent(f"meeting creates and updates for {user.shown}", limit, now)


def daily_spent(limit: int, now: datetime) -> BudgetSpent:
    return spent("Heavy and Resource-intensive requests for the account", limit, now)


@dataclass(frozen=True)
class Feedback:
    """What an answer from Zoom says about the limits."""

    block_for: float | None = None  # 429: stop this label for every caller this long (Retry-After)
    daily_remaining: int | None = None  # X-RateLimit-Remaining on a Heavy/Resource-intensive answer
    user_spent: bool = False  # 429 on a meeting create/update: that user's day is spent


def feedback(label: str, status: int, headers: Mapping[str, str], now: datetime, user: MeetingUser | None) -> Feedback:
    """A 429 whose Retry-After is beyond a minute is a daily limit (Zoom sends the reset time): the
    user's meeting budget for a meeting create/update, else the account's Heavy/Resource-intensive
    budget. A shorter one stops the label for every caller that long."""
    remaining = None
    text = headers.get("X-RateLimit-Remaining")
    if label in DAILY_LABELS and text is not None and text.strip().isdigit():
        remaining = int(text)
    if status != 429:
        return Feedback(daily_remaining=remaining)
    wait = next(
        (s for h in ("Retry-After", "X-RateLimit-Reset") if (s := retry_after_seconds(headers.get(h), now))), 1.0
    )
    if wait > LONG_WAIT and user is not None:
        return Feedback(user_spent=True)
    if wait > LONG_WAIT and label in DAILY_LABELS:
        return Feedback(daily_remaining=0)
    return Feedback(block_for=min(wait, LONG_WAIT), daily_remaining=remaining)


class Pacing(Protocol):
    async def wait(self, request: ZoomRequest) -> float:
        """Wait until the request may leave (the seconds waited); raise BudgetSpent past a daily limit,
        SharedStateError when the shared state cannot be reached."""
        ...

    async def observe(self, request: ZoomRequest, status: int, headers: Mapping[str, str], data: Any) -> None:
        """Learn from Zoom's answer (never raises: the answer is already in)."""
        ...


class SlidingWindow:
    """At most `limit` starts in any `window` seconds. Each caller reserves the earliest start the window
    allows (now, or when the `limit`-th latest start leaves the window) and sleeps once until then."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self.starts: list[float] = []  # sorted; reservations may lie in the future

    def reserve(self, now: float, not_before: float = 0.0) -> float:
        """Reserve a start; return when it is (>= now)."""
        drop = bisect.bisect_right(self.starts, now - self.window)
        del self.starts[:drop]
        slot = max(now, not_before)
        if len(self.starts) >= self.limit:
            slot = max(slot, self.starts[-self.limit] + self.window)
        bisect.insort(self.starts, slot)
        return slot


class Pacer:
    """In this process: one sliding window per label, the day's counts, on the injected clock."""

    def __init__(self, limits: Limits | Mapping[str, float], *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.limits = limits if isinstance(limits, Limits) else Limits(dict(limits))
        self.rates = self.limits.rates
        self._clock = clock
        self._windows = {label: SlidingWindow(*self.limits.window(label)) for label in self.rates}
        self._blocked: dict[str, float] = {}  # label -> monotonic time until which Zoom asked us to wait
        self._day = ""
        self._daily = 0
        self._users: dict[str, int] = {}
        self._hosts: dict[str, str] = {}

    def _today(self) -> str:
        day = self._clock.today().isoformat()
        if day != self._day:
            self._day, self._daily, self._users = day, 0, {}
        return day

    async def wait(self, request: ZoomRequest) -> float:
        label = self.limits.label(request)
        self._today()
        user = self._user(request)
        if label in DAILY_LABELS and self._daily >= self.limits.daily:
            raise daily_spent(self.limits.daily, self._clock.now())
        if user is not None and self._users.get(user.key, 0) >= self.limits.user_meetings:
            raise user_spent(user, self.limits.user_meetings, self._clock.now())
        now = self._clock.monotonic()
        delay = self._windows[label].reserve(now, self._blocked.get(label, 0.0)) - now
        if label in DAILY_LABELS:
            self._daily += 1
        if user is not None:
            self._users[user.key] = self._users.get(user.key, 0) + 1
        if delay > 0:
            await self._clock.sleep(delay)
        return delay

    def _user(self, request: ZoomRequest) -> MeetingUser | None:
        target = meeting_target(request)
        return meeting_user(target, self._hosts.get(target[1]) if target else None)

    async def observe(self, request: ZoomRequest, status: int, headers: Mapping[str, str], data: Any) -> None:
        label = self.limits.label(request)
        self._today()
        user = self._user(request)
        seen = feedback(label, status, headers, self._clock.now(), user)
        if seen.block_for:
            until = self._clock.monotonic() + seen.block_for
            self._blocked[label] = max(self._blocked.get(label, 0.0), until)
        if seen.daily_remaining is not None:
            self._daily = max(self._daily, self.limits.daily - seen.daily_remaining)
        if seen.user_spent and user is not None:
            self._users[user.key] = self.limits.user_meetings
        if (host := learned_host(request, status, data)) is not None:
            self._hosts[host[0]] = host[1]
