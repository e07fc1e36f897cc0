"""Every setting in one table: its environment variable, its flag, default, parser and help.

`Settings` is the table: each field is one row (`setting(...)`), so adding a setting is one row.
The command line (`cli.build_parser`), `--help`, the README's configuration table and
docs/configuration.md (`scripts/gen_docs.py`, checked by a test) are all generated from it.
A flag wins over its environment variable, which wins over the default. This is the only module
that reads environment variables.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, cast

from zoom_mcp.errors import ConfigError

log = logging.getLogger(__name__)

DEFAULT_API_BASE_URL = "https://api.zoom.us/v2"
DEFAULT_OAUTH_TOKEN_URL = "https://zoom.us/oauth/token"
DEFAULT_AUTHORIZE_URL = "https://zoom.us/oauth/authorize"
DEFAULT_DOWNLOAD_HOSTS = ("zoom.us", "zoomgov.com")
CONFIRM_CHOICES = ("destructive", "writes", "off", "human", "human,writes")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
TRANSPORTS = ("stdio", "http", "sse")
AUTH_MODES = ("token", "oauth")
REGISTRATIONS = ("cimd", "dcr")
RATE_PLANS = ("free", "pro", "business")

SERVE, TOOLS, CALL, DOCTOR, LOGIN, LOGOUT, SANDBOX = "serve", "tools", "call", "doctor", "login", "logout", "sandbox"
APPROVALS, INDEX = "approvals", "index"
SERVER = frozenset({SERVE, TOOLS, CALL})  # commands that build the MCP server


class Secret(str):
    """A string that never shows itself in a repr, a log line or a traceback's locals."""

    def __repr__(self) -> str:
        return "Secret('***')"


# --- parsers: text (from a flag or the environment) -> value; ValueError with a short reason ---------------


def as_text(value: str) -> str:
    return value.strip()


def as_secret(value: str) -> Secret:
    return Secret(value.strip())


def as_switch(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("must be 1/true/yes/on or 0/false/no/off")


def positive(kind: type) -> Callable[[str], Any]:
    def parse(value: str) -> Any:
        try:
            number = kind(value)
        except ValueError:
            raise ValueError(f"must be a {'whole ' if kind is int else ''}number") from None
        if number <= 0:
            raise ValueError("must be positive")
        return number

    return parse


def as_port(value: str) -> int:
    """A TCP port; 0 asks the system for any free one."""
    try:
        number = int(value)
    except ValueError:
        raise ValueError("must be a port number (0-65535)") from None
    if not 0 <= number <= 65535:
        raise ValueError("must be a port number (0-65535)")
    return number


def as_names(value: str) -> frozenset[str]:
    return frozenset(n.strip() for n in value.split(",") if n.strip())


def as_items(value: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in value.split(",") if n.strip())


def choice(options: tuple[str, ...], *, upper: bool = False) -> Callable[[str], str]:
    def parse(value: str) -> str:
        normal = value.strip().upper() if upper else value.strip().lower()
        if normal not in options:
            raise ValueError(f"must be one of {', '.join(options)}")
        return normal

    return parse


def as_public_url(value: str) -> str:
    """Where people reach the server: https://HOST[:PORT][/PATH], or http://localhost:PORT on this machine
    (browsers allow passkeys only in a secure context, and an IP address is no RP ID)."""
    from urllib.parse import urlsplit  # late: only when the setting is given

    parts = urlsplit(value.strip())
    host = (parts.hostname or "").lower()
    if not host or parts.query or parts.fragment:
        raise ValueError("must be a URL like https://mcp.example.com")
    if parts.scheme != "https" and not (parts.scheme == "http" and host == "localhost"):
        raise ValueError("must be https:// (or http://localhost on this machine): passkeys need a secure context")
    if host.replace(".", "").isdigit() or ":" in host:
        raise ValueError("must name a host, not an IP address: passkeys are bound to a host name")
    return value.strip().rstrip("/")


def as_registrations(value: str) -> frozenset[str]:
    chosen = as_names(value.lower())
    if not chosen <= set(REGISTRATIONS):
        raise ValueError("must be cimd, dcr or cimd,dcr")
    return chosen


PERIODS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}


def as_rate(value: str) -> tuple[int, float] | None:
    """A rate as (requests, in seconds) from "20/minute" or "20 per minute" (second, minute, hour or day), or
    None for "off"."""
    text = value.strip().lower()
    if text == "off":
        return None
    found = re.fullmatch(r"([1-9][0-9]*)\s*(?:/|per)\s*(second|minute|hour|day)", text)
    if found is None:
        raise ValueError('must be a rate such as "20/minute" (per second, minute, hour or day), or "off"')
    return int(found[1]), PERIODS[found[2]]


class Ignored(ValueError):
    """An environment value that is not meant for us: the default stands, with a warning."""


def _env_port(value: str) -> int:
    if value.strip().startswith("tcp://"):
        # Kubernetes sets ZOOM_MCP_PORT=tcp://IP:PORT for a Service named zoom-mcp: a link, not our setting.
        raise Ignored("looks like a Kubernetes service link (tcp://...), not a port: ignored, using the default")
    return as_port(value)


def confirm_mode(value: str) -> str:
    words = {w.strip() for w in value.lower().split(",") if w.strip()}
    if "human" in words and "off" in words:
        raise ValueError("human cannot be combined with off")
    rest = words - {"human"}
    if len(rest) > 1 or not rest <= {"destructive", "writes", "off"} or not words:
        raise ValueError("must be destructive, writes, off, human or human,writes")
    return ",".join(sorted(words, key=lambda w: w != "human"))


# --- the table ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """One row: where a setting comes from and what it means."""

    help: str
    group: str
    parse: Callable[[str], Any] = as_text
    env: str | None = None
    flag: str | None = None
    commands: frozenset[str] = SERVER  # the commands whose command line has the flag
    metavar: str | None = None
    choices: tuple[str, ...] | None = None  # the values the flag accepts (argparse checks and lists them)
    secret: bool = False
    env_parse: Callable[[str], Any] | None = None  # when the environment accepts less than the flag
    default_text: str | None = None  # how the default reads in help and docs, when not the value itself

    @property
    def is_switch(self) -> bool:
        return self.parse is as_switch


def setting(default: Any, help: str, group: str, **row: Any) -> Any:
    return field(default=default, metadata={"setting": Setting(help, group, **row)})


def _env_confirm(value: str) -> str:
    if value.strip().lower() == "off":
        raise ValueError(
            "is not accepted as off: turning confirmations off needs the explicit command-line flag --confirm off"
        )
    return confirm_mode(value)


@dataclass(frozen=True)
class Settings:
    # Zoom credentials: environment only (a flag would show in the process list).
    account_id: str = setting("", "Server-to-Server OAuth app: account ID", "Zoom", env="ZOOM_ACCOUNT_ID")
    client_id: str = setting(
        "", "OAuth app client ID (Server-to-Server, or the user app of 'zoom-mcp login')", "Zoom", env="ZOOM_CLIENT_ID"
    )
    client_secret: Secret = setting(
        Secret(""), "OAuth app client secret", "Zoom", env="ZOOM_CLIENT_SECRET", parse=as_secret, secret=True
    )
    access_token: Secret = setting(
        Secret(""),
        "a ready bearer token instead of an app's credentials (not refreshed)",
        "Zoom",
        env="ZOOM_ACCESS_TOKEN",
        parse=as_secret,
        secret=True,
    )
    api_base_url: str = setting(DEFAULT_API_BASE_URL, "Zoom API base URL", "Zoom", env="ZOOM_API_BASE_URL")
    oauth_token_url: str = setting(DEFAULT_OAUTH_TOKEN_URL, "Zoom OAuth token URL", "Zoom", env="ZOOM_OAUTH_TOKEN_URL")
    oauth_authorize_url: str = setting(
        DEFAULT_AUTHORIZE_URL,
        "Zoom's consent page for 'zoom-mcp login' and --auth oauth",
        "Zoom",
        env="ZOOM_OAUTH_AUTHORIZE_URL",
    )
    config_dir: str = setting(
        "",
        "where 'zoom-mcp login' keeps the sign-in when no keyring exists, the enrolled passkeys' public keys "
        "(--confirm human) and the spent confirmation tokens (with ZOOM_MCP_SECRET)",
        "Zoom",
        env="ZOOM_MCP_CONFIG_DIR",
        default_text="$XDG_CONFIG_HOME/zoom-mcp or ~/.config/zoom-mcp",
    )
    no_keyring: bool = setting(
        False,
        "keep the sign-in in that directory even where a keyring exists",
        "Zoom",
        env="ZOOM_MCP_NO_KEYRING",
        parse=as_switch,
    )

    # The sandbox.
    sandbox: bool = setting(
        False,
        "serve the embedded Zoom sandbox (fake data, no network, no Zoom account)",
        "sandbox",
        env="ZOOM_MCP_SANDBOX",
        flag="--sandbox",
        parse=as_switch,
        commands=SERVER | {DOCTOR},
    )
    sandbox_faults: str | None = setting(
        None,
        "sandbox only: JSON fault rules (429, 5xx, delays, drops; see README)",
        "sandbox",
        env="ZOOM_MCP_SANDBOX_FAULTS",
        flag="--faults",
        commands=frozenset({SANDBOX}),
        metavar="JSON",
    )
    sandbox_now: str | None = setting(
        None,
        "sandbox only: pin the clock at this UTC time (tests, demos), e.g. 2026-03-15T12:00:00Z",
        "sandbox",
        env="ZOOM_MCP_SANDBOX_NOW",
    )
    sandbox_host: str = setting(
        "127.0.0.1",
        "address the 'zoom-mcp sandbox' command binds",
        "sandbox",
        flag="--host",
        commands=frozenset({SANDBOX}),
    )
    sandbox_port: int = setting(
        8080,
        "port of the 'zoom-mcp sandbox' command",
        "sandbox",
        flag="--port",
        parse=as_port,
        commands=frozenset({SANDBOX}),
    )
    sandbox_webhook_url: str | None = setting(
        None,
        "sandbox only: post Zoom's recording webhooks, signed with ZOOM_WEBHOOK_SECRET_TOKEN, to this URL (a "
        "zoom-mcp's /zoom/webhook); 'zoom-mcp --sandbox --transport http' posts them to itself",
        "sandbox",
        env="ZOOM_MCP_SANDBOX_WEBHOOK_URL",
        flag="--webhook-url",
        commands=frozenset({SANDBOX}),
        metavar="URL",
    )
    sandbox_webhook_faults: tuple[str, ...] = setting(
        (),
        "sandbox only: misdeliver each webhook too: bad_signature, replay, duplicate (comma-separated)",
        "sandbox",
        env="ZOOM_MCP_SANDBOX_WEBHOOK_FAULTS",
        flag="--webhook-faults",
        parse=as_items,
        commands=frozenset({SANDBOX}),
        metavar="A,B",
    )

    log_level: str = setting(
        "WARNING",
        "log level on stderr: DEBUG, INFO, WARNING, ERROR",
        "logging",
        env="ZOOM_MCP_LOG_LEVEL",
        parse=choice(LOG_LEVELS, upper=True),
    )

    # What the model sees and what needs a person.
    confirm: str = setting(
        "destructive",
        "which calls need a person's confirmation: destructive, writes (every write too), off (from the flag "
        "only), human (a person approves each on a web page with an enrolled passkey; see 'zoom-mcp approvals' "
        "and the README's threat model), human,writes",
        "safety",
        env="ZOOM_MCP_CONFIRM",
        flag="--confirm",
        parse=confirm_mode,
        env_parse=_env_confirm,
        choices=CONFIRM_CHOICES,
    )
    public_url: str | None = setting(
        None,
        "the https:// URL people reach this server at (behind a proxy): every link the server hands out starts "
        "with it, and passkeys for --confirm human are bound to its host",
        "safety",
        env="ZOOM_MCP_PUBLIC_URL",
        flag="--public-url",
        parse=as_public_url,
        metavar="URL",
        commands=frozenset({SERVE, APPROVALS}),
    )
    open_approvals: bool = setting(
        False,
        "with --confirm human: open each approval page in the browser",
        "safety",
        env="ZOOM_MCP_OPEN_APPROVALS",
        flag="--open-approvals",
        parse=as_switch,
    )
    read_only: bool = setting(
        False, "list and allow only read tools", "safety", env="ZOOM_MCP_READ_ONLY", flag="--read-only", parse=as_switch
    )
    toolsets: frozenset[str] | None = setting(
        None,
        "toolsets to offer: names from 'zoom-mcp tools', 'default' or 'all'",
        "safety",
        env="ZOOM_MCP_TOOLSETS",
        flag="--toolsets",
        parse=as_names,
        metavar="A,B",
        default_text=(
            "the default profile (meetings, recordings, summaries, registrants); "
            "every toolset with --tools or --dynamic"
        ),
    )
    tools: frozenset[str] = setting(
        frozenset(),
        "offer only these tools",
        "safety",
        env="ZOOM_MCP_TOOLS",
        flag="--tools",
        parse=as_names,
        metavar="X,Y",
        default_text="every tool of the toolsets",
    )
    dynamic: bool = setting(
        False,
        "start with discovery meta-tools only (search, enable a toolset, describe, call)",
        "safety",
        env="ZOOM_MCP_DYNAMIC",
        flag="--dynamic",
        parse=as_switch,
    )
    hide_unauthorized: bool = setting(
        False,
        "list only the tools the token's granted scopes allow (see 'zoom-mcp doctor')",
        "safety",
        env="ZOOM_MCP_HIDE_UNAUTHORIZED",
        flag="--hide-unauthorized",
        parse=as_switch,
    )
    audit_log: str | None = setting(
        None,
        "append a JSON line per write/destructive attempt to this file (created owner-only)",
        "safety",
        env="ZOOM_MCP_AUDIT_LOG",
        flag="--audit-log",
        metavar="PATH",
    )
    secret: Secret | None = setting(
        None,
        "HMAC key for confirmation tokens; give every replica the same one",
        "safety",
        env="ZOOM_MCP_SECRET",
        parse=as_secret,
        secret=True,
        default_text="random per process",
    )
    confirm_ttl: float = setting(
        300.0, "seconds a confirmation token stays valid", "safety", env="ZOOM_MCP_CONFIRM_TTL", parse=positive(float)
    )
    approval_ttl: float = setting(
        300.0,
        "seconds an approval (--confirm human) stays valid, pending or approved",
        "safety",
        env="ZOOM_MCP_APPROVAL_TTL",
        parse=positive(float),
    )
    redis_url: Secret | None = setting(
        None,
        "Redis that every replica shares (needs ZOOM_MCP_SECRET): Zoom's rate limits paced account-wide, "
        "approvals, spent confirmation tokens, the Server-to-Server token, and the sealed sign-ins of --auth oauth "
        "(unless --oauth-store names a file); see 'Running several replicas'",
        "safety",
        env="ZOOM_MCP_REDIS_URL",
        parse=as_secret,
        secret=True,
    )

    # The client.
    rate_plan: str = setting(
        "pro",
        "Zoom plan whose per-second rate limits the client paces to: free, pro, business",
        "client",
        env="ZOOM_MCP_RATE_PLAN",
        parse=choice(RATE_PLANS),
    )
    rate_limits: str = setting(
        "", "override requests/second per label, e.g. heavy=5,light=50", "client", env="ZOOM_MCP_RATE_LIMITS"
    )
    max_attempts: int = setting(
        4, "attempts per request when retrying is safe", "client", env="ZOOM_MCP_MAX_ATTEMPTS", parse=positive(int)
    )
    retry_budget: float = setting(
        60.0, "seconds one request may spend on retries", "client", env="ZOOM_MCP_RETRY_BUDGET", parse=positive(float)
    )
    connect_timeout: float = setting(
        10.0, "seconds to connect to Zoom", "client", env="ZOOM_MCP_CONNECT_TIMEOUT", parse=positive(float)
    )
    read_timeout: float = setting(
        30.0, "seconds to wait for Zoom's answer", "client", env="ZOOM_MCP_READ_TIMEOUT", parse=positive(float)
    )
    download_hosts: tuple[str, ...] = setting(
        DEFAULT_DOWNLOAD_HOSTS,
        "hosts that may receive the token on recording downloads (HTTPS, with subdomains; http://host:port for an "
        "exact origin)",
        "client",
        env="ZOOM_MCP_DOWNLOAD_HOSTS",
        parse=as_items,
        default_text="zoom.us,zoomgov.com",
    )
    max_download_mb: float = setting(
        20.0,
        "largest transcript or chat file to download, in MB",
        "client",
        env="ZOOM_MCP_MAX_DOWNLOAD_MB",
        parse=positive(float),
    )
    index: str | None = setting(
        None,
        "keep the transcript search index in this SQLite file, created owner-only",
        "client",
        env="ZOOM_MCP_INDEX",
        flag="--index",
        metavar="PATH",
        commands=SERVER | {INDEX},
        default_text="on stdio, an owner-only file in the data directory (one per Zoom account); else in memory",
    )
    no_index_file: bool = setting(
        False,
        "keep the transcript search index in memory only, even on stdio",
        "client",
        env="ZOOM_MCP_NO_INDEX_FILE",
        flag="--no-index-file",
        parse=as_switch,
        commands=SERVER | {INDEX},
    )
    data_dir: str = setting(
        "",
        "where the transcript search index is kept by default",
        "client",
        env="ZOOM_MCP_DATA_DIR",
        default_text="$XDG_DATA_HOME/zoom-mcp or ~/.local/share/zoom-mcp",
    )
    webhook_secret: Secret | None = setting(
        None,
        "the Zoom app's webhook Secret Token: turns on POST /zoom/webhook (HTTP transports), which keeps the "
        "transcript index current from Zoom's recording events (see the README)",
        "client",
        env="ZOOM_WEBHOOK_SECRET_TOKEN",
        parse=as_secret,
        secret=True,
    )

    # HTTP transports.
    transport: str = setting(
        "stdio",
        "stdio; http: streamable HTTP at /mcp; sse: SSE at /sse (both are always served over HTTP)",
        "transport",
        env="ZOOM_MCP_TRANSPORT",
        flag="--transport",
        parse=choice(TRANSPORTS),
        choices=TRANSPORTS,
        commands=frozenset({SERVE}),
    )
    host: str = setting(
        "127.0.0.1",
        "address to bind for http/sse",
        "transport",
        env="ZOOM_MCP_HOST",
        flag="--host",
        commands=frozenset({SERVE}),
    )
    port: int = setting(
        8000,
        "port for http/sse (a Kubernetes service link, tcp://..., in ZOOM_MCP_PORT is ignored with a warning)",
        "transport",
        env="ZOOM_MCP_PORT",
        flag="--port",
        parse=as_port,
        env_parse=_env_port,
        commands=frozenset({SERVE}),
    )
    stateless: bool = setting(
        False,
        "streamable HTTP without server-side sessions, for several replicas behind a load balancer",
        "transport",
        env="ZOOM_MCP_STATELESS",
        flag="--stateless",
        parse=as_switch,
        commands=frozenset({SERVE}),
    )
    auth_token: Secret | None = setting(
        None,
        "bearer token every HTTP request must carry (required to bind beyond loopback)",
        "transport",
        env="ZOOM_MCP_AUTH_TOKEN",
        parse=as_secret,
        secret=True,
    )
    auth_token_file: str | None = setting(
        None,
        "file holding that token (instead of ZOOM_MCP_AUTH_TOKEN)",
        "transport",
        env="ZOOM_MCP_AUTH_TOKEN_FILE",
        flag="--auth-token-file",
        metavar="PATH",
        commands=frozenset({SERVE}),
    )
    auth: str = setting(
        "token",
        "how HTTP clients authenticate: token (the bearer token above; none on loopback without one), or oauth (each "
        "person signs in with their own Zoom account through this server's OAuth; see docs/deployment.md)",
        "transport",
        env="ZOOM_MCP_AUTH",
        flag="--auth",
        parse=choice(AUTH_MODES),
        choices=AUTH_MODES,
        commands=frozenset({SERVE}),
    )
    allowed_origins: tuple[str, ...] = setting(
        (),
        "browser Origins allowed besides loopback (patterns, e.g. https://*.example.com)",
        "transport",
        env="ZOOM_MCP_ALLOWED_ORIGINS",
        flag="--allowed-origins",
        parse=as_items,
        metavar="A,B",
        commands=frozenset({SERVE}),
    )
    allowed_hosts: tuple[str, ...] = setting(
        (),
        "Host names this server answers to besides loopback and the public URL's (a same-host proxy that "
        "forwards Host), e.g. mcp.internal,zoom-mcp",
        "transport",
        env="ZOOM_MCP_ALLOWED_HOSTS",
        flag="--allowed-hosts",
        parse=as_items,
        metavar="A,B",
        commands=frozenset({SERVE}),
    )
    access_log: bool = setting(
        True,
        "a JSON line on stderr per HTTP request and per refused authentication (method, path, status, time; "
        "never tokens, headers or bodies); 0 turns it off",
        "transport",
        env="ZOOM_MCP_ACCESS_LOG",
        parse=as_switch,
        default_text="on",
    )
    session_idle_timeout: float = setting(
        1800.0,
        "seconds after which an idle session is closed",
        "transport",
        env="ZOOM_MCP_SESSION_IDLE_TIMEOUT",
        flag="--session-idle-timeout",
        parse=positive(float),
        metavar="SECONDS",
        commands=frozenset({SERVE}),
    )
    max_body_bytes: int = setting(
        1024 * 1024,
        "largest request body, in bytes",
        "transport",
        env="ZOOM_MCP_MAX_BODY_BYTES",
        flag="--max-body-bytes",
        parse=positive(int),
        metavar="N",
        commands=frozenset({SERVE}),
    )

    # --auth oauth: people sign in with their own Zoom accounts.
    oauth_key: Secret | None = setting(
        None,
        "Fernet keys sealing the sign-ins at rest (Zoom's tokens, who signed in), comma-separated: the first seals, "
        "all open (to rotate, put a new key first); required with --auth oauth except in the sandbox",
        "sign-in",
        env="ZOOM_MCP_OAUTH_KEY",
        parse=as_secret,
        secret=True,
    )
    oauth_store: str | None = setting(
        None,
        "the SQLite file (created owner-only) holding the sealed sign-ins, registered clients and the hashes of "
        "issued tokens",
        "sign-in",
        env="ZOOM_MCP_OAUTH_STORE",
        flag="--oauth-store",
        metavar="PATH",
        commands=frozenset({SERVE}),
        default_text="in Redis with ZOOM_MCP_REDIS_URL; else oauth.sqlite3 in the config directory; in memory with "
        "--sandbox",
    )
    client_registration: frozenset[str] = setting(
        frozenset(REGISTRATIONS),
        "how MCP clients may register: cimd (a client ID that is the URL of its metadata document), dcr (dynamic "
        "client registration, RFC 7591), or both",
        "sign-in",
        env="ZOOM_MCP_CLIENT_REGISTRATION",
        flag="--client-registration",
        parse=as_registrations,
        metavar="cimd,dcr",
        commands=frozenset({SERVE}),
        default_text="cimd,dcr",
    )
    oauth_rate_limit: tuple[int, float] | None = setting(
        (20, 60.0),
        "how often one client address may call each of /register, /authorize, /token and the consent page (per "
        "replica; past it: 429), or off",
        "sign-in",
        env="ZOOM_MCP_OAUTH_RATE_LIMIT",
        flag="--oauth-rate-limit",
        parse=as_rate,
        metavar="N/minute",
        commands=frozenset({SERVE}),
        default_text="20/minute",
    )
    allowed_client_ids: tuple[str, ...] = setting(
        (),
        "client ID metadata document URLs allowed to sign in (patterns, e.g. https://claude.ai/*)",
        "sign-in",
        env="ZOOM_MCP_ALLOWED_CLIENT_IDS",
        flag="--allowed-client-ids",
        parse=as_items,
        metavar="A,B",
        commands=frozenset({SERVE}),
        default_text="any https URL",
    )
    oauth_ca_bundle: str | None = setting(
        None,
        "PEM file of the CAs trusted when fetching client ID metadata documents, instead of the system's",
        "sign-in",
        env="ZOOM_MCP_OAUTH_CA_BUNDLE",
        default_text="the system's trust store",
    )
    oauth_allow_private_fetch: bool = setting(
        False,
        "development only: let client ID metadata documents be fetched from loopback and private addresses",
        "sign-in",
        env="ZOOM_MCP_OAUTH_ALLOW_PRIVATE_FETCH",
        parse=as_switch,
    )
    access_token_ttl: float = setting(
        3600.0,
        "seconds an issued access token is valid",
        "sign-in",
        env="ZOOM_MCP_ACCESS_TOKEN_TTL",
        parse=positive(float),
    )
    refresh_token_ttl: float = setting(
        30 * 86400.0,
        "seconds an issued refresh token (and a browser's sign-in) is valid",
        "sign-in",
        env="ZOOM_MCP_REFRESH_TOKEN_TTL",
        parse=positive(float),
    )

    # zoom-mcp login.
    login_port: int = setting(
        8765,
        "local port of the sign-in redirect (register http://127.0.0.1:PORT/callback in the app)",
        "login",
        flag="--port",
        parse=as_port,
        commands=frozenset({LOGIN}),
    )
    no_browser: bool = setting(
        False, "only print the sign-in URL", "login", flag="--no-browser", parse=as_switch, commands=frozenset({LOGIN})
    )
    login_timeout: float = setting(
        300.0,
        "seconds to wait for the browser",
        "login",
        flag="--timeout",
        parse=positive(float),
        commands=frozenset({LOGIN}),
        metavar="SECONDS",
    )

    # zoom-mcp approvals.
    approvals_port: int = setting(
        0,
        "local port of the enrol/remove page",
        "approvals",
        flag="--port",
        parse=as_port,
        commands=frozenset({APPROVALS}),
        metavar="PORT",
        default_text="any free port",
    )
    approvals_timeout: float = setting(
        300.0,
        "seconds to wait for the passkey in the browser",
        "approvals",
        flag="--timeout",
        parse=positive(float),
        commands=frozenset({APPROVALS}),
        metavar="SECONDS",
    )
    passkey_name: str = setting(
        "zoom-mcp approvals",
        "a name for the new passkey, shown by 'zoom-mcp approvals list'",
        "approvals",
        flag="--name",
        metavar="NAME",
        commands=frozenset({APPROVALS}),
    )

    # --- what the rows mean together -------------------------------------------------------------------------

    @property
    def human_approvals(self) -> bool:
        return "human" in self.confirm.split(",")

    @property
    def confirm_mode(self) -> Literal["destructive", "writes", "off"]:
        rest = [w for w in self.confirm.split(",") if w != "human"]
        mode = rest[0] if rest else "destructive"
        assert mode in ("destructive", "writes", "off"), mode  # confirm_mode() parsed it
        return cast(Literal["destructive", "writes", "off"], mode)

    @property
    def credentials_dir(self) -> Path:
        return Path(self.config_dir) if self.config_dir else Path.home() / ".config" / "zoom-mcp"

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir) if self.data_dir else Path.home() / ".local" / "share" / "zoom-mcp"

    @property
    def webhooks(self) -> bool:
        """The webhook receiver is on: the app's secret token is set and MCP is served over HTTP."""
        return bool(self.webhook_secret) and self.transport != "stdio"

    @property
    def oauth(self) -> bool:
        """People sign in with their own Zoom accounts (HTTP only; `serve` refuses it on stdio)."""
        return self.auth == "oauth" and self.transport != "stdio"

    @property
    def pages_public_url(self) -> str | None:
        """The public URL the approval pages are served at; stdio serves them itself on localhost."""
        return self.public_url if self.transport != "stdio" else None


def shown(default: Any) -> str:
    """A default as help and docs print it (300, not 300.0)."""
    if isinstance(default, float) and default.is_integer():
        return str(int(default))
    return str(default)


def rows() -> list[tuple[str, Setting, Any]]:
    """(name, row, default) for every setting, in table order."""
    out = []
    for f in fields(Settings):
        default = f.default if f.default is not MISSING else None
        out.append((f.name, f.metadata["setting"], default))
    return out


def load(
    env: Mapping[str, str] | None = None, *, command: str = SERVE, flags: Mapping[str, Any] | None = None
) -> Settings:
    """Settings from flags (as the command line gives them: text, or True for a switch), then the
    environment, then the defaults. Raises ConfigError naming the flag or variable that is wrong."""
    env = os.environ if env is None else env
    given = {k: v for k, v in (flags or {}).items() if v is not None and v is not False}
    values: dict[str, Any] = {}
    for name, row, _ in rows():
        if name in given:
            raw = given.pop(name)
            values[name] = raw if isinstance(raw, bool) else _parse(row.parse, str(raw), row.flag or name)
        elif row.env and env.get(row.env, "").strip():
            try:
                values[name] = _parse(row.env_parse or row.parse, env[row.env], row.env)
            except _IgnoredSetting as exc:
                log.warning("%s", exc)
    if given:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(given))}")
    home = Path(env.get("HOME") or Path.home())
    if "config_dir" not in values:
        base = env.get("XDG_CONFIG_HOME") or str(home / ".config")
        values["config_dir"] = str(Path(base) / "zoom-mcp")
    if "data_dir" not in values:
        base = env.get("XDG_DATA_HOME") or str(home / ".local" / "share")
        values["data_dir"] = str(Path(base) / "zoom-mcp")
    settings = Settings(**values)
    return _read_token_file(settings)


class _IgnoredSetting(Exception):
    pass


def _parse(parse: Callable[[str], Any], raw: str, where: str) -> Any:
    try:
        return parse(raw)
    except Ignored as exc:
        raise _IgnoredSetting(f"zoom-mcp: warning: {where} {exc}") from None
    except ValueError as exc:
        shown = "***" if parse is as_secret else repr(raw)
        raise ConfigError(f"{where} {exc}; got {shown}") from None


def _read_token_file(settings: Settings) -> Settings:
    if not settings.auth_token_file:
        return settings
    path = settings.auth_token_file
    try:
        token = Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"cannot read the auth token file {path}: {exc.strerror}") from exc
    return dataclasses.replace(settings, auth_token=Secret(token) if token else None)
