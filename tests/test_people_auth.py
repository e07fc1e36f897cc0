"""`--auth oauth` underneath: the sealed store of sign-ins, and one shared client that sends each request
with the acting person's own Zoom token, refreshing single-flight per person."""

from __future__ import annotations

import os
import stat
from contextlib import ExitStack
from pathlib import Path

import anyio
import httpx2
import pytest
from cryptography.fernet import Fernet

from tests.redis_server import running_redis
from tests.test_sandbox_people import CHALLENGE, REDIRECT, VERIFIER
from zoom_mcp.api import load_catalog
from zoom_mcp.client import ZoomClient
from zoom_mcp.client.people import GrantStore, PeopleAuth, Person, acting_as
from zoom_mcp.client.shared import SIGNIN_PREFIX, RedisStore, SharedRedis
from zoom_mcp.client.store import MemoryStore, Records, Sealer, SqliteStore, Store, digest
from zoom_mcp.clock import FixedClock
from zoom_mcp.errors import ZoomAuthError
from zoom_mcp.sandbox import SANDBOX_CREDENTIALS, Sandbox, identity
from zoom_mcp.sandbox.fixtures.people import OWNER_ID, SAM_EMAIL, SAM_ID
from zoom_mcp.sandbox.transport import SandboxTransport

pytestmark = pytest.mark.anyio
CATALOG = load_catalog()


@pytest.mark.parametrize("kind", ["memory", "sqlite", "redis"])
async def test_the_store_expires_takes_once_and_seals_everything(kind: str, tmp_path: Path) -> None:
    """The one contract every backend keeps (a Redis one against a real redis-server)."""
    clock = FixedClock("2026-06-17T15:04:05Z")
    path = tmp_path / "oauth.sqlite3"
    with ExitStack() as stack:
        store: Store
        if kind == "memory":
            store = MemoryStore(clock)
        elif kind == "sqlite":
            store = SqliteStore(path, clock=clock)
        else:
            url = stack.enter_context(running_redis())
            pool = SharedRedis(url)
            store = RedisStore(pool, clock=clock, prefix=SIGNIN_PREFIX)  # the one Redis store (as the approvals')
        records = Records(store, Sealer.ephemeral(clock=clock), clock=clock)
        await records.put("grant", "p1", {"refresh_token": "very-secret-refresh"}, ttl=60)
        assert await records.get("grant", "p1") == {"refresh_token": "very-secret-refresh"}
        assert not await records.add("grant", "p1", {"x": 1}, ttl=60)  # a live value stays
        assert await records.take("grant", "p1") is not None and await records.take("grant", "p1") is None
        await records.put("code", digest("abc"), {"n": 1}, ttl=10)
        clock.advance(11)
        assert await records.get("code", digest("abc")) is None  # past its expiry (the clock's) it is gone
        assert await records.take("code", digest("abc")) is None
        assert await records.add("code", digest("abc"), {"n": 2}, ttl=10)  # and may be set again
        assert await records.get("code", digest("abc")) == {"n": 2}
        await records.delete("code", digest("abc"))
        assert await records.get("code", digest("abc")) is None
        await records.put("grant", "p2", {"refresh_token": "very-secret-refresh"}, ttl=60)
        if kind == "sqlite":
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
            raw = path.read_bytes()
            assert b"very-secret-refresh" not in raw and b"abc" not in raw  # sealed values, hashed secret keys
        if kind == "redis":
            import redis

            direct = redis.Redis.from_url(url)
            keys = direct.keys("*")
            assert keys == [b"zoom-mcp:signin:grant:p2"]  # nothing else left, everything under one prefix
            assert b"very-secret-refresh" not in direct.get(keys[0])  # sealed
            assert 59_000 < direct.pttl(keys[0]) <= 60_000  # Redis drops it by itself when its time is up
            direct.close()
            await pool.aclose()
        await records.aclose()


def test_a_rotated_key_still_opens_what_the_old_one_sealed() -> None:
    k_old, k_new = Fernet.generate_key(), Fernet.generate_key()
    sealed = Sealer([k_old]).seal(b"grant")
    both = Sealer.from_setting(f"{k_new.decode()},{k_old.decode()}")  # the new key first: it seals from now on
    assert both.open(sealed) == b"grant" and Sealer([k_new]).open(sealed) is None
    assert Sealer([k_old]).open(both.seal(b"x")) is None


async def sign_in(client: ZoomClient, sandbox: Sandbox, user: str) -> Person:
    """What the sign-in page does for a person: Zoom's authorize (the sandbox's, as `user`), then our exchange."""
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=sandbox.app), base_url="http://sb") as http:
        query = {
            "response_type": "code",
            "client_id": SANDBOX_CREDENTIALS.client_id,
            "redirect_uri": REDIRECT,
            "code_challenge": CHALLENGE,
            "code_challenge_method": "S256",
            "sandbox_user": user,
        }
        code = httpx2.URL((await http.get("/oauth/authorize", params=query)).headers["location"]).params["code"]
    return await client.sign_in(code, REDIRECT, VERIFIER)


def people_client(sandbox: Sandbox, clock: FixedClock) -> tuple[ZoomClient, GrantStore]:
    grants = GrantStore(Records(MemoryStore(clock), Sealer.ephemeral(clock=clock), clock=clock))
    auth = PeopleAuth(
        SANDBOX_CREDENTIALS.client_id,
        SANDBOX_CREDENTIALS.client_secret,
        identity.TOKEN_URL,
        identity.BASE_URL,
        grants,
        clock=clock,
    )
    return ZoomClient(identity.BASE_URL, auth, transport=SandboxTransport(sandbox), clock=clock), grants


async def test_one_pool_each_request_with_the_acting_persons_token() -> None:
    clock = FixedClock("2026-06-17T15:04:05Z")
    sandbox = Sandbox(clock=clock)
    client, grants = people_client(sandbox, clock)
    async with client:
        alex, sam = await sign_in(client, sandbox, OWNER_ID), await sign_in(client, sandbox, SAM_ID)
        assert (sam.id, sam.email) == (SAM_ID, SAM_EMAIL) and alex.id == OWNER_ID
        assert sam.zoom_scopes == frozenset({"meeting:read", "meeting:write", "recording:read", "user:read"})
        stored = await grants.load(SAM_ID)
        assert stored is not None and "refresh_token=***" in repr(stored)
        op = CATALOG.get("list_user_meetings")
        assert op is not None
        sandbox.reset_log()
        hosts: dict[str, set[str]] = {}

        async def call_as(person: Person) -> None:
            with acting_as(person):
                answer = await client.call(op, {"userId": "me"})
            hosts.setdefault(person.id, set()).update(m["host_id"] for m in answer.data["meetings"])

        async with anyio.create_task_group() as group:
            for _ in range(5):
                group.start_soon(call_as, alex)
                group.start_soon(call_as, sam)
        assert hosts[OWNER_ID] == {OWNER_ID} and hosts.get(SAM_ID, set()) <= {SAM_ID}
        assert sandbox.token_requests == 0  # the sign-in's access tokens were used as they were

        sandbox.expire_tokens()  # every access token now gets 401: one refresh per person, however many wait
        async with anyio.create_task_group() as group:
            for _ in range(5):
                group.start_soon(call_as, alex)
                group.start_soon(call_as, sam)
        assert sandbox.token_requests == 2
        rotated = await grants.load(SAM_ID)
        assert rotated is not None and stored is not None and rotated.refresh_token != stored.refresh_token

        with pytest.raises(ZoomAuthError, match="runs as nobody"):
            await client.call(op, {"userId": "me"})
        with acting_as(Person("someone-else")), pytest.raises(ZoomAuthError, match="not signed in"):
            await client.call(op, {"userId": "me"})


async def test_a_sign_in_zoom_no_longer_refreshes_says_how_to_sign_in_again() -> None:
    clock = FixedClock("2026-06-17T15:04:05Z")
    sandbox = Sandbox(clock=clock)
    client, _ = people_client(sandbox, clock)
    async with client:
        sam = await sign_in(client, sandbox, SAM_ID)
        sandbox.expire_tokens()
        sandbox.app.user_oauth.refresh_tokens.clear()  # the app was removed in Zoom: the grant is dead
        op = CATALOG.get("list_user_meetings")
        assert op is not None
        with acting_as(sam), pytest.raises(ZoomAuthError, match="connect again to sign in"):
            await client.call(op, {"userId": "me"})


async def test_replicas_share_a_persons_token_and_refresh_it_once_with_the_latest_refresh_token() -> None:
    """Two replicas on one Redis: a person's token is refreshed by one of them, and the other, whose own
    refresh token is by then used (Zoom refuses a used one), refreshes later with the rotated one."""
    from tests.conftest import sandbox_settings
    from zoom_mcp.app.assemble import build_client

    clock = FixedClock("2026-06-17T15:04:05Z")
    sandbox = Sandbox(clock=clock)
    op = CATALOG.get("list_user_meetings")
    assert op is not None
    with running_redis() as url:
        shared = SharedRedis(url)
        sealer = Sealer.ephemeral(clock=clock)
        grants = GrantStore(Records(RedisStore(shared, clock=clock, prefix=SIGNIN_PREFIX), sealer, clock=clock))

        settings = sandbox_settings({"ZOOM_MCP_REDIS_URL": url, "ZOOM_MCP_SECRET": "replica-test-secret"})

        def replica() -> ZoomClient:  # as the composition root builds each replica's client
            return build_client(settings, clock, sandbox=sandbox, people=grants, shared=shared)

        a, b = replica(), replica()
        async with a, b:
            sam = await sign_in(a, sandbox, SAM_ID)
            sandbox.reset_log()

            async def calls() -> None:
                with acting_as(sam):
                    async with anyio.create_task_group() as group:
                        for i in range(10):
                            group.start_soon(lambda c=(a, b)[i % 2]: c.call(op, {"userId": "me"}))

            await calls()
            assert sandbox.token_requests == 0  # b uses the token of a's sign-in
            sandbox.expire_tokens()  # both replicas' cached token now gets 401
            await calls()
            assert sandbox.token_requests == 1  # one refresh for the person across both replicas
            sandbox.expire_tokens()
            with acting_as(sam):  # b never refreshed: its own refresh token was spent by a's refresh
                await b.call(op, {"userId": "me"})
                await a.call(op, {"userId": "me"})
            assert sandbox.token_requests == 2
        await shared.aclose()
