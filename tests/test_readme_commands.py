"""Every command the README shows works as written, against the sandbox, on this machine.

The README's shell blocks are read from README.md itself. Each command is either run here (in its
block, as one bash script, with the ports it names swapped for free ones and a wait after a
command sent to the background), or is one that another check runs exactly (listed in ELSEWHERE
with the file that runs it, which must contain it). A command that is in neither fails the test,
so a new README command cannot go unchecked.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")

# Commands another check runs as written: command -> (the file that runs it, a fragment proving it does).
ELSEWHERE = {
    "uv run pytest": (
        ".ci/run",
        "uv run pytest",
    ),  # the README's test command: CI runs it (inside itself it would recurse)
    "uvx zoom-mcp --sandbox": ("scripts/ci/wheel.sh", "uvx"),  # needs the PyPI release: the built wheel stands in
    "uvx zoom-mcp tools --sandbox": ("scripts/ci/wheel.sh", "uvx"),
    # Enrolling and removing need a person with a passkey (a browser with an authenticator).
    "uv run zoom-mcp approvals enroll": ("tests/test_approvals_browser.py", '"approvals", "enroll"'),
    "uv run zoom-mcp approvals enroll --name phone": ("tests/test_passkeys.py", 'name="second"'),
    "uv run zoom-mcp approvals remove ID": ("tests/test_passkeys.py", '"remove"'),
    "uv run python examples/mcp_client.py --yes": ("tests/test_framework_examples.py", "examples/mcp_client.py"),
    "uv run python examples/recent_recordings.py": ("tests/test_examples.py", "examples/recent_recordings.py"),
    "uv run examples/pydantic_ai_agent.py": ("tests/test_framework_examples.py", "pydantic_ai_agent.py"),
    "uv run examples/openai_agents.py": ("tests/test_framework_examples.py", "openai_agents.py"),
    "uv run examples/langgraph_agent.py": ("tests/test_framework_examples.py", "langgraph_agent.py"),
    # Sign-in needs a Zoom app (the `...` are the reader's own); tests/test_login.py runs login and the server
    # after it against the sandbox's OAuth endpoints.
    "export ZOOM_CLIENT_ID=... ZOOM_CLIENT_SECRET=...": ("tests/test_login.py", "ZOOM_CLIENT_ID"),
    "uv run zoom-mcp login": ("tests/test_login.py", '"login"'),
    "uv run zoom-mcp": ("tests/test_login.py", '"call", "list_user_meetings"'),  # working as the signed-in person
    "uv run zoom-mcp logout": ("tests/test_login.py", '"logout"'),
    # The load balancer listens on the fixed ports of its file; tests/cluster.py runs that file with free ones.
    "haproxy -f deploy/haproxy.cfg &": ("tests/cluster.py", '"-f", str(config)'),
}


def blocks() -> list[tuple[int, list[str]]]:
    """(line number, commands) of every sh block; continuation lines joined, comments dropped."""
    found = []
    for match in re.finditer(r"```(?:sh|bash|shell)\n(.*?)```", README, re.S):
        line = README[: match.start()].count("\n") + 1
        text = match.group(1).replace("\\\n", " ")
        commands = []
        for raw in text.splitlines():
            command = re.sub(r"\s+#\s.*$", "", raw).strip()
            if command:
                commands.append(re.sub(r"\s+", " ", command))
        found.append((line, commands))
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZOOM_") and k != "VIRTUAL_ENV"}
    # No stored sign-in or passkey of the machine's user can leak in.
    return {**env, "ZOOM_MCP_CONFIG_DIR": str(tmp_path / "config"), "ZOOM_MCP_NO_KEYRING": "1"}


WAIT_FOR = "for _ in $(seq 300); do (exec 3<>/dev/tcp/127.0.0.1/{port}) 2>/dev/null && break; sleep 0.1; done"

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "readme", "version": "0"}},
}


def script_for(commands: list[str]) -> str:
    """One bash script for a block: ports swapped for free ones, a wait after each background command,
    a server in the foreground started in the background and probed, stdio servers sent `initialize`."""
    ports: dict[str, int] = {}
    for p in sorted(set(re.findall(r"(?:--port |127\.0\.0\.1:)(\d{4,5})", " ".join(commands)))):
        while (port := free_port()) in ports.values():  # two ports of one block never become the same one
            pass
        ports[p] = port
    lines = ["set -euo pipefail", "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT"]
    for command in commands:
        for old, new in ports.items():
            command = command.replace(f"--port {old}", f"--port {new}").replace(f"127.0.0.1:{old}", f"127.0.0.1:{new}")
        port = re.search(r"--port (\d+)", command)
        if command.endswith("&"):
            lines += [command, WAIT_FOR.format(port=port.group(1) if port else 0)]
        elif "--transport http" in command and port:  # a server in the foreground: start it, see it answer
            lines += [
                command + " &",
                WAIT_FOR.format(port=port.group(1)),
                f"curl -s -o /dev/null -w '%{{http_code}}\\n' http://127.0.0.1:{port.group(1)}/mcp",
            ]
        elif re.fullmatch(r"uv run zoom-mcp --sandbox", command):  # MCP on stdio: it must answer initialize
            lines.append(f"echo '{json.dumps(INITIALIZE)}' | {command}")
        else:
            lines.append(command)
    return "\n".join(lines) + "\n"


def test_every_readme_command_is_run_here_or_by_a_named_check() -> None:
    for command, (where, fragment) in ELSEWHERE.items():
        assert fragment in (ROOT / where).read_text(encoding="utf-8"), (command, where)
    shown = {c for _, commands in blocks() for c in commands}
    assert set(ELSEWHERE) <= shown, f"no longer in the README: {sorted(set(ELSEWHERE) - shown)}"


RUNNABLE = [(line, [c for c in commands if c not in ELSEWHERE]) for line, commands in blocks()]


@pytest.mark.skipif(shutil.which("uv") is None or shutil.which("curl") is None, reason="the README uses uv and curl")
@pytest.mark.parametrize(
    ("line", "commands"), [r for r in RUNNABLE if r[1]], ids=[f"line-{r[0]}" for r in RUNNABLE if r[1]]
)
def test_readme_block_runs_as_written(line: int, commands: list[str], tmp_path: Path) -> None:
    script = script_for(commands)
    proc = subprocess.run(
        ["bash", "-c", script],
        cwd=ROOT,
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"README block at line {line} failed:\n{script}\n{out[-3000:]}"
    assert "Traceback" not in out, out[-3000:]
    if any("search_recordings" in c for c in commands):  # the sandbox over HTTP finds what was said
        assert '"topic": "Launch retro"' in proc.stdout and "Refused to download" not in out, out[-3000:]
        assert "WARNING" not in proc.stdout  # the doctor sees that downloads will work
    if any("SANDBOX_FAULTS" in c for c in commands):  # the fault demo recovers after a 429 and a 503
        assert "HTTP 429" in proc.stderr and "HTTP 503" in proc.stderr and '"topic"' in proc.stdout, out[-3000:]
    if any(re.fullmatch(r"uv run zoom-mcp --sandbox", c) for c in commands):
        assert '"serverInfo"' in proc.stdout, out[-3000:]
    if any("--transport http" in c for c in commands):
        assert proc.stdout.strip().splitlines()[-1] == "401", out[-3000:]  # up, and wants the bearer token
