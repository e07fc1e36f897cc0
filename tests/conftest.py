"""Shared fixtures: a fresh sandbox per test, the shared client on it, and MCP sessions."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from mcp import Client
from mcp.server import Server

from zoom_mcp.api import Catalog, load_catalog
from zoom_mcp.config import load_settings
from zoom_mcp.runtime import client_for
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.server import build_server
from zoom_mcp.zoom import ZoomClient

CATALOG = load_catalog()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return CATALOG


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox()


@pytest.fixture
async def zoom(sandbox: Sandbox) -> AsyncIterator[ZoomClient]:
    async with client_for(load_settings({}, sandbox=True), sandbox) as client:
        yield client


@pytest.fixture
def server(zoom: ZoomClient) -> Server:
    return build_server(CATALOG, zoom, sandbox=True)


@pytest.fixture
async def mcp(server: Server) -> AsyncIterator[Client]:
    async with Client(server) as client:
        yield client
