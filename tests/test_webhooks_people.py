"""Webhooks under --auth oauth: an event goes to the index of the recording's host, as that person, and is
told only to that person's sessions; another signed-in person's index and sessions never see it. The sandbox
posts its real signed deliveries over loopback into the server's /zoom/webhook, on a pinned clock."""

from __future__ import annotations

import warnings
from typing import Any

import anyio
import mcp_types as types
import pytest
from mcp import Client

from tests.oauth_harness import Browser, connected, sdk_provider, serving
from tests.webhooks import SECRET, list_calls
from zoom_mcp.clock import FixedClock
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.sandbox.fixtures import account as a
from zoom_mcp.sandbox.fixtures.people import OWNER_ID, SAM_ID
from zoom_mcp.tasks.resources import meeting_uri

pytestmark = pytest.mark.anyio


class Heard:
    def __init__(self) -> None:
        self.got: list[str] = []

    async def __call__(self, message: Any) -> None:
        if isinstance(message, types.ResourceListChangedNotification | types.ResourceUpdatedNotification):
            self.got.append(type(message).__name__)


async def search(mcp: Client, query: str) -> dict[str, Any]:
    result = await mcp.call_tool("search_recordings", {"query": query})
    assert not result.is_error, result.content
    return result.structured_content or {}


async def subscribe(mcp: Client, uri: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # resources/subscribe: deprecated at 2026-07-28, current on this era
        await mcp.subscribe_resource(uri)


async def test_each_persons_recordings_reach_their_index_and_sessions_only(sandbox: Sandbox, clock: FixedClock) -> None:
    async with serving(sandbox, clock, {"ZOOM_WEBHOOK_SECRET_TOKEN": SECRET}) as served:
        assert served.app.webhooks is not None
        sender = sandbox.send_webhooks_to(f"{served.base}/zoom/webhook", SECRET)
        alex, sam = Browser(), Browser()
        heard_alex, heard_sam = Heard(), Heard()
        async with (
            connected(served, sdk_provider(served, alex, OWNER_ID), "legacy", message_handler=heard_alex) as as_alex,
            connected(served, sdk_provider(served, sam, SAM_ID), "legacy", message_handler=heard_sam) as as_sam,
        ):
            assert await sender.validate()
            await search(as_alex, "launch date")  # each lists their own last 30 days, webhooks live
            await search(as_sam, "launch date")
            await subscribe(as_alex, meeting_uri(a.RETRO_UUID))
            await subscribe(as_sam, meeting_uri(a.RETRO_UUID))

            sandbox.reset_log()
            alexs = sandbox.finish_meeting("Quokka sync", said=[("Alex Rivera", "The quokka budget is final.")])
            made = await sender.flush()
            assert [d.status for d in made] == [200, 200]
            found = await search(as_alex, "quokka")
            assert [h["meeting_uuid"] for h in found["hits"]] == [alexs["uuid"]] and list_calls(sandbox) == 0
            assert (await search(as_sam, "quokka"))["hits"] == []
            tasks = served.app.tasks
            files = {f["id"] for f in sandbox.state.recordings[alexs["uuid"]]["recording_files"]}
            assert any(tasks.index_for(OWNER_ID).has_file(f) for f in files)
            assert not any(tasks.index_for(SAM_ID).has_file(f) for f in files)

            sams = sandbox.finish_meeting(
                "Wombat review", said=[("Sam Okafor", "The wombat launch moves to May.")], host_id=SAM_ID
            )
            assert [d.status for d in await sender.flush()] == [200, 200]
            assert [h["meeting_uuid"] for h in (await search(as_sam, "wombat"))["hits"]] == [sams["uuid"]]
            assert (await search(as_alex, "wombat"))["hits"] == []

            with anyio.fail_after(10):
                while "ResourceListChangedNotification" not in heard_sam.got:
                    await anyio.sleep(0.01)
            await served.app.webhooks.settled()
            # Alex was told of Alex's recording (and its transcript), Sam of Sam's: two each, none of the other's.
            assert heard_alex.got == heard_sam.got == ["ResourceListChangedNotification"] * 2
        await alex.aclose()
        await sam.aclose()
