"""Deployment basics: probes without the token, readiness, --allowed-hosts, a Kubernetes service link in
ZOOM_MCP_PORT, the access log, a busy port, SIGTERM and Ctrl-C with streams open, and the example deployment
(deploy/Containerfile, deploy/kubernetes.yaml) checked against the project."""

from __future__ import annotations

import contextlib
import os
import pty
import re
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest
import yaml

from tests.http_server import free_port, zoom_mcp_http
from zoom_mcp.app import settings as table

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "deploy-token-77ab"
ENV_NAMES = {row.env for _, row, _ in table.rows() if row.env}
SECRET_NAMES = {row.env for _, row, _ in table.rows() if row.env and row.secret}


def clean_env(**extra: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("ZOOM_")}, **extra}


def serve(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "zoom_mcp", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(url: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(proc.stderr.read() if proc.stderr else "exited")
        try:
            httpx2.get(url, timeout=1)
            return
        except httpx2.TransportError:
            time.sleep(0.05)
    raise RuntimeError("not up")


def test_probes_need_no_token_nor_host_and_say_nothing_secret() -> None:
    env = {"ZOOM_MCP_AUTH_TOKEN": TOKEN}
    with zoom_mcp_http("--sandbox", env=env) as base:
        for path in ("/healthz", "/readyz"):
            answer = httpx2.get(f"{base}{path}", headers={"Host": "10.1.2.3:8000"}, timeout=10)
            assert answer.status_code == 200, (path, answer.text)
            assert TOKEN not in answer.text
        assert httpx2.get(f"{base}/readyz", timeout=10).json() == {"status": "ready", "zoom_token": "ok"}
        assert httpx2.post(f"{base}/mcp", json={}, timeout=10).status_code == 401


def test_readiness_fails_with_the_reason_when_redis_is_down() -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"
    env = {"ZOOM_MCP_REDIS_URL": dead, "ZOOM_MCP_SECRET": "s3cret-for-the-test"}
    with zoom_mcp_http("--sandbox", env=env) as base:
        assert httpx2.get(f"{base}/healthz", timeout=10).status_code == 200  # alive, not ready
        ready = httpx2.get(f"{base}/readyz", timeout=15)
        assert ready.status_code == 503 and "Redis at 127.0.0.1" in ready.json()["reason"]


def test_allowed_hosts_lets_a_same_host_proxy_forward_its_host() -> None:
    with zoom_mcp_http("--sandbox", "--allowed-hosts", "mcp.internal") as base:
        headers = {"Accept": "application/json, text/event-stream"}
        allowed = httpx2.post(f"{base}/mcp", json={}, headers={**headers, "Host": "mcp.internal"}, timeout=10)
        other = httpx2.post(f"{base}/mcp", json={}, headers={**headers, "Host": "evil.example"}, timeout=10)
    assert allowed.status_code != 403 and other.status_code == 403


def test_a_kubernetes_service_link_in_zoom_mcp_port_is_ignored_with_a_warning() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "zoom_mcp", "tools", "--sandbox"],
        env=clean_env(ZOOM_MCP_PORT="tcp://10.0.0.7:8000"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert "zoom-mcp: warning: ZOOM_MCP_PORT looks like a Kubernetes service link (tcp://...)" in done.stderr
    from zoom_mcp.app.settings import load

    assert load({"ZOOM_MCP_PORT": "tcp://10.0.0.7:8000"}).port == 8000


def test_the_access_log_has_a_line_per_request_and_per_failed_auth_without_secrets() -> None:
    port = free_port()
    proc = serve("--sandbox", "--transport", "http", "--port", str(port), env=clean_env(ZOOM_MCP_AUTH_TOKEN=TOKEN))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/healthz", proc)
        httpx2.post(f"{base}/mcp?secret=q", json={"password": "body-secret"}, headers={"Authorization": "Bearer nope"})
        httpx2.get(f"{base}/approvals/page-id-that-is-a-secret")
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=15)
    assert '"event":"auth_failed","method":"POST","path":"/mcp","reason":"wrong bearer token"' in err
    assert '"event":"http","method":"POST","path":"/mcp","status":401' in err
    assert '"path":"/approvals/{id}"' in err
    for secret in ("nope", TOKEN, "body-secret", "secret=q", "page-id-that-is-a-secret"):
        assert secret not in err


def test_a_busy_port_is_one_clear_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "zoom_mcp", "--sandbox", "--transport", "http", "--port", str(port)],
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line and "SANDBOX MODE" not in line]
    assert lines == [
        f"zoom-mcp: port {port} on 127.0.0.1 is already in use: stop what listens there, or choose another with "
        "--port (ZOOM_MCP_PORT)"
    ]


def test_sigterm_with_open_streams_shuts_down_cleanly() -> None:
    port = free_port()
    proc = serve("--sandbox", "--transport", "http", "--port", str(port), env=clean_env())
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/healthz", proc)
        sse = httpx2.Client(timeout=30)
        stream = sse.stream("GET", f"{base}/sse").__enter__()  # an SSE stream, open
        assert stream.status_code == 200
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=20)
        _, err = proc.communicate(timeout=5)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert code == 0
    assert "Traceback" not in err and "Exception in ASGI" not in err, err


@pytest.mark.skipif(sys.platform == "win32", reason="a terminal (pty) is POSIX")
def test_ctrl_c_stops_the_stdio_sandbox_in_a_terminal() -> None:
    pid, fd = pty.fork()
    if pid == 0:  # the child: zoom-mcp --sandbox on a terminal, as `uv run zoom-mcp --sandbox` runs it
        os.execve(sys.executable, [sys.executable, "-m", "zoom_mcp", "--sandbox"], clean_env())
    output = b""
    deadline = time.monotonic() + 30
    while b"SANDBOX MODE" not in output and time.monotonic() < deadline:
        if select.select([fd], [], [], 0.1)[0]:
            output += os.read(fd, 4096)
    os.write(fd, b"\x03")  # Ctrl-C
    deadline = time.monotonic() + 10
    status = None
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if select.select([fd], [], [], 0.1)[0]:
            with contextlib.suppress(OSError):
                output += os.read(fd, 4096)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        pytest.fail("Ctrl-C did not stop the server")
    os.close(fd)
    assert status is not None and os.WEXITSTATUS(status) == 130
    assert b"Traceback" not in output


# --- the example deployment ---------------------------------------------------------------------------------


def containerfile() -> list[tuple[str, str]]:
    text = (ROOT / "deploy" / "Containerfile").read_text()
    joined = re.sub(r"\\\n\s*", " ", text)
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in (raw.strip() for raw in joined.splitlines())
        if line and not line.startswith("#")
    ]


def test_the_container_recipe_matches_the_project() -> None:
    steps = containerfile()
    kinds = [k for k, _ in steps]
    assert kinds[0] == "FROM" and "ENTRYPOINT" in kinds and "HEALTHCHECK" in kinds and "USER" in kinds
    for kind, rest in steps:
        if kind == "COPY" and not rest.startswith("--from"):
            *sources, _ = rest.split()
            for source in sources:
                assert (ROOT / source).exists(), source
        if kind == "ENV":
            names = set(re.findall(r"(\w+)=", rest)) - {"UV_COMPILE_BYTECODE", "UV_LINK_MODE", "UV_PYTHON_DOWNLOADS"}
            assert names <= ENV_NAMES, names - ENV_NAMES
            assert not names & SECRET_NAMES  # secrets never baked into an image
        if kind == "RUN":
            assert "uv sync --frozen --no-dev" in rest
    env = dict(re.findall(r"(\w+)=(\S+)", " ".join(rest for kind, rest in steps if kind == "ENV")))
    assert env["ZOOM_MCP_TRANSPORT"] == "http" and env["ZOOM_MCP_STATELESS"] == "1"
    assert ("EXPOSE", env["ZOOM_MCP_PORT"]) in steps
    health = next(rest for kind, rest in steps if kind == "HEALTHCHECK")
    assert f"127.0.0.1:{env['ZOOM_MCP_PORT']}/healthz" in health
    assert next(rest for kind, rest in steps if kind == "ENTRYPOINT") == '["/app/.venv/bin/zoom-mcp"]'


def test_the_kubernetes_manifest_matches_the_project() -> None:
    documents = list(yaml.safe_load_all((ROOT / "deploy" / "kubernetes.yaml").read_text()))
    by_name = {(d["kind"], d["metadata"]["name"]): d for d in documents}
    server = by_name[("Deployment", "zoom-mcp")]
    assert server["spec"]["replicas"] >= 2
    container = server["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e for e in container["env"]}
    assert set(env) <= ENV_NAMES, set(env) - ENV_NAMES
    for name in SECRET_NAMES & set(env):
        # A Redis URL without a password is no secret; every other secret comes from a Secret.
        clear = name == "ZOOM_MCP_REDIS_URL" and "@" not in env[name].get("value", "@")
        assert clear or "valueFrom" in env[name], f"{name} must come from a Secret"
    for name in ("ZOOM_MCP_AUTH_TOKEN", "ZOOM_MCP_SECRET", "ZOOM_MCP_REDIS_URL"):
        assert name in env  # what replicas need: the README's "Running several replicas"
    assert env["ZOOM_MCP_STATELESS"]["value"] == "1" and env["ZOOM_MCP_HOST"]["value"] == "0.0.0.0"
    port = int(env["ZOOM_MCP_PORT"]["value"])
    assert container["ports"][0]["containerPort"] == port
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert not any("httpHeaders" in container[p]["httpGet"] for p in ("livenessProbe", "readinessProbe"))
    redis_url = env["ZOOM_MCP_REDIS_URL"]["value"]
    redis_service = by_name[("Service", "zoom-mcp-redis")]
    assert f"//{redis_service['metadata']['name']}:{redis_service['spec']['ports'][0]['port']}/" in redis_url
    assert ("Service", "zoom-mcp") in by_name and ("Deployment", "zoom-mcp-redis") in by_name
