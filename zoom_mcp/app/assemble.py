"""The composition root: settings and a clock in, a running `App` out. The CLI, `doctor` and the
test fixtures all build the server here, so the tests exercise what a user runs.

    settings -> credentials -> the shared Zoom client (real, or the in-process sandbox)
             -> inventory (what is listed, callable, readable) -> gate, audit, approvals
             -> task service (index, freshness) -> call pipeline -> MCP server (subscriptions)
             -> with ZOOM_WEBHOOK_SECRET_TOKEN over HTTP: the webhook inbox and its worker
Under --auth oauth (`signin`) the client's credential is each person's own Zoom grant, each person has a
transcript index of their own, and the App also holds the authorization server the HTTP transport serves.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import anyio
import httpx2

from zoom_mcp.api import Catalog, load_catalog
from zoom_mcp.app import credentials, signin
from zoom_mcp.app.settings import Settings
from zoom_mcp.client import BearerAuth, ServerToServerOAuth, UserOAuth, ZoomClient
from zoom_mcp.client.download import AllowList, DownloadLimits
from zoom_mcp.client.pacing import Limits, Pacer, Pacing
from zoom_mcp.client.people import GrantStore, PeopleAuth
from zoom_mcp.client.retry import RetryPolicy
from zoom_mcp.clock import SYSTEM_CLOCK, Clock, ShiftedClock
from zoom_mcp.errors import ConfigError, ZoomCallError
from zoom_mcp.inventory import EnabledToolsets, Inventories, Inventory, Selection
from zoom_mcp.safety import (
    AuditLog,
    ConfirmationTokens,
    ConfirmPolicy,
    Gate,
    MemoryUsedTokens,
    RedisUsedTokens,
    SqliteUsedTokens,
    UsedTokens,
)
from zoom_mcp.safety.approvals import Approval, Approvals
from zoom_mcp.safety.passkeys import PasskeyStore
from zoom_mcp.server.discovery import Discovery
from zoom_mcp.server.inbox import WebhookInbox
from zoom_mcp.server.notifications import Subscriptions
from zoom_mcp.server.pipeline import CallPipeline
from zoom_mcp.server.server import ZoomServer
from zoom_mcp.server.tool_specs import ToolSpecs
from zoom_mcp.tasks.events import RecordingEvents
from zoom_mcp.tasks.freshness import Freshness
from zoom_mcp.tasks.indexes import IndexRegistry, fingerprint
from zoom_mcp.tasks.service import TaskService

if TYPE_CHECKING:
    from zoom_mcp.client.shared import SharedRedis
    from zoom_mcp.sandbox import Sandbox
    from zoom_mcp.transport.oauth import OAuthServer
    from zoom_mcp.transport.security import ASGIApp

log = logging.getLogger(__name__)


@dataclass
class App:
    """Everything one server process holds; what the transports serve."""

    settings: Settings
    clock: Clock
    catalog: Catalog
    client: ZoomClient
    inventory: Inventory
    tasks: TaskService
    audit: AuditLog
    approvals: Approvals | None  # --confirm human: whoever serves `server` also serves the approval pages
    server: ZoomServer
    inventories: Inventories | None = None  # each person's under --auth oauth
    oauth: OAuthServer | None = None  # --auth oauth: the authorization server the HTTP transport serves
    sandbox_app: ASGIApp | None = None  # the in-process sandbox (its sign-in page, under --auth oauth)
    indexes: IndexRegistry | None = None
    webhooks: WebhookInbox | None = None  # ZOOM_WEBHOOK_SECRET_TOKEN over HTTP: what /zoom/webhook feeds
    started: list[Callable[[], Awaitable[None]]] | None = None  # to run once the HTTP server listens
    shared: SharedRedis | None = None  # ZOOM_MCP_REDIS_URL: what every replica shares

    async def ready(self) -> dict[str, str]:
        """What /readyz reports: Redis answers, and the Zoom token endpoint gives a token (a token some
        replica already holds counts: a probe never makes one token request per replica per probe).
        Raises ZoomMcpError (its text names what failed) when not ready."""
        checks = {}
        if self.shared is not None:
            await self.shared.ping()
            checks["redis"] = "ok"
        if await self.client.ensure_token():
            checks["zoom_token"] = "ok"
        return checks


def clock_for(settings: Settings, *, sandbox: bool | None = None) -> Clock:
    """The system clock; for a sandbox, `ZOOM_MCP_SANDBOX_NOW` may pin where it starts (the dates it
    seeds and answers are then reproducible; durations stay real)."""
    if not (settings.sandbox if sandbox is None else sandbox) or not settings.sandbox_now:
        return SYSTEM_CLOCK
    try:
        start = datetime.fromisoformat(settings.sandbox_now.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ConfigError(f"ZOOM_MCP_SANDBOX_NOW must be an ISO 8601 time; got {settings.sandbox_now!r}") from exc
    return ShiftedClock(start if start.tzinfo else start.replace(tzinfo=UTC))


def build_client(
    settings: Settings,
    clock: Clock = SYSTEM_CLOCK,
    *,
    sandbox: Sandbox | None = None,
    transport: httpx2.AsyncBaseTransport | None = None,
    people: GrantStore | None = None,
    shared: SharedRedis | None = None,
) -> ZoomClient:
    """The one authenticated client of the process; in sandbox mode it reaches the fake in-process.

    `sandbox` is a sandbox the caller owns (tests); `transport` replaces the network (tests); `people`
    (--auth oauth): each request carries the acting person's token from these grants. With `shared`
    (Redis), pacing and the Server-to-Server token are shared by every replica.
    """
    try:
        limits = Limits.for_plan(settings.rate_plan, settings.rate_limits)
    except ValueError as exc:
        raise ConfigError(f"ZOOM_MCP_RATE_PLAN / ZOOM_MCP_RATE_LIMITS: {exc}") from exc
    found = credentials.Credentials("sandbox") if settings.sandbox else None
    if found is None and people is None:
        found = credentials.resolve(settings)
    base, token_url, hosts = settings.api_base_url.rstrip("/"), settings.oauth_token_url, settings.download_hosts
    auth: httpx2.Auth
    if people is not None:
        auth = signin.people_auth(settings, people, clock, sandbox=settings.sandbox)
    if found is not None and found.mode == "sandbox":
        # late: the sandbox loads only in sandbox mode
        from zoom_mcp.sandbox import identity
        from zoom_mcp.sandbox.transport import SandboxTransport

        base, token_url, hosts = identity.BASE_URL, identity.TOKEN_URL, (*hosts, identity.ORIGIN)
        if people is None:
            auth = ServerToServerOAuth(
                identity.ACCOUNT_ID, identity.CLIENT_ID, identity.CLIENT_SECRET, token_url, clock=clock
            )
        transport = transport or SandboxTransport(sandbox or _sandbox_factory(settings, clock))
    elif found is None:
        pass  # --auth oauth: the people's auth above
    elif found.mode == "server_to_server":
        auth = ServerToServerOAuth(
            settings.account_id, settings.client_id, settings.client_secret, token_url, clock=clock
        )
    elif found.mode == "user":
        auth = _user_auth(settings, found, clock)
    else:
        auth = BearerAuth(settings.access_token)
    pacer: Pacing = Pacer(limits, clock=clock)
    if shared is not None:
        # late: Redis only
        from zoom_mcp.client.shared import RedisPacer, RedisTokens, require_secret
        from zoom_mcp.client.store import Sealer

        sealer = Sealer.from_secret(require_secret(settings.secret))
        account = auth.account_id if isinstance(auth, ServerToServerOAuth) else settings.client_id or "token"
        pacer = RedisPacer(shared, limits, account, clock=clock)
        if isinstance(auth, ServerToServerOAuth):
            auth.shared = RedisTokens(shared, sealer, f"{auth.account_id}:{auth.client_id}:{token_url}", clock=clock)
        elif isinstance(auth, PeopleAuth):
            people_auth = auth
            auth.shared_tokens = lambda person: RedisTokens(
                shared, sealer, f"{person}:{people_auth.client_id}:{token_url}", clock=clock, kind="person"
            )
    return ZoomClient(
        base,
        auth,
        transport=transport,
        timeout=httpx2.Timeout(settings.read_timeout, connect=settings.connect_timeout),
        retry=RetryPolicy(max_attempts=settings.max_attempts, max_total=settings.retry_budget),
        pacer=pacer,
        clock=clock,
        download_hosts=AllowList(hosts),
        download_limits=DownloadLimits(max_bytes=int(settings.max_download_mb * 1024 * 1024)),
    )


def _sandbox_factory(settings: Settings, clock: Clock) -> Callable[[], Sandbox]:
    """Builds (and seeds) the sandbox at its first request, off the cold start; bad fault rules stop
    the start-up now rather than the first call."""
    from zoom_mcp.sandbox.engine.faults import FaultPlan  # late: the sandbox loads only in sandbox mode

    faults = None
    if settings.sandbox_faults:
        try:
            faults = FaultPlan.parse(settings.sandbox_faults)
        except ValueError as exc:
            raise ConfigError(f"ZOOM_MCP_SANDBOX_FAULTS: {exc}") from exc

    def build() -> Sandbox:
        from zoom_mcp.sandbox import Sandbox  # late: built and seeded at the first request

        built = Sandbox(clock=clock)
        if faults is not None:
            built.faults = faults
        if settings.webhooks and settings.webhook_secret:  # it plays Zoom: it posts the events to this server
            url = settings.sandbox_webhook_url or f"{_loopback(settings.host, settings.port)}/zoom/webhook"
            built.send_webhooks_to(url, settings.webhook_secret, faults=settings.sandbox_webhook_faults)
        return built

    return build


def _loopback(host: str, port: int) -> str:
    """Where this server can reach itself."""
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _user_auth(settings: Settings, found: credentials.Credentials, clock: Clock) -> UserOAuth:
    """A signed-in person's auth; each rotated refresh token is written back to where it came from."""
    login = found.login
    assert login is not None
    store = credentials.store_for(settings)

    def keep(refresh_token: str) -> None:
        stored = store.load()
        if stored is not None:
            store.save(replace(stored, refresh_token=refresh_token))

    token_url = settings.oauth_token_url if settings.oauth_token_url != Settings.oauth_token_url else login.token_url
    return UserOAuth(
        settings.client_id or login.client_id,
        settings.client_secret or login.client_secret,
        login.refresh_token,
        token_url,
        keep,
        clock=clock,
    )


async def granted_scopes(client: ZoomClient) -> frozenset[str] | None:
    """The token's scopes for --hide-unauthorized; None (list every tool) when they cannot be read."""
    try:
        token = await client.fetch_token()
    except (ZoomCallError, httpx2.HTTPError) as exc:
        log.warning("--hide-unauthorized: could not read the granted scopes (%s); listing every tool", exc)
        return None
    if token is None:
        log.warning("--hide-unauthorized: a ready access token does not name its scopes; listing every tool")
        return None
    return frozenset(token.scopes)


@asynccontextmanager
async def assemble(
    settings: Settings,
    *,
    clock: Clock | None = None,
    catalog: Catalog | None = None,
    sandbox: Sandbox | None = None,
    transport: httpx2.AsyncBaseTransport | None = None,
) -> AsyncIterator[App]:
    """The whole server over one shared client; the client and the index close when the block ends."""
    clock = clock or clock_for(settings)
    catalog = catalog or load_catalog()
    signin.check(settings)
    selection = Selection(
        read_only=settings.read_only, toolsets=settings.toolsets, tools=settings.tools, dynamic=settings.dynamic
    )
    inventory = Inventory.build(catalog, selection)  # unknown toolset or tool names stop the start here
    confirm = ConfirmPolicy(settings.confirm_mode, settings.human_approvals)
    audit = AuditLog(Path(settings.audit_log) if settings.audit_log else None, clock=clock)
    shared = shared_redis(settings)
    used = used_tokens(settings, clock, shared)
    tokens = ConfirmationTokens(
        settings.secret.encode() if settings.secret else None, ttl=settings.confirm_ttl, clock=clock, used=used
    )
    approvals = human_approvals(settings, audit, clock, shared) if confirm.human else None
    if approvals is not None and settings.open_approvals:
        approvals.on_created = _open_in_browser(approvals)
    indexes = index_registry(settings)
    records = signin.records_for(settings, clock, shared) if settings.oauth else None
    grants = GrantStore(records) if records is not None else None
    sandbox_app = None
    if settings.sandbox and transport is None:
        from zoom_mcp.sandbox.transport import SandboxTransport  # late: the sandbox loads only in sandbox mode

        built = SandboxTransport(sandbox or _sandbox_factory(settings, clock))
        transport, sandbox_app = built, built.asgi
    oauth = None
    try:
        async with (
            build_client(settings, clock, sandbox=sandbox, transport=transport, people=grants, shared=shared) as client,
            anyio.create_task_group() as workers,
        ):
            if settings.hide_unauthorized and not settings.oauth:  # under --auth oauth: each person's scopes
                granted = await granted_scopes(client)
                if granted is not None:
                    listed = len(inventory.tools())
                    inventory = Inventory.build(catalog, replace(selection, granted_scopes=granted))
                    log.info("--hide-unauthorized: %d tools hidden for missing scopes", listed - len(inventory.tools()))
            inventories = Inventories(
                catalog, inventory.selection, inventory, hide_unauthorized=settings.hide_unauthorized
            )
            specs = ToolSpecs(confirm)
            freshness = Freshness(receiving=settings.webhooks, replicas=bool(settings.redis_url))
            tasks = TaskService(catalog, client, indexes, clock, freshness)
            gate = Gate(tokens, audit, approvals)
            pipeline = CallPipeline(inventories, specs, client, tasks, gate, confirm, audit, clock)
            discovery = None
            if settings.dynamic:
                enabled = EnabledToolsets(idle=settings.session_idle_timeout, clock=clock)
                discovery = Discovery(inventories, specs, pipeline, enabled)
            subscriptions = Subscriptions()
            server = ZoomServer(
                inventories,
                specs,
                pipeline,
                tasks,
                discovery=discovery,
                sandbox=settings.sandbox,
                subscriptions=subscriptions,
                resources_change=settings.webhooks,
            )
            if records is not None and grants is not None:
                oauth = signin.oauth_server(settings, clock, client, records, grants)
            inbox = None
            started: list[Callable[[], Awaitable[None]]] = []
            if settings.webhooks:
                inbox = WebhookInbox(RecordingEvents(tasks, indexes), subscriptions, tasks.freshness, clock)
                workers.start_soon(inbox.run)
                if settings.sandbox and (register := _sandbox_of(client)):
                    started.append(register)
            yield App(
                settings,
                clock,
                catalog,
                client,
                inventory,
                tasks,
                audit,
                approvals,
                server,
                inventories,
                oauth,
                sandbox_app,
                indexes,
                inbox,
                started,
                shared,
            )
            subscriptions.close()
            workers.cancel_scope.cancel()
    finally:
        indexes.close()
        if isinstance(used, RedisUsedTokens | SqliteUsedTokens):
            await used.aclose()
        if oauth is not None and oauth.issuer.fetcher is not None:
            await oauth.issuer.fetcher.aclose()
        if records is not None:
            await records.aclose()
        if shared is not None:
            await shared.aclose()


def _sandbox_of(client: ZoomClient) -> Callable[[], Awaitable[None]] | None:
    """In sandbox mode with webhooks: once the server listens, the sandbox registers its endpoint (Zoom's
    url_validation), as Zoom does when the app's event subscription is saved."""
    from zoom_mcp.sandbox.transport import SandboxTransport  # late: the sandbox loads only in sandbox mode

    transport = client.transport
    if not isinstance(transport, SandboxTransport):
        return None

    async def register() -> None:
        sender = transport.sandbox.webhooks
        if sender is not None:
            await sender.validate()

    return register


def index_registry(settings: Settings) -> IndexRegistry:
    """Where the transcript index lives (each person's under --auth oauth: see `tasks.indexes`). `--index PATH`
    names it. In memory with `--no-index-file`, for the sandbox (made-up meetings stay out of yours), over
    HTTP (a server shared or deployed: `--index` keeps it), when the identity is unknown (a ready access
    token names no account) and when the data directory is not writable. Otherwise (stdio, a person's
    desktop) an owner-only file in the data directory, one per Zoom account and app, so switching accounts
    never shows one account's meetings to another."""
    if settings.index:
        return IndexRegistry(path=Path(settings.index), people=settings.oauth)
    if settings.no_index_file or settings.sandbox or settings.transport != "stdio" or settings.oauth:
        return IndexRegistry(people=settings.oauth)
    label = identity_label(settings)
    if label is None:
        return IndexRegistry()
    directory = settings.data_path
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        writable = os.access(directory, os.W_OK)
    except OSError:
        writable = False
    if not writable:
        log.info("the data directory %s is not writable: the transcript index stays in memory", directory)
        return IndexRegistry()
    return IndexRegistry(directory, label=label)


def identity_label(settings: Settings) -> str | None:
    """A fingerprint of the Zoom identity the server acts as (no secret in it); None when it cannot be known."""
    found = credentials.resolve(settings)
    if found.mode == "server_to_server":
        return fingerprint(settings.api_base_url, settings.account_id, settings.client_id)
    if found.mode == "user" and found.login is not None:
        return fingerprint(settings.api_base_url, found.login.client_id, found.login.user)
    return None


def shared_redis(settings: Settings) -> SharedRedis | None:
    """ZOOM_MCP_REDIS_URL: the one pool for everything the replicas share. It needs ZOOM_MCP_SECRET (the
    same on every replica), which signs the confirmation tokens and seals what is kept in Redis."""
    if not settings.redis_url:
        return None
    from zoom_mcp.client.shared import SharedRedis, require_secret  # late: only with Redis

    require_secret(settings.secret)
    return SharedRedis(settings.redis_url)


def used_tokens(settings: Settings, clock: Clock, shared: SharedRedis | None = None) -> UsedTokens:
    """Where spent confirmation tokens are remembered. A token verifies only where its HMAC key does: with a
    random key per process, in this process only (memory is enough); with ZOOM_MCP_SECRET, in every process
    that shares it, so it is spent in Redis (every replica) or in an owner-only SQLite file (this machine)."""
    if shared is not None:
        return RedisUsedTokens(shared, clock=clock)
    if settings.secret:
        return SqliteUsedTokens(settings.credentials_dir / "used-tokens.sqlite3", clock=clock)
    return MemoryUsedTokens(clock)


def human_approvals(settings: Settings, audit: AuditLog, clock: Clock, shared: SharedRedis | None = None) -> Approvals:
    """--confirm human: approvals checked against the enrolled passkeys; none enrolled refuses the start. With
    Redis, approvals live there (sealed), so any replica shows the page, takes the decision and releases the call."""
    store = PasskeyStore.in_dir(settings.credentials_dir, clock=clock)
    kept, sealer = None, None
    if shared is not None:
        # late: only with Redis
        from zoom_mcp.client.shared import RedisStore, require_secret
        from zoom_mcp.client.store import Sealer

        kept, sealer = RedisStore(shared, clock=clock), Sealer.from_secret(require_secret(settings.secret))
    approvals = Approvals(
        audit,
        store,
        ttl=settings.approval_ttl,
        clock=clock,
        public_url=settings.pages_public_url,
        store=kept,
        sealer=sealer,
    )
    if not store.for_rp(approvals.rp_id):
        where = f" --public-url {settings.pages_public_url}" if settings.pages_public_url else ""
        raise ConfigError(
            f"--confirm human needs a passkey to approve with, and none is enrolled for {approvals.rp_id} "
            f"(in {store.path}). Enrol one from a terminal: zoom-mcp approvals enroll{where}"
        )
    return approvals


def _open_in_browser(approvals: Approvals) -> Callable[[Approval], None]:
    def open_page(approval: Approval) -> None:
        import webbrowser  # late: only with --open-approvals

        webbrowser.open(approvals.url(approval))

    return open_page
