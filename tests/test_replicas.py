"""Stateless streamable HTTP, scaled out: two replicas behind no load balancer, one Redis, one Zoom."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

import zoom_mcp.sandbox.fixtures as s
from tests.http_sandbox import serve_sandbox, zoom_env
from tests.http_server import free_port, zoom_mcp_http
from zoom_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio
TOKEN = "replica-token-51c2"


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed; .ci/run installs Debian's redis-server")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    with tempfile.TemporaryDirectory() as workdir:
        proc = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", workdir],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            import redis

            deadline = time.monotonic() + 10
            while True:
                try:
                    redis.Redis(port=port).ping()
                    break
                except redis.ConnectionError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            proc.terminate()
            proc.wait(timeout=10)


async def call(base: str, name: str, arguments: dict) -> object:
    async with (
        httpx2.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30) as http,
        Client(streamable_http_client(f"{base}/mcp", http_client=http), mode="legacy") as client,
    ):
        return await client.call_tool(name, arguments)


async def test_token_from_replica_a_is_accepted_once_by_b_and_refused_on_replay_at_a(redis_url: str) -> None:
    zoom = Sandbox()
    with serve_sandbox(zoom) as zoom_base:
        env = {
            **zoom_env(zoom_base),
            "ZOOM_MCP_AUTH_TOKEN": TOKEN,
            "ZOOM_MCP_SECRET": "shared-hmac-secret",
            "ZOOM_MCP_REDIS_URL": redis_url,
        }
        with (
            zoom_mcp_http("--stateless", "--toolsets", "all", env=env, token=TOKEN) as a,
            zoom_mcp_http("--stateless", "--toolsets", "all", env=env, token=TOKEN) as b,
        ):
            arguments = {"deviceId": s.H323_DEVICE_ID}
            preview = await call(a, "delete_h323_device", arguments)
            data = preview.structured_content
            assert data["status"] == "confirmation_required"
            assert zoom.mutating_requests() == []
            token = data["confirmation_token"]

            accepted = await call(b, "delete_h323_device", {**arguments, "confirmation_token": token})
            assert not accepted.is_error, accepted.content
            replayed = await call(a, "delete_h323_device", {**arguments, "confirmation_token": token})
            assert replayed.is_error and "already used" in replayed.content[0].text
            health = httpx2.get(f"{b}/healthz", headers={"Authorization": f"Bearer {TOKEN}"}).json()
            assert health["stateless"] is True
    deletes = [r for r in zoom.requests if r.operation == "delete_h323_device"]
    assert len(deletes) == 1 and deletes[0].status == 200
