"""What replicas share on Redis (ZOOM_MCP_REDIS_URL), tested in process against a real redis-server on a
pinned clock: pacing per (account, label) and the daily budgets, what Zoom's answers teach it, one
Server-to-Server token for all, the sealed key-value store, and Redis failing mid-run."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager

import anyio
import pytest
from mcp import Client

import zoom_mcp.sandbox.fixtures as s
from tests.conftest import PINNED, running
from tests.redis_server import RedisServer, redis_server
from tests.test_resilience import FrozenClock
from zoom_mcp.api.serialize import ZoomRequest
from zoom_mcp.app.assemble import App
from zoom_mcp.client.pacing import MARGIN, Limits
from zoom_mcp.client.shared import RedisPacer, RedisStore, SharedRedis
from zoom_mcp.client.store import Sealer
from zoom_mcp.clock import SYSTEM_CLOCK, Clock, FixedClock
from zoom_mcp.errors import BudgetSpent, ConfigError, SharedStateError
from zoom_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio
SECRET = "shared-hmac-secret-for-tests"


@pytest.fixture(scope="module")
def redis() -> Iterator[RedisServer]:
    with redis_server() as server:
        yield server


@pytest.fixture(autouse=True)
def empty(redis: RedisServer) -> None:
    redis.flush()


@asynccontextmanager
async def replicas(
    redis: RedisServer, sandbox: Sandbox, clock: Clock, n: int = 2, **env: str
) -> AsyncIterator[list[App]]:
    """`n` servers as separate replicas would be: each its own client and pacer, one Redis, one Zoom."""
    settings_env = {"ZOOM_MCP_REDIS_URL": redis.url, "ZOOM_MCP_SECRET": SECRET, **env}
    async with AsyncExitStack() as stack:
        yield [await stack.enter_async_context(running(sandbox, clock, settings_env)) for _ in range(n)]


async def test_two_replicas_pace_heavy_calls_against_one_shared_window(redis: RedisServer) -> None:
    """60 Heavy requests through two replicas' pacers at 10/s: together they let never more than 10 go in any
    window. On the real clock (pacing is about real time; the windows then run on Redis's clock): about 6 s.
    What Zoom counts by second, through the whole server, is checked with separate processes in
    test_replicas.py."""
    shared = SharedRedis(redis.url)
    released: list[float] = []
    try:
        limits = Limits.for_plan("pro", "heavy=10")
        one, other = (RedisPacer(shared, limits, "acct") for _ in range(2))
        heavy = request("GET", "/devices/x", "HEAVY")

        async def go(pacer: RedisPacer) -> None:
            await pacer.wait(heavy)
            released.append(SYSTEM_CLOCK.time())

        async with anyio.create_task_group() as tg:
            for i in range(60):
                tg.start_soon(go, one if i % 2 else other)
    finally:
        await shared.aclose()
    released.sort()
    # Any second (the window is a second and MARGIN: what absorbs the time between Redis letting a request
    # go and the request leaving, here under whatever load the machine has).
    for start in released:
        assert sum(1 for t in released if start <= t < start + 1.0) <= 10, start
    assert released[-1] - released[0] >= 5 * (1 + MARGIN) - 0.05  # six windows of ten, as one process would


def request(method: str, path: str, label: str = "MEDIUM") -> ZoomRequest:
    return ZoomRequest(method, path, rate_limit=label)


async def test_daily_budget_and_per_user_meetings_are_refused_before_any_request_naming_the_reset(
    redis: RedisServer,
) -> None:
    clock = FixedClock("2026-06-17T23:30:00Z")
    shared = SharedRedis(redis.url)
    try:
        limits = Limits({"LIGHT": 1000, "MEDIUM": 1000, "HEAVY": 1000, "RESOURCE-INTENSIVE": 1000}, daily=3)
        one, other = (RedisPacer(shared, limits, "acct", clock=clock) for _ in range(2))  # two replicas
        heavy = request("GET", "/devices/x", "HEAVY")
        for pacer in (one, other, one):
            await pacer.wait(heavy)
        with pytest.raises(BudgetSpent, match=r"daily limit of 3 Heavy.*resets at 2026-06-18T00:00:00Z"):
            await other.wait(heavy)
        await other.wait(request("GET", "/users/me"))  # Light and Medium have no daily budget

        create = request("POST", "/users/alex%40example.com/meetings", "LIGHT")
        for i in range(100):
            await (one if i % 2 else other).wait(create)
        with pytest.raises(BudgetSpent, match=r"meeting creates and updates for user alex@example.com.*00:00:00Z"):
            await one.wait(create)
        await one.wait(request("POST", "/users/sam%40example.com/meetings", "LIGHT"))  # another user's own 100
        # An update counts against the meeting's host, once an answer showed who that is.
        await one.observe(create, 201, {}, {"id": 555, "host_id": "alex@example.com"})
        with pytest.raises(BudgetSpent, match="the host of meeting 555"):
            await other.wait(request("PATCH", "/meetings/555", "LIGHT"))

        clock.advance(1800)  # 00:00 UTC: a new day, new budgets
        await other.wait(heavy)
        await other.wait(create)
    finally:
        await shared.aclose()


async def test_zoom_answers_feed_the_shared_state(redis: RedisServer) -> None:
    clock = FrozenClock(PINNED)  # time stands still: the wait asked for is the whole answer
    shared = SharedRedis(redis.url)
    try:
        limits = Limits.for_plan("pro")
        one, other = (RedisPacer(shared, limits, "acct", clock=clock) for _ in range(2))
        get = request("GET", "/meetings/1", "MEDIUM")
        # A 429 with Retry-After at one replica stops that label at every replica until then.
        await one.observe(get, 429, {"Retry-After": "3"}, None)
        with anyio.move_on_after(1):  # on a clock that never moves, the stop never ends
            await other.wait(get)
        assert clock.slept and clock.slept[0] == pytest.approx(3.0, abs=0.02)
        # X-RateLimit-Remaining on a Heavy answer corrects the day's count everywhere.
        heavy = request("GET", "/devices/x", "HEAVY")
        await one.observe(heavy, 200, {"X-RateLimit-Remaining": "0"}, None)
        with pytest.raises(BudgetSpent, match="daily limit of 30000"):
            await other.wait(heavy)
        # A 429 for a meeting create with a reset time far off: that user's day is spent.
        create = request("POST", "/users/me/meetings", "LIGHT")
        await one.observe(create, 429, {"Retry-After": "2026-06-18T00:00:00Z"}, None)
        with pytest.raises(BudgetSpent, match="for user me"):
            await other.wait(create)
    finally:
        await shared.aclose()


async def test_one_server_to_server_token_for_every_replica_refreshed_once(redis: RedisServer) -> None:
    clock = FixedClock(PINNED)
    sandbox = Sandbox(clock=clock)
    async with replicas(redis, sandbox, clock, n=3) as apps:
        clients = [Client(app.server) for app in apps]
        async with AsyncExitStack() as stack:
            sessions = [await stack.enter_async_context(c) for c in clients]

            async def calls() -> None:
                async with anyio.create_task_group() as tg:
                    for i in range(30):
                        tg.start_soon(sessions[i % 3].call_tool, "get_meeting", {"meetingId": s.SCHEDULED_MEETING_ID})

            await calls()
            assert sandbox.token_requests == 1  # three replicas, thirty calls at once: one token request
            sandbox.expire_tokens()  # Zoom revokes it: every replica sees 401
            await calls()
            assert sandbox.token_requests == 2
    assert [r.status for r in sandbox.requests].count(200) == 60
    stored = [k for k in redis_keys(redis) if b"s2s-token" in k]
    assert len(stored) == 1 and b"access" not in raw(redis, stored[0])  # sealed, not the token


def redis_keys(redis: RedisServer) -> list[bytes]:
    import redis as redis_py

    return list(redis_py.Redis(port=redis.port).keys("*"))


def raw(redis: RedisServer, key: bytes) -> bytes:
    import redis as redis_py

    return bytes(redis_py.Redis(port=redis.port).get(key) or b"")


async def test_every_key_has_a_ttl_and_nothing_is_stored_in_clear(redis: RedisServer) -> None:
    clock = FixedClock(PINNED)
    sandbox = Sandbox(clock=clock)
    async with replicas(redis, sandbox, clock, n=1) as (app,), Client(app.server) as client:
        await client.call_tool("get_meeting", {"meetingId": s.SCHEDULED_MEETING_ID})
        await client.call_tool("get_device", {"deviceId": s.ZOOM_ROOM_DEVICE_ID})
        token = (await client.call_tool("delete_meeting", {"meetingId": s.SCHEDULED_MEETING_ID})).structured_content
        await client.call_tool(
            "delete_meeting", {"meetingId": s.SCHEDULED_MEETING_ID, "confirmation_token": token["confirmation_token"]}
        )
    import redis as redis_py

    direct = redis_py.Redis(port=redis.port)
    keys = redis_keys(redis)
    assert keys
    for key in keys:
        assert direct.pttl(key) > 0, key
    everything = b" ".join(keys) + b" ".join(raw(redis, k) for k in keys if direct.type(k) == b"string")
    assert b"sandbox-account" not in everything and str(s.SCHEDULED_MEETING_ID).encode() not in b" ".join(keys)


async def test_store_operations_are_single_use_across_replicas(redis: RedisServer) -> None:
    clock = FixedClock(PINNED)
    shared = SharedRedis(redis.url)
    try:
        one, other = RedisStore(shared, clock=clock), RedisStore(shared, clock=clock)
        later = clock.time() + 60
        assert await one.add("k", "a", b"1", later) and not await other.add("k", "a", b"2", later)
        assert await other.get("k", "a") == b"1"
        assert await other.take("k", "a") == b"1" and await one.take("k", "a") is None
        await one.put("k", "b", b"x", later)
        await other.delete("k", "b")
        assert await one.get("k", "b") is None
        sealer = Sealer.from_secret(SECRET)
        assert Sealer.from_secret(SECRET).open(sealer.seal(b"x")) == b"x"  # replicas with one secret agree
        assert Sealer.from_secret("another").open(sealer.seal(b"x")) is None
    finally:
        await shared.aclose()


async def test_redis_without_the_shared_secret_refuses_to_start(redis: RedisServer) -> None:
    with pytest.raises(ConfigError, match="ZOOM_MCP_SECRET"):
        async with running(Sandbox(), FixedClock(PINNED), {"ZOOM_MCP_REDIS_URL": redis.url}):
            pass


async def test_redis_failing_mid_run_is_a_clear_bounded_error_and_recovers_without_restart(
    redis: RedisServer,
) -> None:
    clock = FixedClock(PINNED)
    sandbox = Sandbox(clock=clock)
    meeting = {"meetingId": s.SCHEDULED_MEETING_ID}
    try:
        async with replicas(redis, sandbox, clock, n=1) as (app,), Client(app.server) as client:
            assert not (await client.call_tool("get_meeting", meeting)).is_error
            preview = (await client.call_tool("delete_meeting", meeting)).structured_content
            confirmed = {**meeting, "confirmation_token": preview["confirmation_token"]}
            sandbox.reset_log()
            redis.stop()  # Redis goes away mid-run
            began = anyio.current_time()
            down = await client.call_tool("get_meeting", meeting)
            write = await client.call_tool("delete_meeting", confirmed)
            assert anyio.current_time() - began < 10  # bounded: no unbounded wait
            for result in (down, write):
                assert result.is_error and "Redis at 127.0.0.1" in result.content[0].text
                assert "nothing was sent to Zoom" in result.content[0].text
            assert redis.url not in down.content[0].text
            assert sandbox.requests == []  # nothing reached Zoom, so nothing can run twice
            with pytest.raises(SharedStateError):
                await app.ready()

            redis.start()  # it comes back: the same process serves again
            assert not (await client.call_tool("get_meeting", meeting)).is_error
            ran = await client.call_tool("delete_meeting", confirmed)
            assert not ran.is_error, ran.content[0].text
            assert await app.ready() == {"redis": "ok", "zoom_token": "ok"}
    finally:
        if redis._proc is None:
            redis.start()
    assert [r.operation for r in sandbox.mutating_requests()] == ["delete_meeting"]
