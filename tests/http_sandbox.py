"""Serve a test-owned Sandbox over real HTTP on loopback, so tests can read what it received."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from zoom_mcp.sandbox import SANDBOX_CREDENTIALS, Sandbox


@contextmanager
def serve_sandbox(sandbox: Sandbox) -> Iterator[str]:
    """Yield the base address (http://127.0.0.1:PORT) of a server that stops when the block ends."""
    with serve_asgi(sandbox.app) as base:
        yield base


@contextmanager
def serve_asgi(app: Any, port: int = 0) -> Iterator[str]:
    """Serve any ASGI app on a loopback port (default: an ephemeral one) for the duration of the block."""
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("sandbox HTTP server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def zoom_env(base: str) -> dict[str, str]:
    return {
        "ZOOM_API_BASE_URL": f"{base}/v2",
        "ZOOM_OAUTH_TOKEN_URL": f"{base}/oauth/token",
        "ZOOM_ACCOUNT_ID": SANDBOX_CREDENTIALS.account_id,
        "ZOOM_CLIENT_ID": SANDBOX_CREDENTIALS.client_id,
        "ZOOM_CLIENT_SECRET": SANDBOX_CREDENTIALS.client_secret,
    }
