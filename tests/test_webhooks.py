"""Zoom's recording webhooks keep the transcript index current: the sandbox finishes, trashes, deletes and
recovers recordings and posts Zoom's signed events into the server's real /zoom/webhook route (in-process
here; tests/test_webhooks_http.py does it over the network into `zoom-mcp --transport http`)."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import logging
from datetime import timedelta
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client

from tests.conftest import running
from tests.redis_server import running_redis
from tests.webhooks import SECRET, downloads, list_calls, signed, webhooked
from zoom_mcp.clock import FixedClock
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.sandbox.fixtures import history as h
from zoom_mcp.server import inbox
from zoom_mcp.tasks import service
from zoom_mcp.tasks.events import Change
from zoom_mcp.transport.http import HttpOptions, build_app
from zoom_mcp.transport.security import HttpSecurity
from zoom_mcp.transport.webhook import webhook_routes

pytestmark = pytest.mark.anyio

QUOKKA = [
    ("Sam Okafor", "Let us settle the quokka budget today."),
    ("Alex Rivera", "Agreed: the quokka budget is twelve thousand."),
]


async def search(mcp: Client, query: str, **args: Any) -> dict[str, Any]:
    result = await mcp.call_tool("search_recordings", {"query": query, **args})
    assert not result.is_error, result.content
    data = result.structured_content or {}
    data["text"] = result.content[0].text
    return data


async def test_a_finished_meeting_is_searchable_from_its_webhook_with_no_list_call(
    sandbox: Sandbox, clock: FixedClock
) -> None:
    async with webhooked(sandbox, clock) as (app, _), Client(app.server) as mcp:
        assert app.webhooks is not None and sandbox.webhooks is not None
        assert await sandbox.webhooks.validate()  # Zoom registers the endpoint first
        before = await search(mcp, "launch date")  # lists the last 30 days once
        assert before["freshness"]["source"] == "zoom" and before["freshness"]["zoom_list_calls"] >= 1
        sandbox.reset_log()
        clock.advance(60)
        instance = sandbox.finish_meeting("Quokka sync", said=QUOKKA)
        made = await sandbox.webhooks.flush()
        assert [(d.event, d.status) for d in made] == [
            ("recording.completed", 200),
            ("recording.transcript_completed", 200),
        ]
        # The very next search finds it (it lets the accepted events be applied first), within a second on the
        # pinned clock: the downloads' pacing is all the time it takes, and nothing here sleeps for real.
        answered = clock.monotonic()
        found = await search(mcp, "quokka budget")
        assert clock.monotonic() - answered < 1.0
        assert found["freshness"]["webhook_events_pending"] == 0
        assert list_calls(sandbox) == 0
        assert downloads(sandbox) and downloads(sandbox) == downloads(sandbox, "download_token")
        sandbox.reset_log()
        again = await search(mcp, "quokka budget")
        assert again["hits"] == found["hits"] and list_calls(sandbox) == 0 and downloads(sandbox) == []
        top = found["hits"][0]
        assert (top["topic"], top["meeting_uuid"], top["source"]) == ("Quokka sync", instance["uuid"], "transcript")
        assert {hit["speaker"] for hit in found["hits"]} == {"Sam Okafor", "Alex Rivera"}
        assert found["freshness"]["source"] == "index" and found["freshness"]["zoom_list_calls"] == 0
        assert "no Zoom list call" in found["text"]


async def test_one_of_several_replicas_takes_webhooks_but_never_answers_from_its_index_alone(
    sandbox: Sandbox, clock: FixedClock
) -> None:
    """With ZOOM_MCP_REDIS_URL the server is one of several replicas: Zoom sends each event to one of them and
    each index is its own, so a range listed here is listed again (it once answered from this replica's index
    with no list call, missing what Zoom had sent to another replica)."""
    with running_redis() as url:
        env = {"ZOOM_MCP_REDIS_URL": url, "ZOOM_MCP_SECRET": "s3cret-for-the-test"}
        async with webhooked(sandbox, clock, env) as (app, _), Client(app.server) as mcp:
            assert app.webhooks is not None and sandbox.webhooks is not None
            assert await sandbox.webhooks.validate()
            await search(mcp, "launch date")  # lists the last 30 days
            clock.advance(60)
            sandbox.finish_meeting("Quokka sync", said=QUOKKA)
            made = await sandbox.webhooks.flush()
            assert [d.status for d in made] == [200, 200]  # taken, and indexed here
            await app.webhooks.settled()
            sandbox.reset_log()
            found = await search(mcp, "quokka budget")
            assert found["hits"] and downloads(sandbox) == []  # the webhook had it indexed already
            assert found["freshness"]["source"] == "zoom" and list_calls(sandbox) >= 1
            assert found["freshness"]["webhooks_live_since"] is None
            assert "one of several replicas" in found["text"]


async def test_without_webhooks_every_search_lists(sandbox: Sandbox, clock: FixedClock) -> None:
    async with running(sandbox, clock) as app, Client(app.server) as mcp:
        assert app.webhooks is None
        await search(mcp, "launch date")
        sandbox.reset_log()
        again = await search(mcp, "launch date")
        assert list_calls(sandbox) >= 1 and again["freshness"]["source"] == "zoom"
        assert again["freshness"]["webhooks_live_since"] is None


async def test_trashed_and_deleted_recordings_leave_search_at_once_and_recovered_ones_return(
    sandbox: Sandbox, clock: FixedClock
) -> None:
    async with webhooked(sandbox, clock, confirm="off") as (app, _), Client(app.server) as mcp:
        assert app.webhooks is not None and sandbox.webhooks is not None
        await sandbox.webhooks.validate()
        first = await search(mcp, "launch date")
        retro = first["hits"][0]["meeting_uuid"]
        trashed = await mcp.call_tool("delete_meeting_recordings", {"meetingId": retro})
        assert not trashed.is_error, trashed.content
        # No settling: a removal is applied while the receiver answers Zoom.
        assert [d.event for d in sandbox.webhooks.deliveries][-1] == "recording.trashed"
        gone = await search(mcp, "launch date")
        assert retro not in {hit["meeting_uuid"] for hit in gone["hits"]}
        assert gone["freshness"]["source"] == "index"
        recovered = await mcp.call_tool("recover_meeting_recordings", {"meetingUUID": retro})
        assert not recovered.is_error, recovered.content
        await app.webhooks.settled()
        sandbox.reset_log()
        back = await search(mcp, "launch date")
        assert back["hits"][0]["meeting_uuid"] == retro and list_calls(sandbox) == 0
        deleted = await mcp.call_tool("delete_meeting_recordings", {"meetingId": retro, "action": "delete"})
        assert not deleted.is_error, deleted.content
        assert sandbox.webhooks.deliveries[-1].event == "recording.deleted"
        final = await search(mcp, "launch date")
        assert retro not in {hit["meeting_uuid"] for hit in final["hits"]}


async def test_a_longer_range_lists_only_what_no_search_listed(sandbox: Sandbox, clock: FixedClock) -> None:
    async with webhooked(sandbox, clock) as (app, _), Client(app.server) as mcp:
        assert sandbox.webhooks is not None
        await sandbox.webhooks.validate()
        await search(mcp, "budget")  # the last 30 days
        sandbox.reset_log()
        today = clock.today()
        wider = await search(mcp, "budget", **{"from": (today - timedelta(days=60)).isoformat()})
        listed = [r.query for r in sandbox.requests if r.operation == "list_user_recordings"]
        assert wider["freshness"]["source"] == "index+zoom"
        assert [(q["from"], q["to"]) for q in listed] == [
            ((today - timedelta(days=60)).isoformat(), (today - timedelta(days=31)).isoformat())
        ]
        sandbox.reset_log()
        await search(mcp, "budget", **{"from": (today - timedelta(days=60)).isoformat()})
        assert list_calls(sandbox) == 0


async def test_a_year_of_history_is_listed_once(clock: FixedClock) -> None:
    sandbox = Sandbox(clock=clock, extra_meetings=40, extra_days=365)
    async with webhooked(sandbox, clock) as (app, _), Client(app.server) as mcp:
        assert sandbox.webhooks is not None
        await sandbox.webhooks.validate()
        start = (clock.today() - timedelta(days=364)).isoformat()
        first = await search(mcp, "pricing", **{"from": start})
        assert first["windows"] == 12 and first["meetings_searched"] >= 40 + len(h.ONE_OFFS)
        sandbox.reset_log()
        again = await search(mcp, "pricing", **{"from": start})
        assert list_calls(sandbox) == 0 and again["meetings_searched"] == first["meetings_searched"]


async def test_a_hand_made_delivery_signed_with_the_secret_is_taken(sandbox: Sandbox, clock: FixedClock) -> None:
    async with webhooked(sandbox, clock) as (app, http):
        body, headers = signed({"event": "meeting.started", "payload": {}}, int(clock.time()))
        answer = await http.post("/zoom/webhook", content=body, headers=headers)
        assert (answer.status_code, answer.json()) == (200, {"status": "ignored"})
        assert app.tasks.freshness.since(clock.time()) is not None


# --- the receiver: what it takes and what it refuses ------------------------------------------------------


def a_recording_event(uuid: str = "hand+made/uuid==") -> dict[str, Any]:
    return {
        "event": "recording.trashed",
        "event_ts": 1,
        "payload": {"account_id": "sandbox-account", "object": {"uuid": uuid, "id": 1, "recording_files": []}},
    }


@pytest.mark.parametrize(
    ("change", "status", "reason"),
    [
        ("unsigned", 401, "unsigned"),
        ("wrong secret", 401, "bad signature"),
        ("stale", 401, "stale"),
        ("future", 401, "future"),
        ("tampered", 401, "bad signature"),
        ("text/plain", 415, "Content-Type"),
        ("huge", 413, "body over"),
        ("not json", 400, "not JSON"),
    ],
)
async def test_deliveries_that_are_not_zoom_s_are_refused_and_change_nothing(
    sandbox: Sandbox, clock: FixedClock, change: str, status: int, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="zoom_mcp.transport.webhook")
    async with webhooked(sandbox, clock) as (app, http):
        assert app.webhooks is not None
        now = int(clock.time())
        stamp = {"stale": now - 301, "future": now + 61}.get(change, now)
        body, headers = signed(a_recording_event(), stamp, secret="wrong" if change == "wrong secret" else SECRET)
        if change == "unsigned":
            headers = {"content-type": "application/json"}
        elif change == "tampered":
            body = body.replace(b"hand+made", b"hand-made")
        elif change == "text/plain":
            headers["content-type"] = "text/plain"
        elif change == "huge":
            body, headers = signed(b'{"event":"x","pad":"' + b"x" * 300_000 + b'"}', now)
        elif change == "not json":
            body, headers = signed(b"{not json", now)
        answer = await http.post("/zoom/webhook", content=body, headers=headers)
        assert answer.status_code == status and reason in answer.json()["error"]
        assert app.webhooks.counts.delivered == 0 and app.tasks.freshness.since(clock.time()) is None
        refusals = [r.getMessage() for r in caplog.records if r.name == "zoom_mcp.transport.webhook"]
        assert len(refusals) == 1 and "webhook refused from" in refusals[0] and reason in refusals[0]
        # The log names the reason and the peer, never the secret, a signature or the body.
        assert SECRET not in caplog.text and "v0=" not in caplog.text and "hand+made" not in caplog.text


async def test_a_replay_is_refused_and_a_duplicate_is_answered_but_not_applied(
    sandbox: Sandbox, clock: FixedClock
) -> None:
    async with webhooked(sandbox, clock) as (app, http):
        assert app.webhooks is not None
        body, headers = signed(a_recording_event(), int(clock.time()))
        first = await http.post("/zoom/webhook", content=body, headers=headers)
        assert (first.status_code, first.json()) == (200, {"status": "applied"})
        replay = await http.post("/zoom/webhook", content=body, headers=headers)
        assert replay.status_code == 409 and "replayed" in replay.json()["error"]
        clock.advance(1)
        again = signed(body, int(clock.time()))[1]  # Zoom's own retry: the same event, signed anew
        duplicate = await http.post("/zoom/webhook", content=body, headers=again)
        assert (duplicate.status_code, duplicate.json()) == (200, {"status": "duplicate"})
        assert app.webhooks.counts.applied == 1 and app.webhooks.counts.duplicates == 1


async def test_the_sandbox_fault_mode_is_refused_where_it_should_be(sandbox: Sandbox, clock: FixedClock) -> None:
    faults = ("bad_signature", "replay", "duplicate")
    async with webhooked(sandbox, clock, faults=faults) as (app, _), Client(app.server) as mcp:
        assert app.webhooks is not None and sandbox.webhooks is not None
        sandbox.finish_meeting("Quokka sync", said=QUOKKA)
        made = await sandbox.webhooks.flush()
        await app.webhooks.settled()
        assert [(d.kind, d.status) for d in made[:4]] == [
            ("bad_signature", 401),
            ("event", 200),
            ("replay", 409),
            ("duplicate", 200),
        ]
        assert made[3].answer == {"status": "duplicate"} and app.webhooks.counts.applied == 2
        found = await search(mcp, "quokka")
        assert len({h["meeting_uuid"] for h in found["hits"]}) == 1  # indexed once


async def test_the_fault_modes_duplicate_is_signed_anew_even_when_the_clock_ticks_meanwhile(
    sandbox: Sandbox, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each reading of the sender's clock a second later than the last: the duplicate must still differ from the
    first delivery (it once re-read the clock and, a second on, signed the very same request: a replay, 409)."""
    async with webhooked(sandbox, clock, faults=("duplicate",)) as (app, _):
        assert app.webhooks is not None and sandbox.webhooks is not None
        assert await sandbox.webhooks.validate()
        sandbox.finish_meeting("Quokka sync", said=QUOKKA, transcript=False)
        ticks = itertools.count()

        class Ticking:  # the sandbox's own readings only; the server keeps the pinned clock
            def time(self) -> float:
                return clock.time() + next(ticks)

        monkeypatch.setattr(sandbox, "clock", Ticking())
        made = await sandbox.webhooks.flush()
        assert [(d.kind, d.status) for d in made] == [("event", 200), ("duplicate", 200)]
        assert made[1].answer == {"status": "duplicate"}


async def test_the_endpoint_validation_is_answered_only_when_signed(sandbox: Sandbox, clock: FixedClock) -> None:
    async with webhooked(sandbox, clock) as (app, http):
        challenge = {"event": "endpoint.url_validation", "payload": {"plainToken": "qgg8vlvZRS6UYooatFL8Aw"}}
        body, headers = signed(challenge, int(clock.time()))
        answer = await http.post("/zoom/webhook", content=body, headers=headers)
        expected = hmac.new(SECRET.encode(), b"qgg8vlvZRS6UYooatFL8Aw", hashlib.sha256).hexdigest()
        assert answer.json() == {"plainToken": "qgg8vlvZRS6UYooatFL8Aw", "encryptedToken": expected}
        assert app.tasks.freshness.since(clock.time()) is not None
        # Unsigned, it would be an HMAC oracle: the HMAC of "v0:{ts}:{forged body}" is a valid signature.
        forged = {"event": "endpoint.url_validation", "payload": {"plainToken": "v0:1:{}"}}
        unsigned = await http.post("/zoom/webhook", json=forged)
        assert unsigned.status_code == 401 and "encryptedToken" not in unsigned.text
        odd, odd_headers = signed(forged, int(clock.time()))
        assert (await http.post("/zoom/webhook", content=odd, headers=odd_headers)).status_code == 400


async def test_other_paths_still_need_the_bearer_token(sandbox: Sandbox, clock: FixedClock) -> None:
    async with webhooked(sandbox, clock) as (app, _):
        security = HttpSecurity(token="s3cret", webhook=True)
        routes = webhook_routes(app.webhooks, SECRET, clock) if app.webhooks else []
        http_app = build_app(app.server, HttpOptions(), security, extra_routes=routes)
        async with httpx2.AsyncClient(
            transport=httpx2.ASGITransport(app=http_app), base_url="http://127.0.0.1"
        ) as http:
            assert (await http.get("/mcp")).status_code == 401
            assert (await http.get("/healthz")).status_code == 200  # the probes need no token (issue 17)
            assert (await http.get("/zoom/webhook")).status_code == 401  # only POST to exactly this path is exempt
            assert (await http.post("/zoom/webhook/", content=b"{}")).status_code == 401
            body, headers = signed(a_recording_event(), int(clock.time()))
            assert (await http.post("/zoom/webhook", content=body, headers=headers)).status_code == 200


async def test_a_late_event_cannot_bring_back_a_trashed_recording(sandbox: Sandbox, clock: FixedClock) -> None:
    async with webhooked(sandbox, clock) as (app, _), Client(app.server) as mcp:
        assert app.webhooks is not None and sandbox.webhooks is not None
        await sandbox.webhooks.validate()
        await search(mcp, "quokka")
        instance = sandbox.finish_meeting("Quokka sync", said=QUOKKA)
        completed = sandbox.webhooks.outbox[:]  # held back: they arrive after the trash
        sandbox.webhooks.outbox.clear()
        clock.advance(5)
        async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=sandbox.app)) as zoom:
            answer = await zoom.delete(
                f"http://sandbox.zoom-mcp.local/v2/meetings/{instance['id']}/recordings",
                headers={"Authorization": "Bearer sandbox-token"},
            )
            assert answer.status_code == 204
        sandbox.webhooks.outbox.extend(completed)
        await sandbox.webhooks.flush()
        await app.webhooks.settled()
        assert [d.event for d in sandbox.webhooks.deliveries[-2:]] == [
            "recording.completed",
            "recording.transcript_completed",
        ]
        found = await search(mcp, "quokka")
        assert found["hits"] == [] and found["freshness"]["source"] == "index"


async def test_a_full_queue_refuses_with_503_and_stops_relying_on_webhooks(
    sandbox: Sandbox, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with webhooked(sandbox, clock) as (app, http), Client(app.server) as mcp:
        assert app.webhooks is not None and sandbox.webhooks is not None
        await sandbox.webhooks.validate()
        await search(mcp, "launch date")
        release = anyio.Event()

        async def stuck(change: Change) -> None:  # a subscriber that takes its time: the worker waits on it
            await release.wait()

        monkeypatch.setattr(app.webhooks.subscriptions, "publish", stuck)
        while app.webhooks._offer(inbox._Job(change=Change(list_changed=True))):
            await anyio.sleep(0)
        body, headers = signed(
            {"event": "recording.completed", "payload": {"object": {"uuid": "x"}}}, int(clock.time())
        )
        busy = await http.post("/zoom/webhook", content=body, headers=headers)
        assert busy.status_code == 503 and busy.headers["retry-after"] == "300"
        assert app.tasks.freshness.since(clock.time()) is None
        release.set()
        await app.webhooks.settled()
        sandbox.reset_log()
        await search(mcp, "launch date")
        assert list_calls(sandbox) >= 1  # the index may miss that event: Zoom is asked again
        retried = signed(body, int(clock.time()) - 1)[1]  # Zoom delivers it again later
        assert (await http.post("/zoom/webhook", content=body, headers=retried)).json() == {"status": "queued"}


async def test_a_search_waits_briefly_for_accepted_events_and_says_what_is_still_arriving(
    sandbox: Sandbox, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with webhooked(sandbox, clock) as (app, _), Client(app.server) as mcp:
        assert app.webhooks is not None and sandbox.webhooks is not None
        await sandbox.webhooks.validate()
        await search(mcp, "launch date")
        release = anyio.Event()
        apply = app.webhooks.events.apply

        async def slow(event: dict[str, Any]) -> Change:  # a download that takes longer than a search waits
            await release.wait()
            return await apply(event)

        monkeypatch.setattr(app.webhooks.events, "apply", slow)
        monkeypatch.setattr(service, "CATCH_UP", 0.01)  # the bound only: the outcome does not depend on it
        sandbox.finish_meeting("Quokka sync", said=QUOKKA)
        await sandbox.webhooks.flush()
        early = await search(mcp, "quokka")
        assert early["hits"] == [] and early["freshness"]["webhook_events_pending"] == 2
        assert "2 webhook events" in early["text"] and "still being downloaded" in early["text"]
        release.set()
        sandbox.reset_log()
        later = await search(mcp, "quokka")
        assert later["hits"] and later["freshness"]["webhook_events_pending"] == 0 and list_calls(sandbox) == 0


async def test_a_webhook_naming_a_file_off_zooms_hosts_gets_no_token_and_indexes_nothing(
    sandbox: Sandbox, clock: FixedClock
) -> None:
    async with webhooked(sandbox, clock) as (app, http), Client(app.server) as mcp:
        assert app.webhooks is not None and sandbox.webhooks is not None
        await sandbox.webhooks.validate()
        await search(mcp, "launch date")
        instance = sandbox.finish_meeting("Quokka sync", said=QUOKKA)
        events, sandbox.webhooks.outbox = sandbox.webhooks.outbox, []
        for event in events:  # the same events, signed, but every file said to be elsewhere
            for f in event["payload"]["object"]["recording_files"]:
                f["download_url"] = "https://files.example.net/rec/" + f["id"]
        sandbox.reset_log()
        for event in events:
            body, headers = signed(event, int(clock.time()))
            assert (await http.post("/zoom/webhook", content=body, headers=headers)).status_code == 200
        await app.webhooks.settled()
        assert downloads(sandbox) == []  # nothing was fetched, so no token went anywhere
        assert any("files.example.net" in failure for failure in app.webhooks.events.failures)
        found = await search(mcp, "quokka")
        assert found["hits"] == [] and instance["uuid"] not in {h["meeting_uuid"] for h in found["hits"]}
