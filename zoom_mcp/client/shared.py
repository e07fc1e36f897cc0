"""State every replica shares, on one Redis (`ZOOM_MCP_REDIS_URL`): pacing, S2S tokens, and a small
sealed key-value store (approvals, spent confirmation tokens, and whatever else needs one).

- `SharedRedis` is the one connection pool. Every command has a deadline (connect and read timeouts,
  and an overall one), is never retried inside redis-py, and a failure becomes `SharedStateError`
  naming Redis (its host and port, never the URL's password): the call that needed it stops before
  anything is sent to Zoom. The pool reconnects at the next command, so the server recovers by itself
  when Redis comes back.
- `RedisStore` is `client.store.Store` (the key-value store the sign-ins and the approvals use; its
  `MemoryStore` and `SqliteStore` keep it in this process or a file) in Redis: each operation one command,
  every key with a TTL. Keys are `(kind, key)`; a key that names a secret is its SHA-256 (`digest`), never
  the secret, and values are sealed (`store.Sealer`, Fernet) by the caller.
- `RedisPacer` is `pacing.Pacing` on Redis: one Lua script checks the daily budgets and the label's
  sliding window and takes a place in it atomically, for every replica at once.
- `RedisTokens` shares the Server-to-Server access token (sealed) and a lock with a deadline, so one
  replica refreshes while the others wait for its token (`auth._TokenFlow`).
"""

from __future__ import annotations

import logging
import math
import random
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import anyio

from zoom_mcp.api.serialize import ZoomRequest
from zoom_mcp.client.pacing import (
    DAILY_LABELS,
    Limits,
    MeetingUser,
    daily_spent,
    feedback,
    learned_host,
    meeting_target,
    meeting_user,
    next_utc_midnight,
    user_spent,
)
from zoom_mcp.client.store import Sealer, digest
from zoom_mcp.clock import SYSTEM_CLOCK, Clock, SystemClock
from zoom_mcp.errors import ConfigError, SharedStateError

if TYPE_CHECKING:
    from zoom_mcp.client.auth import Token

log = logging.getLogger(__name__)
T = TypeVar("T")
PREFIX = "zoom-mcp:"
SIGNIN_PREFIX = f"{PREFIX}signin:"  # the sign-ins (--auth oauth), apart from the rest


def redis_where(url: str) -> str:
    """host:port/db of a Redis URL, for messages: never the password."""
    parts = urlsplit(url)
    db = parts.path.strip("/") or "0"
    return f"{parts.hostname or 'localhost'}:{parts.port or 6379}/{db}"


class SharedRedis:
    """The one Redis connection pool of the process, with bounded waits and errors that name Redis."""

    def __init__(self, url: str, *, timeout: float = 2.0) -> None:
        import redis.asyncio as redis  # late: only with ZOOM_MCP_REDIS_URL
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        self.where = redis_where(url)
        self.timeout = timeout
        self.client: Any = redis.from_url(
            url,
            socket_connect_timeout=timeout,
            socket_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
            retry_on_timeout=False,
            health_check_interval=30,
        )

    async def run(self, what: str, command: Callable[[Any], Awaitable[T]], *, deadline: float | None = None) -> T:
        """Run one command (or script) against Redis; `what` says what needed it, for the error. It fails
        after `deadline` seconds (twice the socket timeout unless given)."""
        import redis.exceptions  # late: redis loads only with ZOOM_MCP_REDIS_URL

        try:
            with anyio.fail_after(deadline or self.timeout * 2):
                return await command(self.client)
        except (redis.exceptions.RedisError, OSError, TimeoutError) as exc:
            reason = (
                "did not answer in time"
                if isinstance(exc, TimeoutError | redis.exceptions.TimeoutError)
                else ("is unreachable" if isinstance(exc, redis.exceptions.ConnectionError | OSError) else "failed")
            )
            raise SharedStateError(
                f"Redis at {self.where} (ZOOM_MCP_REDIS_URL) {reason} ({type(exc).__name__}) while {what}: nothing "
                "was sent to Zoom. Call again once Redis answers; the server reconnects by itself."
            ) from None

    async def ping(self) -> None:
        await self.run("checking readiness", lambda r: r.ping())

    async def aclose(self) -> None:
        await self.client.aclose()


# --- the key-value store ------------------------------------------------------------------------------------


class RedisStore:
    """`Store` on Redis, over the process's one pool: each operation is one command (`add` one small Lua
    script), every key under `prefix` and expiring with its value. A value is stored as
    `<expires_at>|<sealed bytes>`, so expiry follows the injected clock exactly as in the other stores;
    Redis's own `PX` (the time left) removes it in any case. Approvals and spent markers live under
    `zoom-mcp:`, the sign-ins (--auth oauth) under `zoom-mcp:signin:`."""

    # SET only when absent or expired by the caller's clock (ARGV: value, PX milliseconds, now).
    ADD = """
local found = redis.call('GET', KEYS[1])
if found then
  local expires_at = tonumber(string.match(found, '^([^|]+)|'))
  if expires_at and expires_at > tonumber(ARGV[3]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
"""

    def __init__(self, redis: SharedRedis, *, clock: Clock = SYSTEM_CLOCK, prefix: str = PREFIX) -> None:
        self.redis = redis
        self._clock = clock
        self._prefix = prefix
        self._add: Any = redis.client.register_script(self.ADD)

    def _key(self, kind: str, key: str) -> str:
        return f"{self._prefix}{kind}:{key}"

    def _ttl_ms(self, expires_at: float) -> int:
        return max(1, math.ceil((expires_at - self._clock.time()) * 1000))

    @staticmethod
    def _pack(value: bytes, expires_at: float) -> bytes:
        return repr(float(expires_at)).encode() + b"|" + value

    def _unpack(self, stored: bytes | None) -> bytes | None:
        if stored is None:
            return None
        expires_at, _, value = bytes(stored).partition(b"|")
        try:
            live = float(expires_at) > self._clock.time()
        except ValueError:
            return None
        return value if live else None

    async def put(self, kind: str, key: str, value: bytes, expires_at: float) -> None:
        name, ttl, packed = self._key(kind, key), self._ttl_ms(expires_at), self._pack(value, expires_at)
        await self.redis.run(f"storing {kind}", lambda r: r.set(name, packed, px=ttl))

    async def add(self, kind: str, key: str, value: bytes, expires_at: float) -> bool:
        name, ttl, packed = self._key(kind, key), self._ttl_ms(expires_at), self._pack(value, expires_at)
        args = [packed, ttl, repr(self._clock.time())]
        return bool(await self.redis.run(f"storing {kind}", partial(self._run_add, [name], args)))

    async def _run_add(self, keys: list[str], args: list[Any], client: Any) -> Any:
        return await self._add(keys=keys, args=args, client=client)

    async def get(self, kind: str, key: str) -> bytes | None:
        name = self._key(kind, key)
        return self._unpack(await self.redis.run(f"reading {kind}", lambda r: r.get(name)))

    async def take(self, kind: str, key: str) -> bytes | None:
        name = self._key(kind, key)
        return self._unpack(await self.redis.run(f"taking {kind}", lambda r: r.getdel(name)))

    async def delete(self, kind: str, key: str) -> None:
        name = self._key(kind, key)
        await self.redis.run(f"deleting {kind}", lambda r: r.delete(name))

    async def aclose(self) -> None:
        """The pool belongs to whoever made `SharedRedis`."""


def require_secret(secret: str | None) -> str:
    if not secret:
        raise ConfigError(
            "ZOOM_MCP_REDIS_URL needs ZOOM_MCP_SECRET, the same on every replica: it signs the confirmation "
            "tokens and seals what the replicas keep in Redis (approvals, Zoom access tokens)"
        )
    return secret


# --- pacing on Redis ----------------------------------------------------------------------------------------

# The time, in both scripts: the caller's pinned clock (tests), or Redis's own (`TIME`), which every replica
# shares, so that replicas' clocks need not agree.
NOW = """
local now
if ARGV[1] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
else
  now = tonumber(ARGV[1])
end
"""

# KEYS: the label's window (a sorted set of the starts let through), the label's stop (Retry-After), the
# day's Heavy and Resource-intensive count, the user's meeting count. ARGV: now (or ''), window, limit, a
# unique member, the daily limit and the user limit (0: does not apply), the seconds the day's counters
# live. It refuses past a daily limit; else it lets the request start now if the window has room (and
# counts it), or answers how long until it may have: the caller waits and asks again. A start is recorded
# when it happens, never ahead, so a caller that wakes late cannot bunch with the next window's.
PACE = (
    NOW
    + """
local window, limit = tonumber(ARGV[2]), tonumber(ARGV[3])
local daily, per_user, day_ttl = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
if daily > 0 and tonumber(redis.call('GET', KEYS[3]) or '0') >= daily then return {'daily', '0'} end
if per_user > 0 and tonumber(redis.call('GET', KEYS[4]) or '0') >= per_user then return {'user', '0'} end
local stop = tonumber(redis.call('GET', KEYS[2]) or '0')
if stop > now then return {'wait', tostring(stop - now)} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {'wait', tostring(tonumber(oldest[2]) + window - now)}
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil(window * 1000) + 1000)
if daily > 0 then redis.call('INCR', KEYS[3]); redis.call('EXPIRE', KEYS[3], day_ttl) end
if per_user > 0 then redis.call('INCR', KEYS[4]); redis.call('EXPIRE', KEYS[4], day_ttl) end
return {'ok', '0'}
"""
)

# What an answer taught: KEYS as above plus the meeting's host. ARGV: now (or ''), seconds to stop the label
# (or ''), the day's count at least (or ''), the seconds the day's counters live, the user's count (or ''),
# the host (or '').
OBSERVE = (
    NOW
    + """
local day_ttl = tonumber(ARGV[4])
if ARGV[2] ~= '' then
  local until_ = now + tonumber(ARGV[2])
  if until_ > tonumber(redis.call('GET', KEYS[2]) or '0') then
    redis.call('SET', KEYS[2], tostring(until_), 'PX', math.ceil(tonumber(ARGV[2]) * 1000) + 1000)
  end
end
if ARGV[3] ~= '' and tonumber(ARGV[3]) > tonumber(redis.call('GET', KEYS[3]) or '0') then
  redis.call('SET', KEYS[3], ARGV[3], 'EX', day_ttl)
end
if ARGV[5] ~= '' then redis.call('SET', KEYS[4], ARGV[5], 'EX', day_ttl) end
if ARGV[6] ~= '' then redis.call('SET', KEYS[5], ARGV[6], 'EX', day_ttl) end
return 1
"""
)


class RedisPacer:
    """`pacing.Pacing` against counts every replica shares: per (account, label) per second, the day's
    Heavy and Resource-intensive requests, each user's meeting creates and updates. Keys carry the
    account's hash in a hash tag (one Redis Cluster slot) and expire on their own."""

    def __init__(
        self,
        redis: SharedRedis,
        limits: Limits,
        account: str,
        *,
        clock: Clock = SYSTEM_CLOCK,
        redis_time: bool | None = None,
    ) -> None:
        self.redis = redis
        self.limits = limits
        self.rates = limits.rates
        self._clock = clock
        # Windows run on Redis's clock, which every replica shares; a pinned clock (tests) is used as given.
        self._redis_time = isinstance(clock, SystemClock) if redis_time is None else redis_time
        self._rng = random.Random()
        self._base = f"{PREFIX}pace:{{{digest(account)[:16]}}}:"
        self._pace = redis.client.register_script(PACE)
        self._observe = redis.client.register_script(OBSERVE)

    @staticmethod
    async def _run(script: Any, keys: list[str], args: list[Any], client: Any) -> Any:
        return await script(keys=keys, args=args, client=client)

    def _day(self) -> tuple[str, int]:
        now = self._clock.now()
        left = (next_utc_midnight(now) - now) / timedelta(seconds=1)
        return now.strftime("%Y%m%d"), math.ceil(left) + 3600

    def _keys(self, label: str, user: MeetingUser | None, meeting: str | None) -> list[str]:
        day, _ = self._day()
        base = self._base
        return [
            f"{base}window:{label}",
            f"{base}stop:{label}",
            f"{base}daily:{day}",
            f"{base}user:{digest(user.key) if user else '-'}:{day}",
            f"{base}host:{digest(meeting) if meeting else '-'}",
        ]

    async def _user(self, request: ZoomRequest) -> tuple[MeetingUser | None, str | None]:
        target = meeting_target(request)
        host = None
        if target is not None and target[0] == "update":
            key = f"{self._base}host:{digest(target[1])}"
            found = await self.redis.run("pacing", lambda r: r.get(key))
            host = found.decode() if found else None
        return meeting_user(target, host), target[1] if target and target[0] == "update" else None

    async def wait(self, request: ZoomRequest) -> float:
        label = self.limits.label(request)
        limit, window = self.limits.window(label)
        user, _ = await self._user(request)
        daily = self.limits.daily if label in DAILY_LABELS else 0
        per_user = self.limits.user_meetings if user is not None else 0
        waited = 0.0
        while True:
            keys = self._keys(label, user, None)[:4]
            _, day_ttl = self._day()
            args = [self._now(), repr(window), limit, secrets.token_hex(8), daily, per_user, day_ttl]
            verdict, value = await self.redis.run("pacing", partial(self._run, self._pace, keys, args))
            verdict = verdict.decode() if isinstance(verdict, bytes) else str(verdict)
            if verdict == "ok":
                return waited
            if verdict == "daily":
                raise daily_spent(self.limits.daily, self._clock.now())
            if verdict == "user":
                assert user is not None
                raise user_spent(user, self.limits.user_meetings, self._clock.now())
            delay = float(value) + self._rng.uniform(0, 0.01)  # waiters spread a little, not all at once
            waited += delay
            await self._clock.sleep(delay)

    def _now(self) -> str:
        return "" if self._redis_time else repr(self._clock.time())

    async def observe(self, request: ZoomRequest, status: int, headers: Mapping[str, str], data: Any) -> None:
        try:
            label = self.limits.label(request)
            user, _ = await self._user(request)
            seen = feedback(label, status, headers, self._clock.now(), user)
            host = learned_host(request, status, data)
            if not (seen.block_for or seen.daily_remaining is not None or seen.user_spent or host):
                return
            keys = self._keys(label, user, host[0] if host else None)
            _, day_ttl = self._day()
            args = [
                self._now(),
                repr(seen.block_for) if seen.block_for else "",
                str(self.limits.daily - seen.daily_remaining) if seen.daily_remaining is not None else "",
                day_ttl,
                str(self.limits.user_meetings) if seen.user_spent else "",
                host[1] if host else "",
            ]
            await self.redis.run("pacing", partial(self._run, self._observe, keys, args))
        except SharedStateError as exc:  # the answer is in: a lost lesson must not fail the call
            log.warning("could not share what Zoom's answer said about its limits: %s", exc)


# --- Server-to-Server tokens on Redis -----------------------------------------------------------------------


class RedisTokens:
    """One access token for every replica (the Server-to-Server app's, or with `kind="person"` one
    person's), sealed, expiring with the token; a lock with a deadline so that one replica fetches a new
    one while the others wait for it."""

    def __init__(
        self,
        redis: SharedRedis,
        sealer: Sealer,
        identity: str,
        *,
        clock: Clock = SYSTEM_CLOCK,
        lock_deadline: float = 10.0,
        wait: float = 12.0,
        kind: str = "s2s",
    ) -> None:
        self.redis = redis
        self._sealer = sealer
        self._clock = clock
        name = digest(f"{kind}:{identity}")  # a hash: the key names no account or person
        self._key = f"{PREFIX}{kind}-token:{name}"
        self._lock_key = f"{PREFIX}{kind}-lock:{name}"
        self._deadline = lock_deadline
        self._wait = wait

    async def load(self) -> tuple[str, float, tuple[str, ...]] | None:
        """(token, expiry as `time()`, scopes) if a replica stored one."""
        found = await self.redis.run("reading the shared Zoom token", lambda r: r.get(self._key))
        record = self._sealer.open_json(found)
        if record is None:
            return None
        return str(record["value"]), float(record["expires_at"]), tuple(record.get("scopes", ()))

    async def save(self, token: Token, expires_at: float) -> None:
        ttl = math.ceil((expires_at - self._clock.time()) * 1000)
        if ttl <= 0:
            return
        sealed = self._sealer.seal_json({"value": token.value, "expires_at": expires_at, "scopes": list(token.scopes)})
        await self.redis.run("storing the shared Zoom token", lambda r: r.set(self._key, sealed, px=ttl))

    async def discard(self, value: str) -> None:
        """Forget the shared token if it is still this (stale) one."""
        found = await self.load()
        if found is not None and found[0] == value:
            await self.redis.run("discarding the shared Zoom token", lambda r: r.delete(self._key))

    @asynccontextmanager
    async def refreshing(self) -> AsyncIterator[None]:
        """Hold the refresh lock (it expires by itself after the deadline, should this replica die). After
        `wait` seconds without it, go on anyway: a token fetched twice is better than a call stuck."""
        lock = self.redis.client.lock(
            self._lock_key, timeout=self._deadline, blocking_timeout=self._wait, sleep=0.05, thread_local=False
        )
        held = await self.redis.run(
            "waiting for the shared Zoom token", lambda r: lock.acquire(), deadline=self._wait + self.redis.timeout
        )
        if not held:
            log.warning("another replica held the Zoom token refresh past its deadline; refreshing here")
        try:
            yield
        finally:
            if held:
                try:
                    await self.redis.run("releasing the Zoom token lock", lambda r: lock.release())
                except Exception as exc:  # expired meanwhile: nothing to release
                    log.info("the Zoom token lock was already gone (%s)", type(exc).__name__)
