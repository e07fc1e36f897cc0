"""`zoom-mcp doctor`: is the configuration usable, and which tools will the granted scopes allow?

Prints to stdout (it is a terminal command, not the protocol): the credential mode, whether the
token endpoint answers (or, for a ready token, whether Zoom accepts it), the scopes granted, then
per toolset the tools that will fail with the scope to add in the Zoom app. Exit 0 when the
credentials work, 1 when they do not, 2 when none are configured.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable
from typing import TextIO
from urllib.parse import urlsplit

import anyio
import httpx2

from zoom_mcp.api import Catalog, load_catalog
from zoom_mcp.app import credentials
from zoom_mcp.app.assemble import build_client, clock_for
from zoom_mcp.app.settings import Settings
from zoom_mcp.client import ZoomClient
from zoom_mcp.client.download import DEFAULT_DOWNLOAD_HOSTS
from zoom_mcp.errors import ConfigError, ZoomAPIError, ZoomAuthError, ZoomCallError
from zoom_mcp.inventory import Inventory, Selection
from zoom_mcp.inventory.filters import missing_scope

MODES = {
    "server_to_server": "Server-to-Server OAuth app (ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET)",
    "access_token": "a ready access token (ZOOM_ACCESS_TOKEN)",
    "user": "your own Zoom sign-in ('zoom-mcp login', a user-managed OAuth app)",
    "sandbox": "the embedded sandbox (--sandbox): fake data, no Zoom account",
}
WHERE = "Zoom App Marketplace > Manage > your app > Scopes"
PROBE = "list_user_meetings"  # a cheap read that any token for a user can try


async def doctor(settings: Settings, catalog: Catalog, out: TextIO) -> int:
    def say(text: str = "") -> None:
        print(text, file=out)

    mode = credentials.resolve(settings).mode
    say(f"Credentials: {MODES.get(mode, mode)}")
    async with build_client(settings, clock_for(settings)) as client:
        say(f"API: {client.base_url}")
        _check_downloads(client, say)
        if mode == "access_token":
            return await _try_ready_token(client, catalog, say)
        say(f"Token endpoint: {getattr(client.auth, 'token_url', '')}")
        try:
            token = await client.fetch_token()
        except ZoomAuthError as exc:
            say(f"FAILED: {exc}")
            return 1
        except ZoomCallError as exc:
            say(f"FAILED: cannot reach the token endpoint ({exc}).")
            return 1
        except httpx2.HTTPError as exc:
            say(f"FAILED: cannot reach the token endpoint ({type(exc).__name__}).")
            return 1
    assert token is not None
    granted = frozenset(token.scopes)
    say(f"Token: OK, {len(granted)} scopes granted.")
    _report_scopes(catalog, granted, say)
    return 0


Say = Callable[..., None]


def _check_downloads(client: ZoomClient, say: Say) -> None:
    """Transcripts download from the API's own origin when it is not Zoom's (a sandbox over HTTP): say
    so when that origin is not a download host, or every transcript tool would be refused its files."""
    parts = urlsplit(client.base_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    zoom = any(parts.hostname == h or (parts.hostname or "").endswith("." + h) for h in DEFAULT_DOWNLOAD_HOSTS)
    if not zoom and not client.download_hosts.allows(f"{origin}/rec/download/x"):
        say(
            f"WARNING: recording downloads from {origin} will be refused (the token goes only to "
            f"ZOOM_MCP_DOWNLOAD_HOSTS: {client.download_hosts.describe()}). If this API serves its own download "
            f"URLs, as the sandbox does, add {origin} to ZOOM_MCP_DOWNLOAD_HOSTS."
        )


async def _try_ready_token(client: ZoomClient, catalog: Catalog, say: Say) -> int:
    """A ready token names no scopes: try one cheap read, so a bogus token fails here, not at the first call."""
    op = catalog.get(PROBE)
    assert op is not None
    try:
        await client.call(op, {"userId": "me", "page_size": 1})
    except ZoomAuthError as exc:
        say(f"FAILED: {exc}")
        return 1
    except ZoomAPIError as exc:
        say(f"Token: accepted by Zoom ({PROBE} answered HTTP {exc.status}: {exc.message}).")
    except ZoomCallError as exc:
        say(f"FAILED: cannot reach Zoom ({exc}).")
        return 1
    else:
        say(f"Token: OK, Zoom accepted it ({PROBE}).")
    say("Scopes: a ready token does not say which scopes it has; every tool is listed.")
    say("Use a Server-to-Server OAuth app to let the doctor check scopes.")
    return 0


def _report_scopes(catalog: Catalog, granted: frozenset[str], say: Say) -> None:
    every = Inventory.build(catalog, Selection(toolsets=frozenset({"all"})))
    by_set: dict[str, list[tuple[str, str]]] = defaultdict(list)
    totals: dict[str, int] = defaultdict(int)
    for item in every.tools():
        totals[item.toolset] += 1
        scope = missing_scope(catalog, item, granted)
        if scope:
            by_set[item.toolset].append((item.name, scope))
    say()
    for name in catalog.toolsets:
        if not totals.get(name):
            continue
        failing = by_set.get(name, [])
        mark = "ok" if not failing else f"{totals[name] - len(failing)} of {totals[name]} will work"
        say(f"{name} ({totals[name]} tools): {mark if failing else 'all ' + mark}")
        for tool_name, scope in failing:
            say(f"  - {tool_name}: missing scope, add {scope}")
    missing = {scope for failing in by_set.values() for _, scope in failing}
    works = sum(totals.values()) - sum(len(f) for f in by_set.values())
    say()
    say(f"{works} of {sum(totals.values())} tools will work with these scopes.")
    if missing:
        say(f"To enable the rest, add in {WHERE}: {' '.join(sorted(missing))}")
        say("Or start the server with --hide-unauthorized to list only the tools that will work.")


def run_doctor(settings: Settings) -> int:
    """`zoom-mcp doctor`: exit 0 when the credentials work, 1 when not, 2 when none are set."""
    try:
        credentials.resolve(settings)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    return anyio.run(doctor, settings, load_catalog(), sys.stdout)
