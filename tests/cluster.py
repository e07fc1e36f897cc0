"""Several `zoom-mcp --transport http --stateless` replicas behind Debian's haproxy, one real redis-server,
one `zoom-mcp sandbox --port` as Zoom: what the README's "Running several replicas" describes, for
tests/test_replicas.py and bench/replicas.py. Everything listens on loopback and stops when the block ends.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.http_server import free_port
from tests.redis_server import binary, redis_server

TOKEN = "replica-token-51c2"
SECRET = "shared-hmac-secret-for-the-replicas"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


def wait_until(check: Any, what: str, timeout: float = 30.0) -> None:
    """Poll `check()` until it is true, with a deadline (never a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not happen within {timeout:.0f}s")
        time.sleep(0.05)


def answers(url: str, status: int = 200) -> bool:
    try:
        return httpx2.get(url, timeout=1).status_code == status
    except httpx2.TransportError:
        return False


@dataclass
class Process:
    """A server process; `stderr` is collected into a file (never a pipe a chatty server could fill)."""

    name: str
    argv: list[str]
    env: dict[str, str]
    port: int
    log: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as err:
            self.proc = subprocess.Popen(
                self.argv, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err
            )

    def kill(self) -> None:
        """SIGKILL: the replica dies mid-call, as a crashed node would."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def stderr(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("ZOOM_")}


HAPROXY = Path(__file__).resolve().parents[1] / "deploy" / "haproxy.cfg"  # the README's configuration


@dataclass
class Cluster:
    lb: str  # the load balancer: what clients use
    zoom: str  # the sandbox, as Zoom
    replicas: list[Process]
    redis_url: str
    workdir: Path
    extra: dict[str, Any] = field(default_factory=dict)

    def sandbox_requests(self) -> list[dict[str, Any]]:
        return list(httpx2.get(f"{self.zoom}/_sandbox/requests", timeout=10).json()["requests"])


def replica_env(zoom: str, redis_url: str | None, extra: Mapping[str, str]) -> dict[str, str]:
    env = {
        **_clean_env(),
        "ZOOM_API_BASE_URL": f"{zoom}/v2",
        "ZOOM_OAUTH_TOKEN_URL": f"{zoom}/oauth/token",
        "ZOOM_ACCOUNT_ID": "sandbox-account",
        "ZOOM_CLIENT_ID": "sandbox-client",
        "ZOOM_CLIENT_SECRET": "sandbox-secret",
        "ZOOM_MCP_DOWNLOAD_HOSTS": f"zoom.us,zoomgov.com,{zoom}",
        "ZOOM_MCP_AUTH_TOKEN": TOKEN,
        "ZOOM_MCP_SECRET": SECRET,
        **extra,
    }
    if redis_url:
        env["ZOOM_MCP_REDIS_URL"] = redis_url
    return env


@contextmanager
def haproxy(ports: list[int], workdir: Path) -> Iterator[str]:
    program = binary("haproxy", "haproxy")
    port = free_port()
    servers = "\n".join(f"    server r{i + 1} 127.0.0.1:{p} check" for i, p in enumerate(ports))
    text = re.sub(r"(?m)^    server r\d.*\n?", "", HAPROXY.read_text()).replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    config = workdir / "haproxy.cfg"
    config.write_text(text.rstrip("\n") + "\n" + servers + "\n")
    lb = Process("haproxy", [program, "-db", "-f", str(config)], _clean_env(), port, workdir / "haproxy.log")
    lb.start()
    try:
        wait_until(lambda: answers(f"{lb.base}/healthz"), "haproxy answering")
        yield lb.base
    finally:
        lb.stop()


@contextmanager
def cluster(
    replicas: int = 3,
    *,
    args: tuple[str, ...] = (),
    env: Mapping[str, str] | None = None,
    sandbox_faults: str | None = None,
    redis: bool = True,
) -> Iterator[Cluster]:
    """redis-server, `zoom-mcp sandbox`, `replicas` zoom-mcp replicas, haproxy in front of them."""
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="zoom-mcp-cluster-")))
        redis_url = stack.enter_context(redis_server()).url if redis else None
        zoom_port = free_port()
        sandbox_env = _clean_env() | ({"ZOOM_MCP_SANDBOX_FAULTS": sandbox_faults} if sandbox_faults else {})
        zoom = Process(
            "sandbox",
            [sys.executable, "-m", "zoom_mcp", "sandbox", "--port", str(zoom_port)],
            sandbox_env,
            zoom_port,
            workdir / "sandbox.log",
        )
        zoom.start()
        stack.callback(zoom.stop)
        wait_until(lambda: answers(f"{zoom.base}/_sandbox/requests"), "the sandbox answering")
        procs = []
        for i in range(replicas):
            port = free_port()
            argv = [sys.executable, "-m", "zoom_mcp", "--transport", "http", "--stateless", "--port", str(port)]
            proc = Process(
                f"replica{i}",
                [*argv, *args],
                replica_env(zoom.base, redis_url, env or {}),
                port,
                workdir / f"replica{i}.log",
            )
            proc.start()
            stack.callback(proc.stop)
            procs.append(proc)
        for proc in procs:
            wait_until(lambda p=proc: answers(f"{p.base}/healthz") or p.proc.poll() is not None, f"{proc.name} up")
            if proc.proc is not None and proc.proc.poll() is not None:
                raise RuntimeError(f"{proc.name} exited: {proc.stderr()}")
        lb = stack.enter_context(haproxy([p.port for p in procs], workdir))
        yield Cluster(lb, zoom.base, procs, redis_url or "", workdir)


@asynccontextmanager
async def session(base: str) -> AsyncIterator[Client]:
    """One client session (stateless: each of its requests may reach another replica)."""
    async with (
        httpx2.AsyncClient(headers=HEADERS, timeout=60) as http,
        Client(streamable_http_client(f"{base}/mcp", http_client=http), mode="legacy") as client,
    ):
        yield client


async def call(base: str, name: str, arguments: dict[str, Any], *, attempts: int = 1) -> Any:
    """One tool call in a fresh client session; with `attempts` > 1, what a client does when its connection
    fails (a replica died): call again, through the load balancer. Returns (result, attempts used)."""
    for attempt in range(1, attempts + 1):
        try:
            async with (
                httpx2.AsyncClient(headers=HEADERS, timeout=30) as http,
                Client(streamable_http_client(f"{base}/mcp", http_client=http), mode="legacy") as client,
            ):
                return await client.call_tool(name, arguments), attempt
        except Exception:
            if attempt == attempts:
                raise
            await anyio.sleep(0.05 * attempt)
    raise AssertionError("unreachable")
