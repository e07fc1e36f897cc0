"""`--auth oauth` end to end on the sandbox: the SDK's own OAuth client discovers the server from its 401,
registers, sends the person through our consent page and the sandbox's Zoom sign-in, and calls tools as
that person; two people with different Zoom scopes see different tools and their own data."""

from __future__ import annotations

import json
import re
import stat
from contextlib import ExitStack
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from mcp import Client
from mcp.client.sse import sse_client

from tests.conftest import PINNED
from tests.http_sandbox import serve_sandbox
from tests.oauth_harness import Browser, connected, sdk_provider, serving, signed_in_tokens
from tests.redis_server import running_redis
from zoom_mcp.app.commands.serve import check_bind
from zoom_mcp.app.settings import load
from zoom_mcp.clock import FixedClock
from zoom_mcp.errors import ConfigError
from zoom_mcp.sandbox import SANDBOX_CREDENTIALS, Sandbox
from zoom_mcp.sandbox.fixtures.account import BUDGET_UUID, CUSTOMER_UUID, SCHEDULED_MEETING_ID
from zoom_mcp.sandbox.fixtures.people import OWNER_EMAIL, OWNER_ID, SAM_EMAIL, SAM_ID

pytestmark = pytest.mark.anyio


async def test_dcr_sign_in_then_tools_as_the_person(sandbox: Sandbox, clock: FixedClock) -> None:
    async with serving(sandbox, clock, hide_unauthorized=True) as served:
        alex, sam = Browser(), Browser()
        async with (
            connected(served, sdk_provider(served, alex, OWNER_ID)) as as_alex,
            connected(served, sdk_provider(served, sam, SAM_ID), mode="legacy") as as_sam,
        ):
            # Both protocol eras behind the same authorization: 2026-07-28 (discover) and 2025-11-25 (initialize).
            assert (as_alex.protocol_version, as_sam.protocol_version) == ("2026-07-28", "2025-11-25")
            alex_tools = {t.name for t in (await as_alex.list_tools()).tools}
            sam_tools = {t.name for t in (await as_sam.list_tools()).tools}
            assert "delete_meeting_recordings" in alex_tools and "list_webinars" in alex_tools
            assert "delete_meeting_recordings" not in sam_tools and "list_webinars" not in sam_tools
            assert "list_user_recordings" in sam_tools and sam_tools < alex_tools

            mine = await as_sam.call_tool("list_user_recordings", {"userId": "me", "from": "2026-06-01"})
            hosts = {m["host_id"] for m in (mine.structured_content or {})["meetings"]}
            uuids = {m["uuid"] for m in (mine.structured_content or {})["meetings"]}
            assert hosts == {SAM_ID} and CUSTOMER_UUID in uuids and BUDGET_UUID not in uuids
            theirs = await as_alex.call_tool("list_user_recordings", {"userId": "me", "from": "2026-06-01"})
            assert BUDGET_UUID in {m["uuid"] for m in (theirs.structured_content or {})["meetings"]}

            refused = await as_sam.call_tool("delete_meeting_recordings", {"meetingId": CUSTOMER_UUID})
            assert refused.is_error and "cloud_recording:delete:meeting_recording," in refused.content[0].text  # named
            assert not [r for r in sandbox.mutating_requests() if r.operation == "delete_meeting_recordings"]
        await alex.aclose()
        await sam.aclose()


async def test_the_audit_log_names_the_person(sandbox: Sandbox, clock: FixedClock, tmp_path: Path) -> None:
    """Every write and destructive step names who it ran as: a dry run and a real write by Sam, a
    destructive call asked for, then confirmed and executed, by Alex."""
    log = tmp_path / "audit.jsonl"
    async with serving(sandbox, clock, audit_log=str(log)) as served:
        alex, sam = Browser(), Browser()
        async with (
            connected(served, sdk_provider(served, alex, OWNER_ID), mode="legacy") as as_alex,
            connected(served, sdk_provider(served, sam, SAM_ID)) as as_sam,
        ):
            dry = await as_sam.call_tool("create_meeting", {"userId": "me", "topic": "Planning", "dry_run": True})
            assert not dry.is_error
            made = await as_sam.call_tool("create_meeting", {"userId": "me", "topic": "Planning"})
            assert not made.is_error, made.content
            meeting = {"meetingId": SCHEDULED_MEETING_ID}
            preview = await as_alex.call_tool("delete_meeting", meeting)
            token = (preview.structured_content or {})["confirmation_token"]
            done = await as_alex.call_tool("delete_meeting", {**meeting, "confirmation_token": token})
            assert not done.is_error, done.content
        await alex.aclose()
        await sam.aclose()
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    steps = {(e["tool"], e["event"], e["person"], e["email"]) for e in entries}
    assert ("create_meeting", "dry_run", SAM_ID, SAM_EMAIL) in steps
    assert ("create_meeting", "executed", SAM_ID, SAM_EMAIL) in steps
    assert ("delete_meeting", "executed", OWNER_ID, OWNER_EMAIL) in steps
    assert all(
        (e["person"], e["email"]) == ((SAM_ID, SAM_EMAIL) if e["tool"] == "create_meeting" else (OWNER_ID, OWNER_EMAIL))
        for e in entries
    )


@pytest.mark.parametrize("where", ["sqlite", "redis"])
async def test_a_deployment_against_zoom_over_http(where: str, tmp_path: Path) -> None:
    """Not the in-process sandbox: Zoom is a server the browser and the server reach over HTTP (`zoom-mcp
    sandbox`, standing in for zoom.us), the General app's credentials and a sealing key come from the
    environment, and the sign-ins are kept sealed: in the config directory's owner-only SQLite file, or in a
    real Redis when ZOOM_MCP_REDIS_URL is set."""
    clock = FixedClock(PINNED)
    zoom = Sandbox(clock=clock)
    with ExitStack() as stack:
        origin = stack.enter_context(serve_sandbox(zoom))
        env = {
            "ZOOM_CLIENT_ID": SANDBOX_CREDENTIALS.client_id,
            "ZOOM_CLIENT_SECRET": SANDBOX_CREDENTIALS.client_secret,
            "ZOOM_OAUTH_AUTHORIZE_URL": f"{origin}/oauth/authorize",
            "ZOOM_OAUTH_TOKEN_URL": f"{origin}/oauth/token",
            "ZOOM_API_BASE_URL": f"{origin}/v2",
            "ZOOM_MCP_DOWNLOAD_HOSTS": f"zoom.us,{origin}",
            "ZOOM_MCP_OAUTH_KEY": Fernet.generate_key().decode(),
            "ZOOM_MCP_CONFIG_DIR": str(tmp_path),
        }
        if where == "redis":
            env["ZOOM_MCP_REDIS_URL"] = stack.enter_context(running_redis())
            env["ZOOM_MCP_SECRET"] = "a-secret-every-replica-shares"  # Redis needs it (it seals what is shared)
        async with serving(None, clock, env) as served:
            sam = Browser()
            async with connected(served, sdk_provider(served, sam, SAM_ID)) as client:
                found = await client.call_tool("search_recordings", {"query": "pricing"})
                assert not found.is_error
                me = await client.call_tool("list_user_meetings", {"userId": "me"})
                assert not me.is_error
            await sam.aclose()
        store = tmp_path / "oauth.sqlite3"
        if where == "sqlite":
            assert stat.S_IMODE(store.stat().st_mode) == 0o600
            raw = store.read_bytes()
        else:
            import redis

            assert not store.exists()
            direct = redis.Redis.from_url(env["ZOOM_MCP_REDIS_URL"])
            keys = direct.keys("*")
            kinds = {k.split(b":")[2] for k in keys}
            assert {b"zoom-grant", b"access", b"refresh", b"session", b"client"} <= kinds
            assert all(k.startswith(b"zoom-mcp:") and direct.pttl(k) > 0 for k in keys)  # every key expires
            raw = b"".join(keys) + b"".join(direct.get(k) or b"" for k in keys if k.startswith(b"zoom-mcp:signin:"))
            direct.close()
    refresh_tokens = zoom.app.user_oauth.refresh_tokens
    assert refresh_tokens and not any(t.encode() in raw for t in refresh_tokens)  # Zoom's tokens: sealed
    assert SAM_EMAIL.encode() not in raw and SAM_ID.encode() not in raw  # nor who signed in


@pytest.mark.parametrize(
    ("env", "flags", "message"),
    [
        ({}, {"transport": "stdio"}, "--transport http"),
        ({"ZOOM_MCP_AUTH_TOKEN": "t"}, {}, "replaces the static bearer token"),
        ({"ZOOM_CLIENT_ID": "id"}, {}, "ZOOM_CLIENT_SECRET"),
        ({"ZOOM_CLIENT_ID": "id", "ZOOM_CLIENT_SECRET": "s"}, {}, "ZOOM_MCP_OAUTH_KEY"),
        ({"ZOOM_ACCOUNT_ID": "a", "ZOOM_CLIENT_ID": "id", "ZOOM_CLIENT_SECRET": "s"}, {}, "General"),
        (
            {"ZOOM_CLIENT_ID": "id", "ZOOM_CLIENT_SECRET": "s", "ZOOM_MCP_OAUTH_KEY": "k"},
            {"host": "0.0.0.0"},
            "--public-url",
        ),
        ({"ZOOM_MCP_PUBLIC_URL": "https://mcp.example.com/zoom"}, {"sandbox": True}, "without a path"),
    ],
)
def test_what_oauth_cannot_start_with(env: dict[str, str], flags: dict[str, object], message: str) -> None:
    settings = load(env, flags={"transport": "http", "auth": "oauth", **flags})
    with pytest.raises(ConfigError, match=re.escape(message)):
        check_bind(settings)


async def test_sse_signs_in_for_its_own_endpoint(sandbox: Sandbox, clock: FixedClock) -> None:
    """The SSE transport is its own resource: its 401 points at its own metadata, and the SDK's client signs
    in for it; a token for /mcp is not one for /sse."""
    async with serving(sandbox, clock) as served:
        sam = Browser()
        bare = await sam.get(f"{served.base}/sse")
        assert bare.status_code == 401
        assert f"{served.base}/.well-known/oauth-protected-resource/sse" in bare.headers["www-authenticate"]
        provider = sdk_provider(served, sam, SAM_ID)
        provider.context.server_url = f"{served.base}/sse"
        async with Client(sse_client(f"{served.base}/sse", auth=provider), mode="legacy") as client:
            me = await client.call_tool("list_user_meetings", {"userId": "me"})
            assert not me.is_error
        _, person, tokens = await signed_in_tokens(served, SAM_ID)
        stream = await person.request(
            "GET", f"{served.base}/sse", headers={"Authorization": f"Bearer {tokens['access_token']}"}
        )
        assert stream.status_code == 401
        await person.aclose()
        await sam.aclose()


async def test_dynamic_discovery_finds_only_what_the_person_may_use(sandbox: Sandbox, clock: FixedClock) -> None:
    async with serving(sandbox, clock, dynamic=True, hide_unauthorized=True) as served:
        alex, sam = Browser(), Browser()
        async with (
            connected(served, sdk_provider(served, alex, OWNER_ID)) as as_alex,
            connected(served, sdk_provider(served, sam, SAM_ID)) as as_sam,
        ):
            query = {"query": "list webinars", "limit": 20}
            for_alex = (await as_alex.call_tool("search_tools", query)).structured_content or {}
            for_sam = (await as_sam.call_tool("search_tools", query)).structured_content or {}
            assert "list_webinars" in {t["name"] for t in for_alex["tools"]}
            assert "list_webinars" not in {t["name"] for t in for_sam["tools"]}
            refused = await as_sam.call_tool("call_tool", {"name": "list_webinars", "arguments": {"userId": "me"}})
            assert refused.is_error and "webinar" in refused.content[0].text
        await alex.aclose()
        await sam.aclose()


async def test_without_hide_unauthorized_zoom_refuses_naming_the_scope(sandbox: Sandbox, clock: FixedClock) -> None:
    async with serving(sandbox, clock) as served:
        sam = Browser()
        async with connected(served, sdk_provider(served, sam, SAM_ID)) as client:
            assert "list_webinars" in {t.name for t in (await client.list_tools()).tools}  # listed for everyone
            refused = await client.call_tool("list_webinars", {"userId": "me"})
            assert refused.is_error and "does not contain scopes" in refused.content[0].text
            assert "webinar:read" in refused.content[0].text
        await sam.aclose()
