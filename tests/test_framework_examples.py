"""Every example under examples/ runs as its header says, offline, against the sandbox.

The framework examples (pydantic-ai, OpenAI Agents SDK, LangGraph) each bring their own environment
through PEP 723 inline metadata, locked in `examples/<file>.py.lock`, so they run with
`uv run examples/<file>.py`; the first run installs their packages, hence the long timeout. Model
API keys are removed from the environment, so each one uses its scripted offline model, which still
makes the real `search_recordings` call through the server: the answer it prints is built from what
the sandbox returned.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 600  # a cold run resolves and installs a framework's packages
MODEL_KEYS = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_BASE_URL")


def offline_env() -> dict[str, str]:
    """This environment without Zoom credentials, model API keys, or the project's active venv."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ZOOM_") and not k.endswith("_API_KEY") and k not in MODEL_KEYS and k != "VIRTUAL_ENV"
    }


def run(args: list[str]) -> str:
    proc = subprocess.run(
        args,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=offline_env(),
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc.stdout


def test_mcp_client_example_confirms_the_delete_with_yes() -> None:
    out = run([sys.executable, str(ROOT / "examples/mcp_client.py"), "--yes"])
    assert "search_recordings" in out.splitlines()[0]
    assert "Top hit: Sam Okafor at 00:00:02 in 'Launch retro'" in out
    assert "The **launch** **date** slipped to March 3rd" in out
    assert "zoom://meetings/%2FajXp112QmuoKj4854875%3D%3D/transcript" in out
    assert "[00:00:02] Sam Okafor: The launch date slipped to March 3rd because of the billing migration." in out
    assert "The server asks:" in out and "delete_meeting: DELETE /meetings/85746065432" in out
    assert "Weekly design review" in out
    assert "-> accepted" in out
    assert "Deleted meeting 85746065432: Done" in out


def test_mcp_client_example_declines_without_a_person() -> None:
    out = run([sys.executable, str(ROOT / "examples/mcp_client.py")])  # stdin is not a TTY: declines
    assert "Top hit: Sam Okafor at 00:00:02 in 'Launch retro'" in out
    assert "delete_meeting: DELETE /meetings/85746065432" in out
    assert "-> declined" in out
    assert "Declined: Nothing was done" in out
    assert "Deleted meeting" not in out


FRAMEWORK_EXAMPLES = ["pydantic_ai_agent.py", "openai_agents.py", "langgraph_agent.py"]


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv is not on PATH; the framework examples run with `uv run`")
@pytest.mark.parametrize("example", FRAMEWORK_EXAMPLES)
def test_framework_example_answers_from_the_sandbox(example: str) -> None:
    out = run(["uv", "run", "--quiet", "--locked", f"examples/{example}"])  # --locked: the .py.lock matches the header
    assert "Q: What was said about the launch date in recent meetings?" in out
    answers = [line for line in out.splitlines() if line.startswith("A: ")]
    assert len(answers) == 1, out
    answer = answers[0]
    assert 'In "Launch retro"' in answer and "Sam Okafor said at 00:00:02" in answer, answer
    assert '"The launch date slipped to March 3rd because of the billing migration."' in answer, answer


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv is not on PATH; the framework examples run with `uv run`")
@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "examples/mcp_client.py", "--real"],
        [sys.executable, "examples/recent_recordings.py", "--real"],
        *(["uv", "run", "--quiet", "--locked", f"examples/{example}", "--real"] for example in FRAMEWORK_EXAMPLES),
    ],
)
def test_real_mode_without_credentials_says_what_to_set(command: list[str], tmp_path: Path) -> None:
    """`--real` with no Zoom credentials: the server's own message and one line, no traceback."""
    env = {**offline_env(), "ZOOM_MCP_CONFIG_DIR": str(tmp_path), "ZOOM_MCP_NO_KEYRING": "1"}  # no stored sign-in
    proc = subprocess.run(
        command, capture_output=True, text=True, timeout=TIMEOUT, env=env, cwd=ROOT, stdin=subprocess.DEVNULL
    )
    assert proc.returncode == 1, proc.stderr
    assert "no Zoom credentials are set" in proc.stderr and "export ZOOM_ACCOUNT_ID=" in proc.stderr
    assert "its own message above says what to set" in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.splitlines()) < 20, proc.stderr
