"""The composition root: settings and a clock in, a running `App` out. The CLI, `doctor` and the
test fixtures all build the server here, so the tests exercise what a user runs.

    settings -> credentials -> the shared Zoom client (real, or the in-process sandbox)
             -> inventory (what is listed, callable, readable) -> gate, audit, approvals
             -> task service (index) -> call pipeline -> MCP server
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import httpx2

from zoom_mcp.api import Catalog, load_catalog
from zoom_mcp.app import credentials
from zoom_mcp.app.settings import Settings
from zoom_mcp.client import BearerAuth, ServerToServerOAuth, UserOAuth, ZoomClient
from zoom_mcp.client.download import AllowList, DownloadLimits
from zoom_mcp.client.pacing import Limits, Pacer, Pacing
from zoom_mcp.client.retry import RetryPolicy
from zoom_mcp.clock import SYSTEM_CLOCK, Clock, ShiftedClock
from zoom_mcp.errors import ConfigError, ZoomCallError
from zoom_mcp.inventory import EnabledToolsets, Inventory, Selection
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
from zoom_mcp.server.pipeline import CallPipeline
from zoom_mcp.server.server import ZoomServer
from zoom_mcp.server.tool_specs import ToolSpecs
from zoom_mcp.tasks.index import TranscriptIndex
from zoom_mcp.tasks.service import TaskService

if TYPE_CHECKING:
    from zoom_mcp.client.shared import SharedRedis
    from zoom_mcp.sandbox import Sandbox

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
    shared: SharedRedis | None = None,
) -> ZoomClient:
    """The one authenticated client of the process; in sandbox mode it reaches the fake in-process.

    `sandbox` is a sandbox the caller owns (tests); `transport` replaces the network (tests). With
    `shared` (Redis), pacing and the Server-to-Server token are shared by every replica.
    """
    try:
        limits = Limits.for_plan(settings.rate_plan, settings.rate_limits)
    except ValueError as exc:
        raise ConfigError(f"ZOOM_MCP_RATE_PLAN / ZOOM_MCP_RATE_LIMITS: {exc}") from exc
    found = credentials.resolve(settings)
    base, token_url, hosts = settings.api_base_url.rstrip("/"), settings.oauth_token_url, settings.download_hosts
    auth: httpx2.Auth
    if found.mode == "sandbox":
        # late: the sandbox loads only in sandbox mode
        from zoom_mcp.sandbox import identity
        from zoom_mcp.sandbox.transport import SandboxTransport

        base, token_url, hosts = identity.BASE_URL, identity.TOKEN_URL, (*hosts, identity.ORIGIN)
        auth = ServerToServerOAuth(
            identity.ACCOUNT_ID, identity.CLIENT_ID, identity.CLIENT_SECRET, token_url, clock=clock
        )
        transport = transport or SandboxTransport(sandbox or _sandbox_factory(settings, clock))
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
        from zoom_mcp.client.shared import RedisPacer, RedisTokens, Sealer, require_secret  # late: Redis only

        sealer = Sealer.from_secret(require_secret(settings.secret))
        account = auth.account_id if isinstance(auth, ServerToServerOAuth) else settings.client_id or "token"
        pacer = RedisPacer(shared, limits, account, clock=clock)
        if isinstance(auth, ServerToServerOAuth):
            auth.shared = RedisTokens(shared, sealer, f"{auth.account_id}:{auth.client_id}:{token_url}", clock=clock)
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
        return built

    return build


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
    index = TranscriptIndex(settings.index)
    try:
        async with build_client(settings, clock, sandbox=sandbox, transport=transport, shared=shared) as client:
            if settings.hide_unauthorized:
                granted = await granted_scopes(client)
                if granted is not None:
                    listed = len(inventory.tools())
                    inventory = Inventory.build(catalog, replace(selection, granted_scopes=granted))
                    log.info("--hide-unauthorized: %d tools hidden for missing scopes", listed - len(inventory.tools()))
            specs = ToolSpecs(confirm)
            tasks = TaskService(catalog, client, index, clock)
            gate = Gate(tokens, audit, approvals)
            pipeline = CallPipeline(inventory, specs, client, tasks, gate, confirm, audit, clock)
            discovery = None
            if settings.dynamic:
                enabled = EnabledToolsets(idle=settings.session_idle_timeout, clock=clock)
                discovery = Discovery(inventory, specs, pipeline, enabled)
            server = ZoomServer(inventory, specs, pipeline, tasks, discovery=discovery, sandbox=settings.sandbox)
            yield App(settings, clock, catalog, client, inventory, tasks, audit, approvals, server, shared)
    finally:
        index.close()
        if isinstance(used, RedisUsedTokens | SqliteUsedTokens):
            await used.aclose()
        if shared is not None:
            await shared.aclose()


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
        from zoom_mcp.client.shared import RedisStore, Sealer, require_secret  # late: only with Redis

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
