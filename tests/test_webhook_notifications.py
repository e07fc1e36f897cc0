"""Agents are told: a session that subscribed hears of recordings that arrive or go, on both protocol eras
(2025's resources/subscribe, 2026-07-28's subscriptions/listen); a session that did not hears nothing."""

from __future__ import annotations

import warnings

import anyio
import pytest
from mcp import Client

from tests.webhooks import Heard, webhooked
from zoom_mcp.clock import FixedClock
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.sandbox.fixtures import account as a
from zoom_mcp.tasks.resources import meeting_uri

pytestmark = pytest.mark.anyio

RETRO = meeting_uri(a.RETRO_UUID, transcript=True)


async def test_2025_sessions_that_subscribed_are_told_and_others_are_not(sandbox: Sandbox, clock: FixedClock) -> None:
    heard, bystander = Heard(), Heard()
    async with (
        webhooked(sandbox, clock, confirm="off") as (app, _),
        Client(app.server, mode="legacy", message_handler=heard) as mcp,
        Client(app.server, mode="legacy", message_handler=bystander) as other,
    ):
        assert app.webhooks is not None and sandbox.webhooks is not None
        capabilities = mcp.server_capabilities.resources
        assert capabilities is not None and capabilities.subscribe and capabilities.list_changed
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # resources/subscribe is deprecated at 2026-07-28, current here
            await mcp.subscribe_resource(RETRO)
        sandbox.finish_meeting("Quokka sync", said=[("Sam Okafor", "The quokka budget is final.")])
        await sandbox.webhooks.flush()
        await app.webhooks.settled()
        # The recording, then its transcript: the list of recordings changed twice, the retro did not.
        assert await heard.until(2) == [("list_changed", None), ("list_changed", None)]
        trashed = await other.call_tool("delete_meeting_recordings", {"meetingId": a.RETRO_UUID})
        assert not trashed.is_error, trashed.content
        await app.webhooks.settled()
        assert (await heard.until(4))[2:] == [("list_changed", None), ("updated", RETRO)]
        await anyio.sleep(0.05)
        assert bystander.got == []


async def test_2026_listen_streams_get_what_they_asked_for(sandbox: Sandbox, clock: FixedClock) -> None:
    async with webhooked(sandbox, clock, confirm="off") as (app, _), Client(app.server) as mcp:
        assert app.webhooks is not None and sandbox.webhooks is not None
        assert mcp.protocol_version == "2026-07-28"
        async with (
            mcp.listen(resources_list_changed=True, resource_subscriptions=[RETRO]) as everything,
            mcp.listen(resource_subscriptions=[meeting_uri("someone-else")]) as unrelated,
        ):
            trashed = await mcp.call_tool("delete_meeting_recordings", {"meetingId": a.RETRO_UUID})
            assert not trashed.is_error, trashed.content
            await app.webhooks.settled()
            got = []
            with anyio.fail_after(10):
                async for event in everything:
                    got.append(event)
                    if len(got) == 2:
                        break
            assert {type(e).__name__ for e in got} == {"ResourcesListChanged", "ResourceUpdated"}
            assert [e.uri for e in got if hasattr(e, "uri")] == [RETRO]
            with anyio.move_on_after(0.1):
                async for event in unrelated:
                    raise AssertionError(f"an unrelated stream was told {event}")
