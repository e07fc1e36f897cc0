"""Where spent confirmation-token nonces are remembered until they expire: single use.

`MemoryUsedTokens` serves one process (stdio, one HTTP replica); `RedisUsedTokens`
(`ZOOM_MCP_REDIS_URL`) makes a token single-use across every replica.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

from zoom_mcp.clock import SYSTEM_CLOCK, Clock


class UsedTokens(Protocol):
    async def spend(self, nonce: str, expires_at: float) -> bool:
        """Mark the nonce spent; False if it was spent before."""
        ...


class MemoryUsedTokens:
    def __init__(self, clock: Clock = SYSTEM_CLOCK) -> None:
        self._spent: dict[str, float] = {}
        self._clock = clock

    async def spend(self, nonce: str, expires_at: float) -> bool:
        now = self._clock.time()
        self._spent = {n: exp for n, exp in self._spent.items() if exp > now}
        if nonce in self._spent:
            return False
        self._spent[nonce] = expires_at
        return True


class RedisUsedTokens:
    """Spends a nonce with `SET NX`, expiring with the token, so every replica sees one use."""

    PREFIX = "zoom-mcp:spent:"

    def __init__(self, url: str, *, clock: Clock = SYSTEM_CLOCK) -> None:
        import redis.asyncio as redis  # late: only with ZOOM_MCP_REDIS_URL

        self._redis: Any = redis.from_url(url)
        self._clock = clock

    async def spend(self, nonce: str, expires_at: float) -> bool:
        ttl_ms = max(1, math.ceil((expires_at - self._clock.time()) * 1000))
        return bool(await self._redis.set(self.PREFIX + nonce, b"1", nx=True, px=ttl_ms))

    async def aclose(self) -> None:
        await self._redis.aclose()
