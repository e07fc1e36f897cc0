"""Configuration: environment variables and command-line flags, with the defaults in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

DEFAULT_API_BASE_URL = "https://api.zoom.us/v2"
DEFAULT_OAUTH_TOKEN_URL = "https://zoom.us/oauth/token"

CredentialMode = Literal["server_to_server", "access_token", "user", "sandbox"]

# (name, meaning) of every environment variable; the README's configuration table mirrors it.
ENVIRONMENT = (
    ("ZOOM_ACCOUNT_ID", "Server-to-Server OAuth app: account ID"),
    ("ZOOM_CLIENT_ID", "Server-to-Server OAuth app: client ID"),
    ("ZOOM_CLIENT_SECRET", "Server-to-Server OAuth app: client secret"),
    ("ZOOM_ACCESS_TOKEN", "a ready bearer token instead of the three above (not refreshed)"),
    ("ZOOM_API_BASE_URL", f"Zoom API base URL (default {DEFAULT_API_BASE_URL})"),
    ("ZOOM_OAUTH_TOKEN_URL", f"Zoom OAuth token URL (default {DEFAULT_OAUTH_TOKEN_URL})"),
    (
        "ZOOM_OAUTH_AUTHORIZE_URL",
        "Zoom OAuth consent page for 'zoom-mcp login' (default https://zoom.us/oauth/authorize)",
    ),
    (
        "ZOOM_MCP_CONFIG_DIR",
        "where 'zoom-mcp login' keeps the sign-in when no keyring exists (default ~/.config/zoom-mcp)",
    ),
    ("ZOOM_MCP_SANDBOX", "1 = serve the embedded sandbox instead of Zoom (same as --sandbox)"),
    ("ZOOM_MCP_LOG_LEVEL", "log level on stderr: DEBUG, INFO, WARNING (default), ERROR"),
    (
        "ZOOM_MCP_CONFIRM",
        "which calls need confirmation: destructive (default), writes, human (a person approves on a web "
        "page), human,writes (same as --confirm)",
    ),
    ("ZOOM_MCP_OPEN_APPROVALS", "1 = open each approval page in the browser (same as --open-approvals)"),
    ("ZOOM_MCP_READ_ONLY", "1 = list and allow only read tools (same as --read-only)"),
    ("ZOOM_MCP_TOOLSETS", "comma-separated toolsets to enable, 'default' or 'all' (same as --toolsets)"),
    ("ZOOM_MCP_DYNAMIC", "1 = start with discovery meta-tools only (same as --dynamic)"),
    ("ZOOM_MCP_TOOLS", "comma-separated tools to enable (same as --tools)"),
    ("ZOOM_MCP_HIDE_UNAUTHORIZED", "1 = list only the tools the token's scopes allow (same as --hide-unauthorized)"),
    ("ZOOM_MCP_AUDIT_LOG", "append a JSON line per write/destructive attempt to this file (same as --audit-log)"),
    ("ZOOM_MCP_SECRET", "HMAC key for confirmation tokens (default: random per process)"),
    ("ZOOM_MCP_CONFIRM_TTL", "seconds a confirmation token stays valid (default 300)"),
    ("ZOOM_MCP_RATE_PLAN", "Zoom plan whose per-second rate limits the client paces to: free, pro (default), business"),
    ("ZOOM_MCP_RATE_LIMITS", "override requests/second per label, e.g. heavy=5,light=50"),
    ("ZOOM_MCP_MAX_ATTEMPTS", "attempts per request when retrying is safe (default 4)"),
    ("ZOOM_MCP_RETRY_BUDGET", "seconds a request may spend on retries in total (default 60)"),
    ("ZOOM_MCP_CONNECT_TIMEOUT", "seconds to connect to Zoom (default 10)"),
    ("ZOOM_MCP_READ_TIMEOUT", "seconds to wait for Zoom's answer (default 30)"),
    ("ZOOM_MCP_TRANSPORT", "stdio (default), http (streamable HTTP at /mcp) or sse (at /sse); same as --transport"),
    ("ZOOM_MCP_HOST", "address to bind for http/sse (default 127.0.0.1)"),
    ("ZOOM_MCP_PORT", "port for http/sse (default 8000)"),
    ("ZOOM_MCP_AUTH_TOKEN", "bearer token every HTTP request must carry (required to bind beyond loopback)"),
    ("ZOOM_MCP_AUTH_TOKEN_FILE", "file holding that token (instead of ZOOM_MCP_AUTH_TOKEN)"),
    (
        "ZOOM_MCP_ALLOWED_ORIGINS",
        "comma-separated Origin patterns allowed besides loopback, e.g. https://app.example.com",
    ),
    ("ZOOM_MCP_REDIS_URL", "Redis for single-use confirmation tokens across replicas (--stateless)"),
    ("ZOOM_MCP_SANDBOX_FAULTS", "sandbox only: JSON fault rules (429, 5xx, delays, drops; see README)"),
    (
        "ZOOM_MCP_DOWNLOAD_HOSTS",
        "comma-separated hosts that may receive the token on recording downloads (default zoom.us,zoomgov.com)",
    ),
    ("ZOOM_MCP_MAX_DOWNLOAD_MB", "largest transcript or chat file to download, in MB (default 20)"),
    ("ZOOM_MCP_INDEX", "keep the transcript search index in this SQLite file (default: in memory; same as --index)"),
)


class ConfigError(Exception):
    """The configuration cannot work; the message says how to fix it."""


class Secret(str):
    """A string that never shows itself in a repr, a log line or a traceback's locals."""

    def __repr__(self) -> str:
        return "Secret('***')"


@dataclass(frozen=True)
class Settings:
    mode: CredentialMode
    api_base_url: str = DEFAULT_API_BASE_URL
    oauth_token_url: str = DEFAULT_OAUTH_TOKEN_URL
    account_id: str = ""
    client_id: str = ""
    client_secret: Secret = field(default=Secret(""), repr=False)
    access_token: Secret = field(default=Secret(""), repr=False)
    refresh_token: Secret = field(default=Secret(""), repr=False)  # user mode: from `zoom-mcp login`
    log_level: str = "WARNING"
    rate_plan: str = "pro"
    rate_limits: str = ""
    max_attempts: int = 4
    retry_budget: float = 60.0
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    download_hosts: tuple[str, ...] = ("zoom.us", "zoomgov.com")
    max_download_mb: float = 20.0
    index_path: str | None = None

    @property
    def sandbox(self) -> bool:
        return self.mode == "sandbox"


MISSING_CREDENTIALS = """\
zoom-mcp has no Zoom credentials, so it will not start (it never serves made-up data silently).

Either set the credentials of a Zoom Server-to-Server OAuth app:
    export ZOOM_ACCOUNT_ID=...  ZOOM_CLIENT_ID=...  ZOOM_CLIENT_SECRET=...
or a ready access token:
    export ZOOM_ACCESS_TOKEN=...
or sign in as yourself with a user-managed OAuth app:
    export ZOOM_CLIENT_ID=...  ZOOM_CLIENT_SECRET=...  &&  zoom-mcp login
or try it without a Zoom account against the embedded sandbox (fake data, no network):
    zoom-mcp --sandbox        (or ZOOM_MCP_SANDBOX=1)
"""


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def _number(env: Mapping[str, str], name: str, default: float, kind: type = float) -> Any:
    text = env.get(name)
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a {'whole ' if kind is int else ''}number; got {text!r}") from exc
    if value <= 0:
        raise ConfigError(f"{name} must be positive; got {text!r}")
    return value


def _client_options(env: Mapping[str, str]) -> dict[str, Any]:
    from zoom_mcp.zoom.pacing import parse_rates

    plan = (env.get("ZOOM_MCP_RATE_PLAN") or "pro").strip().lower()
    limits = env.get("ZOOM_MCP_RATE_LIMITS") or ""
    try:
        parse_rates(plan, limits)
    except ValueError as exc:
        raise ConfigError(f"ZOOM_MCP_RATE_PLAN / ZOOM_MCP_RATE_LIMITS: {exc}") from exc
    return {
        "log_level": (env.get("ZOOM_MCP_LOG_LEVEL") or "WARNING").upper(),
        "rate_plan": plan,
        "rate_limits": limits,
        "max_attempts": _number(env, "ZOOM_MCP_MAX_ATTEMPTS", 4, int),
        "retry_budget": _number(env, "ZOOM_MCP_RETRY_BUDGET", 60.0),
        "connect_timeout": _number(env, "ZOOM_MCP_CONNECT_TIMEOUT", 10.0),
        "read_timeout": _number(env, "ZOOM_MCP_READ_TIMEOUT", 30.0),
        "download_hosts": tuple(
            h.strip() for h in (env.get("ZOOM_MCP_DOWNLOAD_HOSTS") or "zoom.us,zoomgov.com").split(",") if h.strip()
        ),
        "max_download_mb": _number(env, "ZOOM_MCP_MAX_DOWNLOAD_MB", 20.0),
        "index_path": env.get("ZOOM_MCP_INDEX") or None,
    }


def _stored_login():  # type: ignore[no-untyped-def]
    from zoom_mcp.credentials import CredentialStore

    return CredentialStore().load()


def load_settings(env: Mapping[str, str] | None = None, *, sandbox: bool = False) -> Settings:
    env = os.environ if env is None else env
    options = _client_options(env)
    if sandbox or _truthy(env.get("ZOOM_MCP_SANDBOX")):
        # The sandbox hands out download URLs on its own origin; that origin may receive its token.
        from zoom_mcp.sandbox import identity

        options["download_hosts"] = (*options["download_hosts"], identity.ORIGIN)
        return Settings(mode="sandbox", api_base_url=identity.BASE_URL, oauth_token_url=identity.TOKEN_URL, **options)
    base = (env.get("ZOOM_API_BASE_URL") or DEFAULT_API_BASE_URL).rstrip("/")
    token_url = env.get("ZOOM_OAUTH_TOKEN_URL") or DEFAULT_OAUTH_TOKEN_URL
    s2s = [env.get(name, "").strip() for name in ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET")]
    if all(s2s):
        return Settings(
            mode="server_to_server",
            api_base_url=base,
            oauth_token_url=token_url,
            account_id=s2s[0],
            client_id=s2s[1],
            client_secret=Secret(s2s[2]),
            **options,
        )
    token = env.get("ZOOM_ACCESS_TOKEN", "").strip()
    if token:
        return Settings(
            mode="access_token",
            api_base_url=base,
            oauth_token_url=token_url,
            access_token=Secret(token),
            **options,
        )
    stored = _stored_login()
    if stored is not None:
        return Settings(
            mode="user",
            api_base_url=base,
            oauth_token_url=env.get("ZOOM_OAUTH_TOKEN_URL") or stored.token_url,
            client_id=s2s[1] or stored.client_id,
            client_secret=Secret(s2s[2] or stored.client_secret),
            refresh_token=Secret(stored.refresh_token),
            **options,
        )
    if s2s[1] and s2s[2] and not s2s[0]:
        raise ConfigError(
            "ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET are set but ZOOM_ACCOUNT_ID is not.\n"
            "For a Server-to-Server OAuth app, set ZOOM_ACCOUNT_ID too. For a user-managed OAuth app, "
            "sign in once with:  zoom-mcp login"
        )
    if any(s2s):
        missing = [
            n for n, v in zip(("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"), s2s, strict=True) if not v
        ]
        raise ConfigError(
            f"Incomplete Server-to-Server OAuth credentials: {', '.join(missing)} not set.\n\n" + MISSING_CREDENTIALS
        )
    raise ConfigError(MISSING_CREDENTIALS)


@dataclass(frozen=True)
class SafetySettings:
    confirm: str = "destructive"
    human: bool = False  # --confirm human: only a person's approval on the approval page lets a gated call run
    open_approvals: bool = False
    read_only: bool = False
    toolsets: frozenset[str] | None = None  # None: the catalog's default profile; {"all"}: every toolset
    tools: frozenset[str] = frozenset()
    audit_log: str | None = None
    dynamic: bool = False
    secret: Secret | None = field(default=None, repr=False)
    confirm_ttl: float = 300.0
    redis_url: Secret | None = field(default=None, repr=False)
    hide_unauthorized: bool = False


def _names(value: str | None) -> frozenset[str]:
    return frozenset(n.strip() for n in (value or "").split(",") if n.strip())


def load_safety(
    env: Mapping[str, str] | None = None,
    *,
    confirm: str | None = None,
    read_only: bool = False,
    toolsets: str | None = None,
    tools: str | None = None,
    audit_log: str | None = None,
    dynamic: bool = False,
    hide_unauthorized: bool = False,
    open_approvals: bool = False,
) -> SafetySettings:
    """Flags win over environment variables; `--confirm off` is accepted from the flag only."""
    env = os.environ if env is None else env
    env_confirm = (env.get("ZOOM_MCP_CONFIRM") or "").strip().lower()
    if env_confirm == "off":
        raise ConfigError(
            "ZOOM_MCP_CONFIRM=off is not accepted: turning confirmations off needs the explicit "
            "command-line flag --confirm off."
        )
    words = {w.strip() for w in (confirm or env_confirm or "destructive").lower().split(",") if w.strip()}
    human = "human" in words
    rest = words - {"human"}
    if human and "off" in rest:
        raise ConfigError("--confirm human cannot be combined with off")
    if len(rest) > 1 or not rest <= {"destructive", "writes", "off"}:
        given = confirm or env_confirm
        raise ConfigError(f"--confirm must be destructive, writes, off, human or human,writes; got {given!r}")
    mode = next(iter(rest), "destructive")
    ttl_text = env.get("ZOOM_MCP_CONFIRM_TTL") or "300"
    try:
        ttl = float(ttl_text)
    except ValueError as exc:
        raise ConfigError(f"ZOOM_MCP_CONFIRM_TTL must be a number of seconds; got {ttl_text!r}") from exc
    secret = env.get("ZOOM_MCP_SECRET")
    return SafetySettings(
        confirm=mode,
        human=human,
        open_approvals=open_approvals or _truthy(env.get("ZOOM_MCP_OPEN_APPROVALS")),
        read_only=read_only or _truthy(env.get("ZOOM_MCP_READ_ONLY")),
        toolsets=_names(chosen)
        if (chosen := toolsets if toolsets is not None else env.get("ZOOM_MCP_TOOLSETS"))
        else None,
        tools=_names(tools if tools is not None else env.get("ZOOM_MCP_TOOLS")),
        audit_log=audit_log or env.get("ZOOM_MCP_AUDIT_LOG") or None,
        secret=Secret(secret) if secret else None,
        confirm_ttl=ttl,
        redis_url=Secret(env["ZOOM_MCP_REDIS_URL"]) if env.get("ZOOM_MCP_REDIS_URL") else None,
        dynamic=dynamic or _truthy(env.get("ZOOM_MCP_DYNAMIC")),
        hide_unauthorized=hide_unauthorized or _truthy(env.get("ZOOM_MCP_HIDE_UNAUTHORIZED")),
    )


@dataclass(frozen=True)
class TransportSettings:
    transport: str = "stdio"
    host: str = "127.0.0.1"
    port: int = 8000
    stateless: bool = False
    token: Secret | None = field(default=None, repr=False)
    allowed_origins: tuple[str, ...] = ()
    session_idle_timeout: float = 1800.0
    max_body_bytes: int = 1024 * 1024


def load_transport(
    env: Mapping[str, str] | None = None,
    *,
    transport: str | None = None,
    host: str | None = None,
    port: int | None = None,
    stateless: bool = False,
    token_file: str | None = None,
    allowed_origins: str | None = None,
    session_idle_timeout: float | None = None,
    max_body_bytes: int | None = None,
) -> TransportSettings:
    """Flags win over environment variables. Refuses a public bind without a bearer token."""
    env = os.environ if env is None else env
    kind = (transport or env.get("ZOOM_MCP_TRANSPORT") or "stdio").lower()
    if kind not in ("stdio", "http", "sse"):
        raise ConfigError(f"--transport must be stdio, http or sse; got {kind!r}")
    bind = host or env.get("ZOOM_MCP_HOST") or "127.0.0.1"
    token = env.get("ZOOM_MCP_AUTH_TOKEN") or None
    path = token_file or env.get("ZOOM_MCP_AUTH_TOKEN_FILE")
    if path:
        try:
            token = open(path, encoding="utf-8").read().strip() or None  # noqa: SIM115 - read once
        except OSError as exc:
            raise ConfigError(f"cannot read the auth token file {path}: {exc.strerror}") from exc
    if kind != "stdio" and not token:
        from zoom_mcp.transport.security import is_loopback

        if not is_loopback(bind):
            raise ConfigError(
                f"Refusing to serve on {bind}: beyond loopback, anyone who can reach the port could act on the "
                "Zoom account. Set a bearer token (ZOOM_MCP_AUTH_TOKEN or --auth-token-file) that every client "
                "must send, or bind to 127.0.0.1."
            )
    return TransportSettings(
        transport=kind,
        host=bind,
        port=port or int(_number(env, "ZOOM_MCP_PORT", 8000, int)),
        stateless=stateless,
        token=Secret(token) if token else None,
        allowed_origins=tuple(
            _names(allowed_origins if allowed_origins is not None else env.get("ZOOM_MCP_ALLOWED_ORIGINS"))
        ),
        session_idle_timeout=session_idle_timeout or 1800.0,
        max_body_bytes=max_body_bytes or 1024 * 1024,
    )
