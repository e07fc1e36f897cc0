"""Single use of confirmation tokens across replicas, through Redis (`ZOOM_MCP_REDIS_URL`)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any


class RedisUsedTokens:
    """Spends a nonce with `SET NX`, expiring with the token, so every replica sees one use."""

    PREFIX = "zoom-mcp:spent:"

    def __init__(self, url: str, *, clock: Callable[[], float] = time.time) -> None:
        import redis.asyncio as redis

        self._redis: Any = redis.from_url(url)
        self._clock = clock

    async def spend(self, nonce: str, expires_at: float) -> bool:
        ttl_ms = max(1, math.ceil((expires_at - self._clock()) * 1000))
        return bool(await self._redis.set(self.PREFIX + nonce, b"1", nx=True, px=ttl_ms))

    async def aclose(self) -> None:
        await self._redis.aclose()
