"""The whole loop over the network: the sandbox (served on loopback, as Zoom) posts its real signed webhooks
into a running `zoom-mcp --transport http`, for each event Zoom sends about recordings.

Both processes read the real clock here (a webhook's timestamp must be near the receiver's now); the
outcomes depend on no date: the sandbox's history is relative to its today, and every wait is bounded
(polls with a deadline; nothing sleeps a fixed time and then looks).
"""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.http_sandbox import serve_asgi, zoom_env
from tests.http_server import free_port, zoom_mcp_http
from tests.webhooks import SECRET, Heard, downloads, list_calls
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.sandbox.fixtures import account as a
from zoom_mcp.tasks.resources import meeting_uri

pytestmark = pytest.mark.anyio

QUOKKA = [("Sam Okafor", "The quokka budget is settled."), ("Alex Rivera", "Twelve thousand for the quokka.")]


@contextmanager
def zoom_and_server(*flags: str) -> Iterator[tuple[Sandbox, str]]:
    """A sandbox served on loopback (as Zoom), and `zoom-mcp --transport http` using it, with webhooks on."""
    port = free_port()
    sandbox = Sandbox(public_url=f"http://127.0.0.1:{port}")
    with serve_asgi(sandbox.app, port=port) as zoom:
        env = {**zoom_env(zoom), "ZOOM_MCP_DOWNLOAD_HOSTS": f"zoom.us,{zoom}", "ZOOM_WEBHOOK_SECRET_TOKEN": SECRET}
        with zoom_mcp_http("--confirm", "off", *flags, env=env) as base:
            yield sandbox, base


@asynccontextmanager
async def session(base: str, **options: Any) -> AsyncIterator[Client]:
    async with (
        httpx2.AsyncClient(timeout=30) as http,
        Client(streamable_http_client(f"{base}/mcp", http_client=http), **options) as client,
    ):
        yield client


async def search(mcp: Client, query: str) -> dict[str, Any]:
    result = await mcp.call_tool("search_recordings", {"query": query})
    assert not result.is_error, result.content
    return result.structured_content or {}


async def eventually(check: Callable[[], Any], within: float = 5.0) -> None:
    """Poll until `check()` (awaited) is true; fails after `within` seconds."""
    with anyio.fail_after(within):
        while not await check():
            await anyio.sleep(0.02)


async def delivered(sandbox: Sandbox, event: str) -> None:
    """Until the sandbox has posted `event` and had its answer (it posts once it has answered the API call)."""

    async def done() -> bool:
        sent = sandbox.webhooks.deliveries if sandbox.webhooks else []
        return any(d.event == event and d.kind == "event" and d.status == 200 for d in sent)

    await eventually(done)


async def test_each_recording_event_through_a_real_signed_post_keeps_search_current() -> None:
    with zoom_and_server() as (sandbox, base):
        sender = sandbox.send_webhooks_to(f"{base}/zoom/webhook", SECRET)
        heard = Heard()
        async with session(base) as mcp, session(base, mode="legacy", message_handler=heard) as watcher:
            assert await sender.validate()  # Zoom's endpoint check, answered with the HMAC of its plainToken
            await search(mcp, "launch date")  # lists the last 30 days once

            # recording.completed + recording.transcript_completed: searchable within a second, no list call
            sandbox.reset_log()
            instance = sandbox.finish_meeting("Quokka sync", said=QUOKKA)
            brief, transcript = meeting_uri(instance["uuid"]), meeting_uri(instance["uuid"], transcript=True)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # resources/subscribe: deprecated at 2026-07-28, current here
                await watcher.subscribe_resource(transcript)
                await watcher.subscribe_resource(brief)
            made = await sender.flush()
            assert [(d.event, d.status) for d in made] == [
                ("recording.completed", 200),
                ("recording.transcript_completed", 200),
            ]

            # Searchable within a second of the webhook, with no list call: one search, no polling (a search lets
            # the events Zoom was answered for reach the index first), under a one-second deadline.
            with anyio.fail_after(1.0):
                found = await search(mcp, "quokka")
            assert found["hits"][0]["meeting_uuid"] == instance["uuid"]

            async def quokka_found() -> bool:
                return bool((await search(mcp, "quokka"))["hits"])

            assert found["freshness"]["source"] == "index" and found["freshness"]["zoom_list_calls"] == 0
            assert list_calls(sandbox) == 0 and downloads(sandbox) == downloads(sandbox, "download_token") != []

            # recording.trashed (through MCP, as an agent would): gone from search at once, subscribers told
            trashed = await mcp.call_tool("delete_meeting_recordings", {"meetingId": instance["uuid"]})
            assert not trashed.is_error, trashed.content
            await delivered(sandbox, "recording.trashed")
            assert (await search(mcp, "quokka"))["hits"] == []  # applied before Zoom was answered

            async def told() -> bool:
                return ("updated", transcript) in heard.got

            await eventually(told)
            assert ("list_changed", None) in heard.got

            # recording.recovered: back, downloaded with the event's own token (the index had forgotten it)
            recovered = await mcp.call_tool("recover_meeting_recordings", {"meetingUUID": instance["uuid"]})
            assert not recovered.is_error, recovered.content
            await delivered(sandbox, "recording.recovered")
            await eventually(quokka_found)

            # recording.deleted: gone for good
            deleted = await mcp.call_tool(
                "delete_meeting_recordings", {"meetingId": instance["uuid"], "action": "delete"}
            )
            assert not deleted.is_error, deleted.content
            await delivered(sandbox, "recording.deleted")
            assert (await search(mcp, "quokka"))["hits"] == []

            # meeting.summary_completed: the brief changed; its subscribers are told
            heard.got.clear()
            summarized = sandbox.finish_meeting("Wombat review", said=QUOKKA, summary=True)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                await watcher.subscribe_resource(meeting_uri(summarized["uuid"]))
            made = await sender.flush()
            assert [d.event for d in made][-1] == "meeting.summary_completed" and made[-1].status == 200

            async def summary_told() -> bool:
                return ("updated", meeting_uri(summarized["uuid"])) in heard.got

            await eventually(summary_told)
            assert list_calls(sandbox) == 0  # nothing in all of this listed recordings again


async def test_fault_mode_over_the_network_is_refused_replayed_and_deduplicated() -> None:
    with zoom_and_server() as (sandbox, base):
        sender = sandbox.send_webhooks_to(
            f"{base}/zoom/webhook", SECRET, faults=("bad_signature", "replay", "duplicate")
        )
        sandbox.finish_meeting("Quokka sync", said=QUOKKA, transcript=False)
        made = await sender.flush()
        assert [(d.kind, d.status) for d in sender.deliveries] == [
            ("validation", 200),
            ("bad_signature", 401),
            ("event", 200),
            ("replay", 409),
            ("duplicate", 200),
        ]
        assert made[-1].answer == {"status": "duplicate"}


async def test_the_sandbox_in_the_server_posts_its_webhooks_to_the_server_itself() -> None:
    """`ZOOM_WEBHOOK_SECRET_TOKEN=... zoom-mcp --sandbox --transport http`: the whole loop in one process."""
    with zoom_mcp_http("--sandbox", "--confirm", "off", env={"ZOOM_WEBHOOK_SECRET_TOKEN": SECRET}) as base:
        async with session(base) as mcp:

            async def live() -> bool:  # the sandbox registered its endpoint once the server listened
                return (await search(mcp, "launch date"))["freshness"]["webhooks_live_since"] is not None

            await eventually(live, within=10)
            await search(mcp, "launch date")  # listed while webhooks are live
            meeting = a.LIVE_MEETING_ID
            updated = await mcp.call_tool(
                "update_meeting", {"meetingId": meeting, "settings": {"auto_recording": "cloud"}}
            )
            assert not updated.is_error, updated.content
            ended = await mcp.call_tool("update_meeting_status", {"meetingId": meeting, "action": "end"})
            assert not ended.is_error, ended.content

            async def recorded() -> bool:
                answer = await search(mcp, "all-hands")
                return any(t["topic"] == "All-hands (live now)" for t in answer["topic_matches"])

            await eventually(recorded)
            assert (await search(mcp, "all-hands"))["freshness"]["zoom_list_calls"] == 0
