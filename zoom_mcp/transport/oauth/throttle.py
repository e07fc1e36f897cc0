"""A ceiling on how often one client address may use the sign-in endpoints.

Anyone who can reach the server can use /register (it stores a client), /authorize (it stores a pending
sign-in), /token and our consent page (they look codes, tokens and sign-ins up). Without a ceiling one
address could fill the store with registrations or try guesses as fast as it can send. Each endpoint
counts each client address in a moving window (`limits`, in this process's memory): past the limit it
answers 429 with Retry-After and logs the address, and nothing reaches the endpoint.

The address is the one the ASGI server reports: behind a proxy, tell uvicorn to trust the proxy's
X-Forwarded-For (`FORWARDED_ALLOW_IPS`, by default loopback), or every person shares the proxy's address
and its ceiling. So a program on the server's own machine, which connects from loopback as the proxy does,
can name a new address in that header each time: the ceiling is a brake on floods from the network, not a
guarantee. Replicas count separately, so N replicas let up to N times the limit through.
"""

from __future__ import annotations

import logging

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.responses import JSONResponse

from zoom_mcp.transport.security import ASGIApp, Receive, Scope, Send

log = logging.getLogger(__name__)


class Throttle:
    """One limit (e.g. "20/minute") applied to each endpoint and client address separately."""

    def __init__(self, limit: str) -> None:
        self.item: RateLimitItem = parse(limit)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def allows(self, path: str, scope: Scope) -> bool:
        """Count this request against its address's limit at this endpoint; False when it is over it."""
        client = scope.get("client")
        peer = client[0] if client else "unknown"
        if self.limiter.hit(self.item, path, peer):
            return True
        log.warning("sign-in endpoint %s refused for %s: more than %s", path, peer, self.item)
        return False


class Throttled:
    """An endpoint (an ASGI app: Starlette's Route treats a class instance so) behind a `Throttle`."""

    def __init__(self, throttle: Throttle, path: str, app: ASGIApp) -> None:
        self.throttle, self.path, self.app = throttle, path, app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # CORS preflights are not counted: a browser sends one before each cross-origin request.
        if scope["type"] == "http" and scope.get("method") != "OPTIONS" and not self.throttle.allows(self.path, scope):
            item = self.throttle.item
            refused = JSONResponse(
                {"error": "too_many_requests", "error_description": f"more than {item} from this address"},
                429,
                {"Retry-After": str(item.get_expiry()), "Cache-Control": "no-store"},
            )
            await refused(scope, receive, send)
            return
        await self.app(scope, receive, send)
