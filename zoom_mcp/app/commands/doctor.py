"""`zoom-mcp doctor`: is the configuration usable, and which tools will the granted scopes allow?

Prints to stdout (it is a terminal command, not the protocol): the credential mode, whether the
token endpoint answers, the scopes granted, then per toolset the tools that will fail with the
scope to add in the Zoom app. Exit 0 when the credentials work, 1 when they do not.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from typing import TextIO

import httpx2

from zoom_mcp.api import Catalog
from zoom_mcp.api.scopes import unauthorized_tools
from zoom_mcp.config import Settings
from zoom_mcp.insights.tools import TASK_TOOLS
from zoom_mcp.zoom import ZoomAuthError, ZoomCallError

MODES = {
    "server_to_server": "Server-to-Server OAuth app (ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET)",
    "access_token": "a ready access token (ZOOM_ACCESS_TOKEN)",
    "user": "your own Zoom sign-in ('zoom-mcp login', a user-managed OAuth app)",
    "sandbox": "the embedded sandbox (--sandbox): fake data, no Zoom account",
}
WHERE = "Zoom App Marketplace > Manage > your app > Scopes"


async def doctor(settings: Settings, catalog: Catalog, out: TextIO) -> int:
    from zoom_mcp.runtime import client_for

    def say(text: str = "") -> None:
        print(text, file=out)

    say(f"Credentials: {MODES.get(settings.mode, settings.mode)}")
    say(f"API: {settings.api_base_url}")
    async with client_for(settings) as client:
        if settings.mode == "access_token":
            say("Scopes: a ready token does not say which scopes it has; every tool is listed.")
            say("Use a Server-to-Server OAuth app to let the doctor check scopes.")
            return 0
        say(f"Token endpoint: {settings.oauth_token_url}")
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
    missing = unauthorized_tools(catalog, TASK_TOOLS.values(), granted)
    by_set: dict[str, list[str]] = defaultdict(list)
    totals: dict[str, int] = defaultdict(int)
    for tool in [*TASK_TOOLS.values(), *catalog]:
        totals[tool.toolset] += 1
        if tool.name in missing:
            by_set[tool.toolset].append(tool.name)
    say()
    for name in catalog.toolsets:
        if not totals.get(name):
            continue
        failing = by_set.get(name, [])
        mark = "ok" if not failing else f"{totals[name] - len(failing)} of {totals[name]} will work"
        say(f"{name} ({totals[name]} tools): {mark if failing else 'all ' + mark}")
        for tool_name in failing:
            say(f"  - {tool_name}: missing scope, add {missing[tool_name]}")
    works = sum(totals.values()) - len(missing)
    say()
    say(f"{works} of {sum(totals.values())} tools will work with these scopes.")
    if missing:
        scopes = sorted(set(missing.values()))
        say(f"To enable the rest, add in {WHERE}: {' '.join(scopes)}")
        say("Or start the server with --hide-unauthorized to list only the tools that will work.")
    return 0


def run_doctor(sandbox: bool) -> int:
    """`zoom-mcp doctor`: exit 0 when the credentials work, 1 when not, 2 when none are set."""
    import anyio

    from zoom_mcp.api import load_catalog
    from zoom_mcp.config import ConfigError, load_settings

    try:
        settings = load_settings(sandbox=sandbox)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    return anyio.run(doctor, settings, load_catalog(), sys.stdout)
