"""Replicas, as the README's "Running several replicas" runs them: three `zoom-mcp --transport http --stateless`
behind Debian's haproxy, one real redis-server, one `zoom-mcp sandbox --port` as Zoom, all real processes.

- A burst from 30 sessions: Zoom (the sandbox, counting what it received by second) never sees more than the
  plan's per-second rate of any label, however the load balancer spreads the calls.
- An approval created through one replica is approved on another's page and released by a third, once.
- A replica killed mid-call: the client's retry through the load balancer reaches another, no call is lost,
  and nothing runs twice.
"""

from __future__ import annotations

import collections
import math
from collections.abc import Iterator
from typing import Any

import anyio
import httpx2
import pytest

import zoom_mcp.sandbox.fixtures as s
from tests.cluster import HEADERS, Cluster, call, cluster, session
from tests.test_approvals import Person, enrolled_config
from zoom_mcp.client.pacing import PLANS

pytestmark = pytest.mark.anyio
SLOW = "list_meeting_polls"  # delayed at the sandbox, so that calls are in flight when a replica dies
FAULTS = f'[{{"fault": "delay", "seconds": 1.5, "times": 1000000, "operation": "{SLOW}"}}]'


@pytest.fixture(scope="module")
def replicas() -> Iterator[Cluster]:
    # One passkey, enrolled in the config directory every replica reads.
    with (
        enrolled_config() as config,
        cluster(3, args=("--toolsets", "all", "--confirm", "human"), env=config, sandbox_faults=FAULTS) as c,
    ):
        yield c


async def test_a_burst_from_30_sessions_never_exceeds_the_plan_rate_at_zoom(replicas: Cluster) -> None:
    before = len(replicas.sandbox_requests())
    calls = [("get_device", {"deviceId": s.ZOOM_ROOM_DEVICE_ID})] * 2 + [
        ("get_meeting", {"meetingId": s.SCHEDULED_MEETING_ID})
    ] * 3
    results: list[Any] = []

    async def one() -> None:
        async with session(replicas.lb) as client:
            for name, arguments in calls:
                results.append(await client.call_tool(name, arguments))

    async with anyio.create_task_group() as tg:
        for _ in range(30):
            tg.start_soon(one)
    assert len(results) == 150 and not any(r.is_error for r in results)
    seen = [r for r in replicas.sandbox_requests()[before:] if r["label"]]
    assert sum(1 for r in seen if r["operation"] == "get_device") == 60
    per_second = collections.Counter((r["label"], math.floor(r["at"])) for r in seen)
    rates = PLANS["pro"]
    worst = {label: max(n for (lab, _), n in per_second.items() if lab == label) for label, _ in per_second}
    for label, most in worst.items():
        assert most <= rates[label], (label, most, sorted(per_second.items()))
    assert worst["HEAVY"] == 10  # the burst did reach the limit: the pacing held it there
    # The three replicas shared the work (round robin), so only shared pacing kept the account's limit.
    assert all('"path":"/mcp","status":200' in p.stderr() for p in replicas.replicas)


async def test_an_approval_created_on_one_replica_is_approved_on_another_and_released_by_a_third(
    replicas: Cluster,
) -> None:
    a, b, c = replicas.replicas
    meeting = {"meetingId": s.RECURRING_MEETING_ID}
    first, _ = await call(a.base, "delete_meeting", meeting)
    data = first.structured_content
    assert data["status"] == "approval_required", first.content[0].text
    url = data["approval_url"]
    assert url.startswith(f"http://localhost:{a.port}/approvals/")
    on_b = Person(url.replace(f":{a.port}/", f":{b.port}/"))  # the page, served by another replica
    assert "DELETE /meetings/" in await on_b.page()
    decided = await on_b.decide("approve")
    assert decided.status_code == 200 and "Approved" in decided.text, decided.text
    assert not [r for r in replicas.sandbox_requests() if r["operation"] == "delete_meeting"]

    released, _ = await call(c.base, "delete_meeting", meeting)  # a third replica runs it
    assert not released.is_error and "answered HTTP 204" in released.content[0].text, released.content[0].text
    again, _ = await call(a.base, "delete_meeting", meeting)  # spent everywhere: a new approval, not a second run
    assert again.structured_content["status"] == "approval_required"
    deletes = [r for r in replicas.sandbox_requests() if r["operation"] == "delete_meeting"]
    assert [r["status"] for r in deletes] == [204]


async def test_the_pages_and_probes_need_no_token_and_readiness_checks_redis(replicas: Cluster) -> None:
    for proc in replicas.replicas:
        ready = httpx2.get(f"{proc.base}/readyz", timeout=10)
        assert ready.status_code == 200 and ready.json() == {"status": "ready", "redis": "ok", "zoom_token": "ok"}
    assert httpx2.post(f"{replicas.lb}/mcp", json={}, timeout=10).status_code == 401
    assert httpx2.get(f"{replicas.lb}/healthz", headers=HEADERS, timeout=10).json()["stateless"] is True


async def test_killing_a_replica_mid_call_loses_no_call_and_runs_nothing_twice(replicas: Cluster) -> None:
    before = len(replicas.sandbox_requests())
    victim = replicas.replicas[1]
    outcomes: list[tuple[Any, int]] = []

    async def session(i: int) -> None:
        for _ in range(3):
            outcomes.append(await call(replicas.lb, SLOW, {"meetingId": s.SCHEDULED_MEETING_ID}, attempts=5))

    async with anyio.create_task_group() as tg:
        for i in range(30):
            tg.start_soon(session, i)

        async def kill_when_busy() -> None:
            # Once many calls wait on Zoom (the sandbox holds each 1.5 s), some are the victim's: kill it then.
            with anyio.fail_after(60):
                while httpx2.get(f"{replicas.zoom}/_sandbox/requests", timeout=10).json()["in_flight"] < 12:
                    await anyio.sleep(0.02)
            victim.kill()

        tg.start_soon(kill_when_busy)
    assert len(outcomes) == 90 and not any(result.is_error for result, _ in outcomes)
    retried = sum(1 for _, attempts in outcomes if attempts > 1)
    assert retried >= 1  # some calls were on the replica that died: their retry reached another one
    polls = [r for r in replicas.sandbox_requests()[before:] if r["operation"] == SLOW]
    answered = [r for r in polls if r["status"] == 200]
    # Every call was answered once for the client; the calls cut off by the kill are the only extra requests.
    assert len(answered) >= 90 and len(polls) - len(answered) <= retried

    # A write in flight on a dying replica cannot run twice: an approval is released once, in Redis.
    a, c = replicas.replicas[0], replicas.replicas[2]
    meeting = {"meetingId": s.SCHEDULED_MEETING_ID}
    first, _ = await call(a.base, "delete_meeting", meeting)
    url = first.structured_content["approval_url"]
    assert (await Person(url).decide("approve")).status_code == 200
    async with anyio.create_task_group() as tg:  # a client and its retry, at two replicas at once
        results: list[Any] = []
        for proc in (a, c):
            tg.start_soon(lambda p=proc: _append(results, call(p.base, "delete_meeting", meeting)))
    ran = [r for r, _ in results if not r.is_error and "answered HTTP 204" in r.content[0].text]
    assert len(ran) == 1
    deletes = [r for r in replicas.sandbox_requests() if r["operation"] == "delete_meeting"]
    assert sum(1 for r in deletes if r["status"] == 204) == 2  # this one and the earlier test's, each once


async def _append(results: list[Any], awaitable: Any) -> None:
    results.append(await awaitable)
