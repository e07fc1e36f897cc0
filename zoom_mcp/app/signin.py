"""Composing `--auth oauth` (people sign in with their own Zoom accounts): its checks, its sealed store, the
per-person auth flow of the shared client, and the authorization server with its pages.

With `--sandbox` everything runs in the process: the sign-ins are kept in memory under a random key, and
the sandbox's Zoom sign-in page is served by this server (`/sandbox/oauth/authorize`) since the browser
cannot reach the in-process sandbox.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from zoom_mcp.app.settings import Settings
from zoom_mcp.client.people import GrantStore, PeopleAuth
from zoom_mcp.clock import Clock
from zoom_mcp.errors import ConfigError

if TYPE_CHECKING:
    from zoom_mcp.client import ZoomClient
    from zoom_mcp.client.shared import SharedRedis
    from zoom_mcp.client.store import Records, Store
    from zoom_mcp.transport.oauth import OAuthServer

SANDBOX_AUTHORIZE_PATH = "/sandbox/oauth/authorize"  # the sandbox's sign-in page, served here for the browser
STORE_FILE = "oauth.sqlite3"
KEY_HINT = 'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'


def check(settings: Settings) -> None:
    """What --auth oauth cannot work with, said before anything starts."""
    if settings.auth != "oauth":
        return
    if settings.transport == "stdio":
        raise ConfigError("--auth oauth is for the HTTP transports: add --transport http")
    if settings.auth_token:
        raise ConfigError(
            "--auth oauth replaces the static bearer token: unset ZOOM_MCP_AUTH_TOKEN / --auth-token-file"
        )
    if settings.public_url and urlsplit(settings.public_url).path not in ("", "/"):
        raise ConfigError("--auth oauth needs --public-url without a path (the server at the root of its host)")
    if settings.sandbox:
        return
    if settings.account_id or settings.access_token:
        raise ConfigError(
            "--auth oauth signs each person in to a General (user-managed) Zoom app: ZOOM_ACCOUNT_ID and "
            "ZOOM_ACCESS_TOKEN are for a single identity; unset them"
        )
    if not settings.client_id or not settings.client_secret:
        raise ConfigError(
            "--auth oauth needs the General app's ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET (see docs/deployment.md)"
        )
    if not settings.oauth_key:
        raise ConfigError(
            f"--auth oauth needs ZOOM_MCP_OAUTH_KEY to seal the sign-ins at rest; make one with: {KEY_HINT}"
        )


def base_url(settings: Settings) -> str:
    """The issuer and every link: the public URL, else http://localhost:PORT (a secure context, like the
    approval pages; clients must use this same host)."""
    return settings.public_url or f"http://localhost:{settings.port}"


def records_for(settings: Settings, clock: Clock, shared: SharedRedis | None = None) -> Records:
    """Where the sign-ins are kept: the file --oauth-store names; else Redis with ZOOM_MCP_REDIS_URL (`shared`,
    the process's one pool; not in the sandbox, whose sign-ins are sealed under a key of this process only);
    else memory in the sandbox; else the config directory's SQLite file."""
    # late: only with --auth oauth
    from zoom_mcp.client.store import MemoryStore, Records, Sealer, SqliteStore

    store: Store
    if settings.oauth_store:
        store = SqliteStore(Path(settings.oauth_store), clock=clock)
    elif shared is not None and not settings.sandbox:
        from zoom_mcp.client.shared import SIGNIN_PREFIX, RedisStore  # late: only with Redis

        store = RedisStore(shared, clock=clock, prefix=SIGNIN_PREFIX)
    elif settings.sandbox:
        store = MemoryStore(clock)
    else:
        store = SqliteStore(settings.credentials_dir / STORE_FILE, clock=clock)
    sealer = (
        Sealer.from_setting(settings.oauth_key, clock=clock) if settings.oauth_key else Sealer.ephemeral(clock=clock)
    )
    return Records(store, sealer, clock=clock)


def people_auth(settings: Settings, grants: GrantStore, clock: Clock, *, sandbox: bool) -> PeopleAuth:
    if sandbox:
        from zoom_mcp.sandbox import identity  # late: the sandbox loads only in sandbox mode

        return PeopleAuth(
            identity.CLIENT_ID, identity.CLIENT_SECRET, identity.TOKEN_URL, identity.BASE_URL, grants, clock=clock
        )
    return PeopleAuth(
        settings.client_id,
        settings.client_secret,
        settings.oauth_token_url,
        settings.api_base_url,
        grants,
        clock=clock,
    )


def oauth_server(
    settings: Settings, clock: Clock, client: ZoomClient, records: Records, grants: GrantStore
) -> OAuthServer:
    # late: the authorization server (starlette, the SDK's auth) loads only with --auth oauth
    from zoom_mcp.transport.oauth import OAuthServer
    from zoom_mcp.transport.oauth.clients import FetchPolicy, MetadataFetcher
    from zoom_mcp.transport.oauth.issuer import SCOPES, Issuer, IssuerConfig
    from zoom_mcp.transport.oauth.signin import BrowserSessions, SignIn, ZoomApp
    from zoom_mcp.transport.oauth.throttle import Throttle

    base = base_url(settings)
    config = IssuerConfig(
        base_url=base,
        cimd="cimd" in settings.client_registration,
        dcr="dcr" in settings.client_registration,
        access_ttl=settings.access_token_ttl,
        refresh_ttl=settings.refresh_token_ttl,
    )
    fetcher = None
    if config.cimd:
        policy = FetchPolicy(
            allowed=settings.allowed_client_ids,
            allow_private=settings.oauth_allow_private_fetch,
            ca_bundle=settings.oauth_ca_bundle,
        )
        fetcher = MetadataFetcher(policy, SCOPES, clock=clock)
    issuer = Issuer(config, records, fetcher, clock)
    if settings.sandbox:
        from zoom_mcp.sandbox import identity  # late: the sandbox loads only in sandbox mode

        zoom = ZoomApp(base + SANDBOX_AUTHORIZE_PATH, identity.CLIENT_ID)
    else:
        zoom = ZoomApp(settings.oauth_authorize_url, settings.client_id)
    sessions = BrowserSessions(records, settings.refresh_token_ttl)
    throttle = Throttle(*settings.oauth_rate_limit, clock) if settings.oauth_rate_limit else None
    return OAuthServer(issuer, SignIn(issuer, client, grants, sessions, zoom), throttle)
