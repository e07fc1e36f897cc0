"""Where spent confirmation-token nonces are remembered until they expire: single use.

`MemoryUsedTokens` serves one process (stdio, one HTTP replica); `SqliteUsedTokens` every process on
this machine that shares `ZOOM_MCP_SECRET` (`zoom-mcp call` run twice with one token);
`RedisUsedTokens` (`ZOOM_MCP_REDIS_URL`) every replica.
"""

from __future__ import annotations

import math
import os
import sqlite3
from pathlib import Path
from typing import Protocol

from zoom_mcp.client.shared import SharedRedis
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
    """Spends a nonce with `SET NX`, expiring with the token, so every replica sees one use. When Redis
    does not answer, `spend` raises `SharedStateError`: the call is refused, never run unchecked."""

    PREFIX = "zoom-mcp:spent:"

    def __init__(self, redis: SharedRedis, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self._redis = redis
        self._clock = clock

    async def spend(self, nonce: str, expires_at: float) -> bool:
        ttl_ms = max(1, math.ceil((expires_at - self._clock.time()) * 1000))
        key = self.PREFIX + nonce
        return bool(
            await self._redis.run("spending the confirmation token", lambda r: r.set(key, b"1", nx=True, px=ttl_ms))
        )

    async def aclose(self) -> None:
        """The pool belongs to whoever made `SharedRedis`."""


class SqliteUsedTokens:
    """Spends a nonce with an INSERT on its primary key in an owner-only SQLite file: of two processes
    spending the same nonce, exactly one insert succeeds. Expired nonces are deleted as it goes."""

    def __init__(self, path: Path, *, clock: Clock = SYSTEM_CLOCK) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))  # owner-only before SQLite opens it
        self._db = sqlite3.connect(path, timeout=10, isolation_level=None)
        self._db.execute("CREATE TABLE IF NOT EXISTS spent (nonce TEXT PRIMARY KEY, expires_at REAL NOT NULL)")
        self._clock = clock

    async def spend(self, nonce: str, expires_at: float) -> bool:
        self._db.execute("DELETE FROM spent WHERE expires_at <= ?", (self._clock.time(),))
        try:
            self._db.execute("INSERT INTO spent (nonce, expires_at) VALUES (?, ?)", (nonce, expires_at))
        except sqlite3.IntegrityError:
            return False
        return True

    async def aclose(self) -> None:
        self._db.close()
