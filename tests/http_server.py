"""Run `zoom-mcp` over HTTP on a loopback port as a real process, for tests and benches."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def zoom_mcp_http(*args: str, env: dict[str, str] | None = None, token: str | None = None) -> Iterator[str]:
    """Yield the base URL of `zoom-mcp --transport http ...`; the process stops when the block ends."""
    port = free_port()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("ZOOM_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "zoom_mcp", "--transport", "http", "--port", str(port), *args],
        env={**base_env, **(env or {})},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"zoom-mcp exited: {proc.stderr.read() if proc.stderr else ''}")
            try:
                if httpx2.get(f"{base}/healthz", headers=headers, timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("zoom-mcp did not become ready")
            time.sleep(0.05)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@dataclass
class SandboxCommand:
    base: str
    stderr: str = ""  # what the command printed, once it stopped


@contextmanager
def zoom_mcp_sandbox_command() -> Iterator[SandboxCommand]:
    """`zoom-mcp sandbox --port N` as a real process, answering on loopback; stopped (and its stderr
    collected) when the block ends."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZOOM_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "zoom_mcp", "sandbox", "--port", str(port)],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    command = SandboxCommand(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx2.get(f"{command.base}/", timeout=1)  # any answer (a 404) means it listens
                break
            except httpx2.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield command
    finally:
        proc.terminate()
        _, command.stderr = proc.communicate(timeout=10)
