"""A ceiling on how often one client address may use the sign-in endpoints.

Anyone who can reach the server can use /register (it stores a client), /authorize (it stores a pending
sign-in), /token and our consent page (they look codes, tokens and sign-ins up). Without a ceiling one
address could fill the store with registrations or try guesses as fast as it can send. Each endpoint
counts each client address in a moving window, in this process's memory, on the injected clock: past the
limit it answers 429 with Retry-After (when the oldest counted request leaves the window) and logs the
address, and nothing reaches the endpoint. A refused request is not counted.

Written here rather than taken from `limits`: its in-memory storage reads the wall clock and starts a
non-daemon timer thread, which kept the process from exiting under a pinned clock (libfaketime).

The address is the one the ASGI server reports: behind a proxy, tell uvicorn to trust the proxy's
X-Forwarded-For (`FORWARDED_ALLOW_IPS`, by default loopback), or every person shares the proxy's address
and its ceiling. So a program on the server's own machine, which connects from loopback as the proxy does,
can name a new address in that header each time: the ceiling is a brake on floods from the network, not a
guarantee. Replicas count separately, so N replicas let up to N times the limit through.
"""

from __future__ import annotations

import logging
import math
from collections import deque

from starlette.responses import JSONResponse

from zoom_mcp.clock import Clock
from zoom_mcp.transport.security import ASGIApp, Receive, Scope, Send

log = logging.getLogger(__name__)

TRACKED = 10_000  # (endpoint, address) pairs kept at most; past it the idle ones go, then the oldest


class Throttle:
    """At most `count` requests in any `seconds` from one address, at each endpoint separately."""

    def __init__(self, count: int, seconds: float, clock: Clock) -> None:
        self.count, self.seconds, self.clock = count, seconds, clock
        self._seen: dict[tuple[str, str], deque[float]] = {}  # (path, address) -> when its requests came

    def __str__(self) -> str:
        return f"{self.count} in {self.seconds:g} s"

    def wait(self, path: str, scope: Scope) -> float:
        """Count this request against its address's limit at this endpoint: 0 when it may go on, else the
        seconds until it could."""
        client = scope.get("client")
        peer = client[0] if client else "unknown"
        now = self.clock.monotonic()
        seen = self._seen.get((path, peer))
        if seen is None:
            if len(self._seen) >= TRACKED:
                self._forget(now)
            seen = self._seen[(path, peer)] = deque()
        while seen and seen[0] <= now - self.seconds:
            seen.popleft()
        if len(seen) < self.count:
            seen.append(now)
            return 0.0
        log.warning("sign-in endpoint %s refused for %s: more than %s", path, peer, self)
        return seen[0] + self.seconds - now

    def _forget(self, now: float) -> None:
        """Drop the pairs with nothing in the window; if that is not enough, the oldest (a flood from many
        addresses, which this ceiling does not stop anyway, must not grow the memory without end)."""
        self._seen = {key: seen for key, seen in self._seen.items() if seen and seen[-1] > now - self.seconds}
        while len(self._seen) >= TRACKED:
            del self._seen[next(iter(self._seen))]


class Throttled:
    """An endpoint (an ASGI app: Starlette's Route treats a class instance so) behind a `Throttle`."""

    def __init__(self, throttle: Throttle, path: str, app: ASGIApp) -> None:
        self.throttle, self.path, self.app = throttle, path, app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # CORS preflights are not counted: a browser sends one before each cross-origin request.
        if scope["type"] == "http" and scope.get("method") != "OPTIONS":
            wait = self.throttle.wait(self.path, scope)
            if wait > 0:
                refused = JSONResponse(
                    {"error": "too_many_requests", "error_description": f"more than {self.throttle} from this address"},
                    429,
                    {"Retry-After": str(max(1, math.ceil(wait))), "Cache-Control": "no-store"},
                )
                await refused(scope, receive, send)
                return
        await self.app(scope, receive, send)
