"""Assemble the process: settings -> shared Zoom client (real or sandbox) -> MCP server."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import httpx2

from zoom_mcp.api import Catalog, load_catalog
from zoom_mcp.config import SafetySettings, Settings
from zoom_mcp.safety import AuditLog, ConfirmationTokens, Policy
from zoom_mcp.safety.approvals import Approval, Approvals
from zoom_mcp.zoom import BearerAuth, ServerToServerOAuth, ZoomClient
from zoom_mcp.zoom.auth import UserOAuth
from zoom_mcp.zoom.download import AllowList, DownloadLimits
from zoom_mcp.zoom.pacing import Pacer, parse_rates
from zoom_mcp.zoom.retry import RetryPolicy

if TYPE_CHECKING:
    from mcp.server import Server

    from zoom_mcp.sandbox import Sandbox


def configure_logging(level: str) -> None:
    # stdout belongs to the MCP protocol on stdio: every log line goes to stderr.
    logging.basicConfig(
        stream=sys.stderr,
        level=getattr(logging, level, logging.WARNING),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("httpx2").setLevel(logging.WARNING)  # its INFO lines print full URLs


log = logging.getLogger(__name__)


def client_for(settings: Settings, sandbox: Sandbox | None = None) -> ZoomClient:
    """The one authenticated client of the process; in sandbox mode it reaches the fake in-process."""
    if settings.sandbox:
        from zoom_mcp.sandbox import identity
        from zoom_mcp.sandbox.transport import SandboxTransport

        rules = os.environ.get("ZOOM_MCP_SANDBOX_FAULTS")
        faults = None
        if rules:  # parsed now, so bad rules stop the start-up rather than the first call
            from zoom_mcp.sandbox import FaultPlan

            faults = FaultPlan.parse(rules)

        def build() -> Sandbox:
            from zoom_mcp.sandbox import Sandbox

            built = sandbox or Sandbox()
            if faults is not None:
                built.faults = faults
            return built

        auth: httpx2.Auth = ServerToServerOAuth(
            identity.ACCOUNT_ID, identity.CLIENT_ID, identity.CLIENT_SECRET, settings.oauth_token_url
        )
        return _client(settings, auth, SandboxTransport(build if sandbox is None else build()))
    if settings.mode == "server_to_server":
        auth = ServerToServerOAuth(
            settings.account_id, settings.client_id, settings.client_secret, settings.oauth_token_url
        )
    elif settings.mode == "user":
        auth = _user_auth(settings)
    else:
        auth = BearerAuth(settings.access_token)
    return _client(settings, auth, None)


def _user_auth(settings: Settings) -> UserOAuth:
    """A signed-in person's auth; each rotated refresh token is written back to where it came from."""
    import dataclasses

    from zoom_mcp.credentials import CredentialStore

    store = CredentialStore()

    def keep(refresh_token: str) -> None:
        stored = store.load()
        if stored is not None:
            store.save(dataclasses.replace(stored, refresh_token=refresh_token))

    return UserOAuth(settings.client_id, settings.client_secret, settings.refresh_token, settings.oauth_token_url, keep)


def _client(settings: Settings, auth: httpx2.Auth, transport: httpx2.AsyncBaseTransport | None) -> ZoomClient:
    return ZoomClient(
        settings.api_base_url,
        auth,
        transport=transport,
        timeout=httpx2.Timeout(settings.read_timeout, connect=settings.connect_timeout),
        retry=RetryPolicy(max_attempts=settings.max_attempts, max_total=settings.retry_budget),
        pacer=Pacer(parse_rates(settings.rate_plan, settings.rate_limits)),
        download_hosts=AllowList(settings.download_hosts),
        download_limits=DownloadLimits(max_bytes=int(settings.max_download_mb * 1024 * 1024)),
    )


def resolve_toolsets(names: frozenset[str] | None, catalog: Catalog) -> frozenset[str]:
    """`None` -> the catalog's default profile; `all` -> every toolset (empty set); `default` expands."""
    if names is None:
        return frozenset(catalog.default_toolsets)
    if "all" in names:
        return frozenset()
    if "default" in names:
        return (names - {"default"}) | frozenset(catalog.default_toolsets)
    return names


def safety_parts(safety: SafetySettings, catalog: Catalog) -> tuple[Policy, ConfirmationTokens, AuditLog]:
    from pathlib import Path

    policy = Policy(
        confirm=safety.confirm,
        human=safety.human,
        read_only=safety.read_only,
        toolsets=resolve_toolsets(safety.toolsets, catalog),
        tools=safety.tools,
    )
    from zoom_mcp.insights.tools import TASK_TOOLS

    policy.check(catalog, frozenset(TASK_TOOLS))
    used = None
    if safety.redis_url:
        from zoom_mcp.safety.redis_tokens import RedisUsedTokens

        used = RedisUsedTokens(safety.redis_url)
    tokens = ConfirmationTokens(safety.secret.encode() if safety.secret else None, ttl=safety.confirm_ttl, used=used)
    audit = AuditLog(Path(safety.audit_log) if safety.audit_log else None)
    return policy, tokens, audit


async def _hide_unauthorized(policy: Policy, client: ZoomClient, catalog: Catalog) -> Policy:
    """The policy with every tool the token's scopes do not allow hidden (a ready token lists all)."""
    import dataclasses

    from zoom_mcp.api.scopes import unauthorized_tools
    from zoom_mcp.insights.tools import TASK_TOOLS
    from zoom_mcp.zoom import ZoomCallError

    try:
        token = await client.fetch_token()
    except (ZoomCallError, httpx2.HTTPError) as exc:
        log.warning("--hide-unauthorized: could not read the granted scopes (%s); listing every tool", exc)
        return policy
    if token is None:
        log.warning("--hide-unauthorized: a ready access token does not name its scopes; listing every tool")
        return policy
    hidden = unauthorized_tools(catalog, TASK_TOOLS.values(), token.scopes)
    log.info("--hide-unauthorized: %d tools hidden for missing scopes", len(hidden))
    return dataclasses.replace(policy, unauthorized=hidden)


@asynccontextmanager
async def running_server(
    settings: Settings,
    safety: SafetySettings | None = None,
    *,
    catalog: Catalog | None = None,
    sandbox: Sandbox | None = None,
    serve_approvals: bool = True,
) -> AsyncIterator[Server]:
    """The server with its client and index; under --confirm human also the approval pages (on their
    own loopback port, unless `serve_approvals=False` because an HTTP transport serves them)."""
    from zoom_mcp.insights.index import TranscriptIndex
    from zoom_mcp.server import build_server

    safety = safety or SafetySettings()
    catalog = catalog or load_catalog()
    policy, tokens, audit = safety_parts(safety, catalog)
    index = TranscriptIndex(settings.index_path)
    try:
        async with client_for(settings, sandbox) as client:
            if safety.hide_unauthorized:
                policy = await _hide_unauthorized(policy, client, catalog)
            server = build_server(
                catalog,
                client,
                sandbox=settings.sandbox,
                policy=policy,
                tokens=tokens,
                audit=audit,
                dynamic=safety.dynamic,
                index=index,
            )
            approvals = getattr(server, "approvals", None)
            if approvals is not None and safety.open_approvals:
                approvals.on_created = _open_in_browser(approvals)
            if approvals is None or not serve_approvals:
                yield server
                return
            from zoom_mcp.transport.approvals import approval_server

            async with approval_server(approvals) as base:
                print(f"zoom-mcp: approval pages at {base}/approvals/... (--confirm human)", file=sys.stderr)
                yield server
    finally:
        index.close()


def _open_in_browser(approvals: Approvals) -> Callable[[Approval], None]:
    def open_page(approval: Approval) -> None:
        import webbrowser

        webbrowser.open(approvals.url(approval))

    return open_page
