"""The terminal way in: --help, --version, tools, call, and the refusal without credentials."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from zoom_mcp import __version__
from zoom_mcp.api import Catalog
from zoom_mcp.tasks.tools import TASK_TOOLS


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("ZOOM_")}
    return subprocess.run(
        [sys.executable, "-m", "zoom_mcp", *args],
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_without_credentials_it_refuses_and_explains() -> None:
    proc = run()
    assert proc.returncode == 2
    assert proc.stdout == ""
    for needle in ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET", "ZOOM_ACCESS_TOKEN", "--sandbox"):
        assert needle in proc.stderr


def test_incomplete_credentials_name_what_is_missing() -> None:
    proc = run(env={"ZOOM_ACCOUNT_ID": "acct", "ZOOM_CLIENT_ID": "cid"})
    assert proc.returncode == 2 and "ZOOM_CLIENT_SECRET not set" in proc.stderr


def test_help_lists_commands_and_environment() -> None:
    proc = run("--help")
    assert proc.returncode == 0
    for needle in ("--sandbox", "ZOOM_API_BASE_URL", "tools", "call", "sandbox"):
        assert needle in proc.stdout


def test_version() -> None:
    proc = run("--version")
    assert proc.returncode == 0 and __version__ in proc.stdout


def test_tools_lists_every_tool_with_its_safety(catalog: Catalog) -> None:
    proc = run("tools", "--sandbox", "--toolsets", "all")
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: line.split()[1] for line in proc.stdout.splitlines() if line.strip()}
    assert rows == {op.name: op.safety for op in catalog} | {name: "read" for name in TASK_TOOLS}


def test_call_prints_the_result() -> None:
    proc = run("call", "list_user_recordings", '{"userId": "me"}', "--sandbox")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["meetings"] and "recording_files" in data["meetings"][0]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("call", "get_meeting", "{}", "--sandbox"), "meetingId: is required"),
        (("call", "get_meeting", "not json", "--sandbox"), "JSON object"),
        (("call", "get_meetin", "{}", "--sandbox"), "Did you mean: get_meeting"),
    ],
)
def test_call_reports_bad_input(args: tuple[str, ...], needle: str) -> None:
    proc = run(*args)
    assert proc.returncode != 0
    assert needle in proc.stdout + proc.stderr


def test_read_only_flag_lists_only_reads(catalog: Catalog) -> None:
    proc = run("tools", "--sandbox", "--read-only", "--toolsets", "all")
    assert proc.returncode == 0, proc.stderr
    names = {line.split()[0] for line in proc.stdout.splitlines() if line.strip()}
    assert names == {op.name for op in catalog if op.safety == "read"} | set(TASK_TOOLS)


def test_toolsets_from_the_environment(catalog: Catalog) -> None:
    proc = run("tools", "--sandbox", env={"ZOOM_MCP_TOOLSETS": "h323,summaries"})
    names = {line.split()[0] for line in proc.stdout.splitlines() if line.strip()}
    assert names == {op.name for op in catalog if op.toolset in ("h323", "summaries")}


@pytest.mark.parametrize(
    ("args", "env", "needle"),
    [
        (("--toolsets", "recordingz"), {}, "unknown toolset(s): recordingz"),
        (("--tools", "nuke_everything"), {}, "unknown tool(s): nuke_everything"),
        ((), {"ZOOM_MCP_CONFIRM": "off"}, "needs the explicit command-line flag --confirm off"),
        (("--confirm", "sometimes"), {}, "invalid choice"),
    ],
)
def test_bad_policy_settings_are_refused_clearly(args: tuple[str, ...], env: dict[str, str], needle: str) -> None:
    proc = run("tools", "--sandbox", *args, env=env)
    assert proc.returncode == 2 and needle in proc.stderr


def test_destructive_call_without_a_terminal_sends_nothing_exits_3_and_says_how() -> None:
    proc = run("call", "delete_meeting", '{"meetingId": 85746065432}', "--sandbox")
    assert proc.returncode == 3, proc.stderr
    assert "Nothing was sent to Zoom: DELETE /meetings/85746065432" in proc.stderr
    assert "in a terminal" in proc.stderr and "--confirm off" in proc.stderr
    assert "confirmation_token" not in proc.stderr + proc.stdout  # no shared secret: no later call would take it


def test_sandbox_faults_from_the_environment_reach_the_cli() -> None:
    faults = '[{"fault": "status", "status": 503, "times": 99}]'
    proc = run(
        "call",
        "get_meeting",
        '{"meetingId": 85746065432}',
        "--sandbox",
        env={"ZOOM_MCP_SANDBOX_FAULTS": faults, "ZOOM_MCP_MAX_ATTEMPTS": "2", "ZOOM_MCP_RETRY_BUDGET": "5"},
    )
    assert proc.returncode == 1
    assert "HTTP 503" in proc.stdout and "2 attempts" in proc.stdout


def test_bad_fault_rules_are_refused() -> None:
    proc = run("sandbox", "--faults", '{"fault": "meteor"}')
    assert proc.returncode == 2 and "unknown fault 'meteor'" in proc.stderr


def test_default_profile_and_all(catalog: Catalog) -> None:
    default = {line.split()[0] for line in run("tools", "--sandbox").stdout.splitlines() if line.strip()}
    assert default == {op.name for op in catalog if op.toolset in catalog.default_toolsets} | set(TASK_TOOLS)
    extended = run("tools", "--sandbox", "--toolsets", "default,h323").stdout
    assert {line.split()[0] for line in extended.splitlines() if line.strip()} == default | {
        op.name for op in catalog if op.toolset == "h323"
    }
