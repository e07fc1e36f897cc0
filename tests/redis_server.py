"""A real redis-server on a loopback port, for the tests that share state across replicas.

Missing binaries skip those tests on a developer's machine; under CI (`CI` set; `.ci/run` installs
Debian's redis-server and haproxy) they fail instead, so CI always runs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.http_server import free_port


def binary(name: str, package: str) -> str:
    """The path of a program the test needs; skip (or, under CI, fail) when it is not installed."""
    found = shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if os.access(p, os.X_OK)), None
    )
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed; .ci/run installs Debian's {package}")
        pytest.skip(f"{name} is not installed (apt-get install {package})")
    return found


class RedisServer:
    """One redis-server that a test may stop and start again on the same port (an outage)."""

    def __init__(self) -> None:
        self.binary = binary("redis-server", "redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._dir = tempfile.TemporaryDirectory()
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._proc = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self._dir.name,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # redis-server crashes at start under libfaketime (`faketime ... pytest`): it keeps the real
            # clock, as a real Redis would; what the tests check of it is relative to its own clock.
            env={k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "FAKETIME")},
        )
        import redis

        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis(port=self.port).ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.wait(timeout=10)
            self._proc = None

    def flush(self) -> None:
        import redis

        redis.Redis(port=self.port).flushall()

    def close(self) -> None:
        self.stop()
        self._dir.cleanup()


@contextmanager
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.close()


@contextmanager
def running_redis() -> Iterator[str]:
    """The URL of a fresh, empty Redis that keeps nothing on disk (for tests that need only the URL)."""
    with redis_server() as server:
        yield server.url
