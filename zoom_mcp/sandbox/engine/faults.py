"""Fault injection: make the sandbox misbehave the ways Zoom and networks do, on demand.

A plan is a list of rules, tried in order for each API request; the first rule that matches
and still has uses left decides. A rule matches an operation (tool name) or method, or every
request, and fires on a scripted number of requests (`times`) or on a share of them (`share`).

    [{"fault": "status", "status": 503, "times": 2, "operation": "get_meeting"},
     {"fault": "rate_limit", "retry_after": 1, "share": 0.2},
     {"fault": "delay", "seconds": 30, "method": "GET", "times": 1}]

Faults: `status` (any HTTP status, Zoom-shaped body), `rate_limit` (429 + Retry-After and
Zoom's rate-limit headers), `delay` (answer late), `drop` (close the connection mid-answer),
`refuse` (the connection never reaches the app: in-process only), `expired_token` (401 code 124),
`malformed` (200 with a body that is not JSON).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

FAULTS = ("status", "rate_limit", "delay", "drop", "refuse", "expired_token", "malformed")


RATE_LIMIT_HEADERS = {
    "X-RateLimit-Category": "Light",
    "X-RateLimit-Type": "QPS",
    "X-RateLimit-Limit": "30",
    "X-RateLimit-Remaining": "0",
}


class DroppedConnection(Exception):
    """The sandbox hung up mid-answer (mapped to the HTTP client's protocol error in-process)."""


class RefusedConnection(Exception):
    """The request never reached the sandbox (mapped to the HTTP client's connect error in-process)."""


@dataclass
class Fault:
    """One rule of a plan: which fault, its parameters, which requests it matches and how often it fires."""

    fault: str
    status: int = 500
    retry_after: float = 1.0
    seconds: float = 1.0
    operation: str | None = None
    method: str | None = None
    times: int | None = None  # fire on this many matching requests, then never again
    share: float | None = None  # or fire on this share of matching requests
    fired: int = 0

    def __post_init__(self) -> None:
        if self.fault not in FAULTS:
            raise ValueError(f"unknown fault {self.fault!r}; choose from {', '.join(FAULTS)}")
        if self.times is None and self.share is None:
            self.times = 1

    def matches(self, operation: str | None, method: str, rng: random.Random) -> bool:
        """Whether this rule fires for a request to `operation` (None: no catalog route) by `method`."""
        if self.operation is not None and self.operation != operation:
            return False
        if self.method is not None and self.method.upper() != method:
            return False
        if self.times is not None:
            return self.fired < self.times
        return rng.random() < (self.share or 0.0)

    def reply(self) -> tuple[int, Any, dict[str, str]]:
        """The answer an answering fault gives (status, body, headers); `delay` and `drop` are the app's to act out."""
        if self.fault == "rate_limit":
            message = "You have reached the maximum per-second rate limit for this API."
            return (
                429,
                {"code": 429, "message": message},
                {"Retry-After": f"{self.retry_after:g}", **RATE_LIMIT_HEADERS},
            )
        if self.fault == "expired_token":
            return 401, {"code": 124, "message": "Access token is expired."}, {}
        if self.fault == "malformed":
            return 200, b"<html><body>Bad gateway</body></html>", {"content-type": "text/html"}
        return self.status, {"code": self.status, "message": f"Sandbox fault: HTTP {self.status}."}, {}


@dataclass
class FaultPlan:
    """The rules in force, tried in order per API request; the random source behind `share` is seeded."""

    rules: list[Fault] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(7))

    @classmethod
    def parse(cls, text: str) -> FaultPlan:
        """From JSON: a list of rules (or one rule) as in the module docstring."""
        try:
            data: Any = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"sandbox faults must be JSON: {exc}") from exc
        rules = data if isinstance(data, list) else [data]
        try:
            return cls([Fault(**rule) for rule in rules])
        except TypeError as exc:
            raise ValueError(f"bad sandbox fault rule: {exc}") from exc

    def add(self, fault: str, **options: Any) -> Fault:
        """Append a rule (see `Fault` for the options) and return it."""
        rule = Fault(fault, **options)
        self.rules.append(rule)
        return rule

    def clear(self) -> None:
        """Remove every rule."""
        self.rules.clear()

    def pick(self, operation: str | None, method: str) -> Fault | None:
        """The first rule that fires for this request (counting it as fired), or None."""
        for rule in self.rules:
            if rule.matches(operation, method, self.rng):
                rule.fired += 1
                return rule
        return None
