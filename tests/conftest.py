"""Shared fixtures: a pinned clock, a fresh sandbox on it, the server the CLI runs, and MCP sessions.

Every server in the tests is built by the composition root (`assemble`) from settings, exactly as
`zoom-mcp` builds it; the sandbox and the server share one pinned clock, so no test depends on
today's date or on real waiting.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.server import Server

from zoom_mcp.api import Catalog, load_catalog
from zoom_mcp.app.assemble import App, assemble
from zoom_mcp.app.settings import Settings, load
from zoom_mcp.client import ZoomClient
from zoom_mcp.clock import Clock, FixedClock
from zoom_mcp.sandbox import Sandbox

CATALOG = load_catalog()
EMPTY_CONFIG = tempfile.mkdtemp(prefix="zoom-mcp-tests-config-")  # stands in for ~/.config/zoom-mcp
# Stands in for ~/.local/share, where a stdio server keeps its transcript index: for this process and every
# server a test starts (they inherit it), so no test reads or writes the machine user's index.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="zoom-mcp-tests-data-")
PINNED = "2026-06-17T15:04:05Z"  # the moment every test's clock starts at, unless a test pins its own


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return CATALOG


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(PINNED)


@pytest.fixture
def sandbox(clock: FixedClock) -> Sandbox:
    return Sandbox(clock=clock)


def sandbox_settings(env: Mapping[str, str] | None = None, **flags: Any) -> Settings:
    """Settings as `zoom-mcp --sandbox --toolsets all [flags]` with this environment would load them.

    The tests offer every toolset unless they say otherwise (pass `toolsets=None` for the default profile).
    """
    flags.setdefault("toolsets", "all")
    # The machine user's own sign-in, passkeys and spent tokens never take part.
    return load({"ZOOM_MCP_CONFIG_DIR": EMPTY_CONFIG, **(env or {})}, flags={"sandbox": True, **flags})


@asynccontextmanager
async def running(
    sandbox: Sandbox | None,
    clock: Clock,
    env: Mapping[str, str] | None = None,
    *,
    settings: Settings | None = None,
    transport: httpx2.AsyncBaseTransport | None = None,
    **flags: Any,
) -> AsyncIterator[App]:
    """The whole server, as the CLI assembles it, over this sandbox (or `transport`) and clock."""
    chosen = settings or sandbox_settings(env, **flags)
    async with assemble(chosen, clock=clock, catalog=CATALOG, sandbox=sandbox, transport=transport) as app:
        yield app


@pytest.fixture
async def app(sandbox: Sandbox, clock: FixedClock) -> AsyncIterator[App]:
    async with running(sandbox, clock) as built:
        yield built


@pytest.fixture
def zoom(app: App) -> ZoomClient:
    return app.client


@pytest.fixture
def server(app: App) -> Server:
    return app.server


@pytest.fixture
async def mcp(server: Server) -> AsyncIterator[Client]:
    async with Client(server) as client:
        yield client
