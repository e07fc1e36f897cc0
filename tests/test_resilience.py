"""The shared client under faults: retries, refresh, pacing, timeouts, cancellation, long lists."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta

import anyio
import pytest
from mcp import Client

import zoom_mcp.sandbox.fixtures as s
from tests.conftest import CATALOG, PINNED, running, sandbox_settings
from tests.http_sandbox import serve_sandbox, zoom_env
from zoom_mcp.app.settings import load
from zoom_mcp.client.pacing import MARGIN
from zoom_mcp.client.retry import RetryPolicy, retry_after_seconds
from zoom_mcp.clock import Clock, FixedClock
from zoom_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio


def pinned() -> tuple[Sandbox, FixedClock]:
    """A sandbox and the server's clock, pinned together: retries and pacing wait in virtual time."""
    clock = FixedClock(PINNED)
    return Sandbox(clock=clock), clock


class FrozenClock(FixedClock):
    """Time that never moves, even when the client sleeps: each wait asked for is a scheduled send time."""

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        await anyio.sleep(0)


@asynccontextmanager
async def session(
    sandbox: Sandbox,
    clock: Clock,
    *,
    base: str | None = None,
    timeout: float = 30,
    env: dict[str, str] | None = None,
    mode: str = "auto",
) -> AsyncIterator[Client]:
    """`zoom-mcp --sandbox --confirm off` (or, with `base`, pointed at the sandbox served over HTTP)."""
    environment = {"ZOOM_MCP_READ_TIMEOUT": str(timeout), **(env or {})}
    if base:
        settings = load({**zoom_env(base), **environment}, flags={"confirm": "off", "toolsets": "all"})
        async with running(None, clock, settings=settings) as app, Client(app.server, mode=mode) as mcp:
            yield mcp
    else:
        settings = sandbox_settings(environment, confirm="off")
        async with running(sandbox, clock, settings=settings) as app, Client(app.server, mode=mode) as mcp:
            yield mcp


def attempts(sandbox: Sandbox, name: str) -> int:
    return sum(1 for r in sandbox.requests if r.operation == name)


CREATE = {"userId": "me", "topic": "Retro", "type": 2, "start_time": "2030-01-01T10:00:00Z"}


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_get_recovers_from_5xx_with_backoff(status: int) -> None:
    sandbox, clock = pinned()
    sandbox.faults.add("status", status=status, times=2, operation="get_meeting")
    async with session(sandbox, clock) as mcp:
        result = await mcp.call_tool("get_meeting", {"meetingId": s.SCHEDULED_MEETING_ID})
    assert not result.is_error, result.content
    assert attempts(sandbox, "get_meeting") == 3
    base = RetryPolicy().base_delay  # full jitter: uniform in [0, base * 2**(attempt - 1)]
    assert len(clock.slept) == 2 and all(0 <= w <= base * 2**n for n, w in enumerate(clock.slept))


async def test_post_is_never_repeated_after_a_5xx() -> None:
    sandbox, clock = pinned()
    sandbox.faults.add("status", status=503, times=1, operation="create_meeting")
    async with session(sandbox, clock) as mcp:
        result = await mcp.call_tool("create_meeting", CREATE)
    assert result.is_error
    text = result.content[0].text
    assert "HTTP 503" in text and "may have been applied" in text and "check before calling again" in text
    assert attempts(sandbox, "create_meeting") == 1


async def test_rate_limit_waits_for_retry_after_then_retries_even_a_post() -> None:
    sandbox, clock = pinned()
    sandbox.faults.add("rate_limit", retry_after=2, times=2, operation="create_meeting")
    async with session(sandbox, clock) as mcp:
        result = await mcp.call_tool("create_meeting", CREATE)
    assert not result.is_error, result.content
    assert attempts(sandbox, "create_meeting") == 3
    assert clock.slept == [2.0, 2.0]
    assert len([m for m in sandbox.state.meetings.values() if m["topic"] == "Retro"]) == 1


async def test_persistent_rate_limit_gives_up_with_a_clear_message() -> None:
    sandbox, clock = pinned()
    sandbox.faults.add("rate_limit", retry_after=1, times=99)
    async with session(sandbox, clock) as mcp:
        result = await mcp.call_tool("list_user_recordings", {"userId": "me"})
    text = result.content[0].text
    assert result.is_error and "HTTP 429" in text and "4 attempts" in text and "rate limit persisted" in text
    assert attempts(sandbox, "list_user_recordings") == 4


async def test_retry_after_beyond_the_budget_is_not_waited_for() -> None:
    sandbox, clock = pinned()
    sandbox.faults.add("rate_limit", retry_after=3600, times=1)
    async with session(sandbox, clock) as mcp:
        result = await mcp.call_tool("get_meeting", {"meetingId": s.SCHEDULED_MEETING_ID})
    assert result.is_error and "beyond the retry budget" in result.content[0].text
    assert clock.slept == [] and attempts(sandbox, "get_meeting") == 1


async def test_post_is_retried_when_the_connection_was_refused() -> None:
    sandbox, clock = pinned()
    sandbox.faults.add("refuse", times=2, operation="create_meeting")
    async with session(sandbox, clock) as mcp:
        result = await mcp.call_tool("create_meeting", CREATE)
    assert not result.is_error, result.content
    assert attempts(sandbox, "create_meeting") == 1  # the refused tries never reached the sandbox
    assert sandbox.faults.rules[0].fired == 2


async def test_refused_connection_that_persists_says_nothing_was_applied() -> None:
    sandbox, clock = pinned()
    sandbox.faults.add("refuse", times=99, operation="create_meeting")
    async with session(sandbox, clock) as mcp:
        result = await mcp.call_tool("create_meeting", CREATE)
    text = result.content[0].text
    assert result.is_error and "4 attempts" in text and "never reached Zoom, so nothing was applied" in text


@pytest.mark.parametrize("over_http", [False, True])
async def test_dropped_connection_retries_a_get_but_not_a_post(over_http: bool) -> None:
    sandbox, clock = pinned()
    sandbox.faults.add("drop", times=1, operation="get_meeting")
    sandbox.faults.add("drop", times=1, operation="create_meeting")
    with serve_sandbox(sandbox) as base:
        async with session(sandbox, clock, base=base if over_http else None) as mcp:
            got = await mcp.call_tool("get_meeting", {"meetingId": s.SCHEDULED_MEETING_ID})
            created = await mcp.call_tool("create_meeting", CREATE)
    assert not got.is_error and attempts(sandbox, "get_meeting") == 2
    assert created.is_error and "may have been applied" in created.content[0].text
    assert attempts(sandbox, "create_meeting") == 1


async def test_read_timeout_over_http_is_retried_for_a_get() -> None:
    sandbox, clock = pinned()
    sandbox.faults.add("delay", seconds=5, times=1, operation="get_meeting")
    with serve_sandbox(sandbox) as base:
        async with session(sandbox, clock, base=base, timeout=0.3) as mcp:
            result = await mcp.call_tool("get_meeting", {"meetingId": s.SCHEDULED_MEETING_ID})
    assert not result.is_error, result.content
    assert attempts(sandbox, "get_meeting") == 2


async def test_malformed_body_is_a_clear_error_and_the_server_keeps_serving() -> None:
    sandbox, clock = pinned()
    sandbox.faults.add("malformed", times=1)
    async with session(sandbox, clock) as mcp:
        bad = await mcp.call_tool("get_meeting", {"meetingId": s.SCHEDULED_MEETING_ID})
        good = await mcp.call_tool("get_meeting", {"meetingId": s.SCHEDULED_MEETING_ID})
    assert bad.is_error and "not JSON" in bad.content[0].text
    assert not good.is_error


async def test_fifty_concurrent_calls_meeting_a_stale_token_refresh_it_once() -> None:
    sandbox, clock = pinned()
    async with session(sandbox, clock) as mcp:
        await mcp.call_tool("get_meeting", {"meetingId": s.SCHEDULED_MEETING_ID})
        sandbox.expire_tokens()
        sandbox.reset_log()
        results = []

        async def one() -> None:
            results.append(await mcp.call_tool("get_meeting", {"meetingId": s.SCHEDULED_MEETING_ID}))

        async with anyio.create_task_group() as tg:
            for _ in range(50):
                tg.start_soon(one)
    assert not any(r.is_error for r in results)
    assert sandbox.token_requests == 1
    assert [r.status for r in sandbox.requests].count(200) == 50


async def test_expired_token_fault_triggers_one_refresh_and_one_retry() -> None:
    sandbox, clock = pinned()
    sandbox.faults.add("expired_token", times=1, operation="get_meeting")
    async with session(sandbox, clock) as mcp:
        result = await mcp.call_tool("get_meeting", {"meetingId": s.SCHEDULED_MEETING_ID})
    assert not result.is_error
    assert sandbox.token_requests == 2 and attempts(sandbox, "get_meeting") == 2


async def test_persistent_401_is_a_credentials_problem_not_a_loop() -> None:
    sandbox, clock = pinned()
    sandbox.faults.add("expired_token", times=99, operation="get_meeting")
    async with session(sandbox, clock) as mcp:
        result = await mcp.call_tool("get_meeting", {"meetingId": s.SCHEDULED_MEETING_ID})
    assert result.is_error and "ZOOM_CLIENT_ID" in result.content[0].text
    assert sandbox.token_requests == 2 and attempts(sandbox, "get_meeting") == 2


async def test_pacing_keeps_a_burst_of_heavy_calls_within_the_rate() -> None:
    """200 concurrent Heavy calls, Heavy paced at 10/s: 10 in any window of 1.1 s (a second and the margin)."""
    clock = FrozenClock(PINNED)
    sandbox = Sandbox(clock=clock)
    assert CATALOG.get("get_device").rate_limit == "HEAVY"
    rates = {"ZOOM_MCP_RATE_LIMITS": "heavy=10,light=1000"}
    async with session(sandbox, clock, env=rates) as mcp, anyio.create_task_group() as tg:
        for _ in range(200):
            tg.start_soon(mcp.call_tool, "get_device", {"deviceId": s.ZOOM_ROOM_DEVICE_ID})
    assert attempts(sandbox, "get_device") == 200
    # Virtual time does not move, so each call's wait is its scheduled send time.
    times = sorted([0.0] * (200 - len(clock.slept)) + clock.slept)
    for start in times:
        in_window = sum(1 for t in times if start <= t < start + 1.0 + MARGIN - 1e-6)
        assert in_window <= 10, start
    assert max(times) == pytest.approx((200 - 10) / 10 * (1 + MARGIN), abs=0.01)


def test_rate_plans_and_overrides() -> None:
    from zoom_mcp.client.pacing import parse_rates

    assert parse_rates("business")["HEAVY"] == 40
    assert parse_rates("pro", "heavy=5, light=50") == {**parse_rates("pro"), "HEAVY": 5.0, "LIGHT": 50.0}
    with pytest.raises(ValueError, match="unknown rate-limit plan"):
        parse_rates("platinum")
    with pytest.raises(ValueError, match="unknown rate-limit label"):
        parse_rates("pro", "medium-rare=3")


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("3", 3.0), ("0", 0.0), ("Thu, 01 Jan 2026 00:00:10 GMT", 10.0), ("2026-01-01T00:01:00Z", 60.0), ("soon", None)],
)
def test_retry_after_formats(header: str, seconds: float | None) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert retry_after_seconds(header, now) == seconds


async def test_all_pages_follows_tokens_and_stops_at_the_cap() -> None:
    sandbox, clock = pinned()
    span = {"from": (clock.today() - timedelta(days=20)).isoformat()}
    progress: list[tuple[float, str | None]] = []

    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        progress.append((value, message))

    async with session(sandbox, clock) as mcp:
        whole = await mcp.call_tool("list_user_recordings", {"userId": "me", **span, "page_size": 1, "all_pages": True})
        capped = await mcp.call_tool(
            "list_user_recordings",
            {"userId": "me", **span, "page_size": 1, "all_pages": True, "max_records": 3},
            progress_callback=on_progress,
        )
    data = whole.structured_content
    mine = [
        m for m in sandbox.state.recordings.values() if m["host_id"] == s.OWNER_ID and m["start_time"] >= span["from"]
    ]
    assert len(data["meetings"]) == len(mine) > 3  # the seeded recordings and the history's recent ones
    assert data["pagination"]["truncated"] is False and data["next_page_token"] == ""
    assert data["pagination"]["pages"] == len(mine)
    data = capped.structured_content
    assert len(data["meetings"]) == 3 and data["pagination"]["truncated"] is True
    assert "max_records=3" in data["pagination"]["message"]
    assert [value for value, _ in progress] == [1, 2, 3]


async def test_a_four_month_range_is_fetched_in_four_month_windows() -> None:
    sandbox, clock = pinned()
    async with session(sandbox, clock) as mcp:
        result = await mcp.call_tool("list_user_recordings", {"userId": "me", "from": "2026-07-01", "to": "2026-10-31"})
    assert not result.is_error, result.content
    windows = [(r.query["from"], r.query["to"]) for r in sandbox.requests if r.operation == "list_user_recordings"]
    assert windows == [
        ("2026-07-01", "2026-07-31"),
        ("2026-08-01", "2026-08-31"),
        ("2026-09-01", "2026-09-30"),
        ("2026-10-01", "2026-10-31"),
    ]
    data = result.structured_content
    assert data["from"] == "2026-07-01" and data["to"] == "2026-10-31" and data["pagination"]["windows"] == 4


async def test_merged_windows_contain_every_recording() -> None:
    sandbox, clock = pinned()
    today: date = clock.today()
    async with session(sandbox, clock) as mcp:
        result = await mcp.call_tool(
            "list_user_recordings",
            {"userId": "me", "from": (today - timedelta(days=75)).isoformat(), "to": today.isoformat()},
        )
    uuids = {m["uuid"] for m in result.structured_content["meetings"]}
    since = (today - timedelta(days=75)).isoformat()  # the history reaches further back than the range
    assert uuids == {
        u for u, m in sandbox.state.recordings.items() if m["host_id"] == s.OWNER_ID and m["start_time"] >= since
    }


async def test_statistics_over_more_than_seven_days_are_refused_not_summed() -> None:
    sandbox, clock = pinned()
    async with session(sandbox, clock) as mcp:
        result = await mcp.call_tool(
            "get_archived_file_statistics", {"from": "2026-10-01T00:00:00Z", "to": "2026-10-20T00:00:00Z"}
        )
    assert result.is_error and "at most 7 days per request" in result.content[0].text
    assert sandbox.requests == []


async def _cancel_slow_call(mcp: Client) -> None:
    with anyio.move_on_after(0.5):
        await mcp.call_tool("get_meeting", {"meetingId": s.SCHEDULED_MEETING_ID})
        raise AssertionError("the slow call should have been cancelled")


@pytest.mark.parametrize("mode", ["legacy", "auto"])  # notifications/cancelled, and 2026-07-28's structural cancel
@pytest.mark.parametrize("over_http", [False, True])
async def test_cancelling_a_call_abandons_the_upstream_request(over_http: bool, mode: str) -> None:
    sandbox, clock = pinned()
    sandbox.faults.add("delay", seconds=30, times=1, operation="get_meeting")
    with serve_sandbox(sandbox) as base:
        async with session(sandbox, clock, base=base if over_http else None, mode=mode) as mcp:
            await _cancel_slow_call(mcp)
            with anyio.fail_after(10):
                while sandbox.in_flight or not sandbox.abandoned:
                    await anyio.sleep(0.05)
            # The session stays usable, and nothing was retried behind the client's back.
            after = await mcp.call_tool("get_meeting", {"meetingId": s.SCHEDULED_MEETING_ID})
    assert not after.is_error
    assert sandbox.abandoned == 1 and attempts(sandbox, "get_meeting") == 2
