"""`zoom-mcp doctor` and `--hide-unauthorized` against the sandbox served over real HTTP.

The sandbox can issue tokens with fewer scopes (as a Zoom app with some scopes missing would get)
and then answers calls those scopes do not cover with Zoom's error 4711.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from mcp import Client

from tests.conftest import CATALOG
from tests.http_sandbox import serve_sandbox, zoom_env
from zoom_mcp.api.scopes import authorized
from zoom_mcp.app.assemble import assemble
from zoom_mcp.app.settings import load
from zoom_mcp.sandbox import SANDBOX_CREDENTIALS, Sandbox

ROOT = Path(__file__).resolve().parents[1]
RECORDING_SCOPES = {s for op in CATALOG if op.toolset == "recordings" for s in (*op.scopes, *op.granular_scopes)}
ALL_SCOPES = {s for op in CATALOG for s in (*op.scopes, *op.granular_scopes)}


def without_recordings() -> Sandbox:
    return Sandbox(scopes=ALL_SCOPES - RECORDING_SCOPES)


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ZOOM_")}
    return subprocess.run(
        [sys.executable, "-m", "zoom_mcp", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**clean, **env},
        cwd=ROOT,
    )


def test_a_token_with_every_scope_lets_every_tool_work() -> None:
    with serve_sandbox(Sandbox()) as base:
        proc = run("doctor", env=zoom_env(base))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Credentials: Server-to-Server OAuth app" in out and "Token: OK" in out
    assert f"{len(CATALOG) + 3} of {len(CATALOG) + 3} tools will work" in out
    assert "missing scope" not in out


def test_a_token_missing_recording_scopes_names_the_tools_and_the_scopes_to_add() -> None:
    with serve_sandbox(without_recordings()) as base:
        proc = run("doctor", env=zoom_env(base))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    recordings = [op for op in CATALOG if op.toolset == "recordings"]
    assert f"recordings ({len(recordings) + 3} tools): 0 of {len(recordings) + 3} will work" in out
    assert "  - list_user_recordings: missing scope, add cloud_recording:read:list_user_recordings:admin" in out
    assert "  - search_recordings: missing scope" in out and "  - get_meeting_brief: missing scope" in out
    assert "meetings (" in out and "meetings (15 tools): all ok" in out
    assert "cloud_recording:read:list_user_recordings:admin" in out.split("add in Zoom App Marketplace")[1]
    assert "--hide-unauthorized" in out


def test_a_bogus_ready_token_is_tried_and_fails() -> None:
    """A ready token names no scopes, so the doctor tries one cheap read rather than saying all is well."""
    with serve_sandbox(Sandbox()) as base:
        env = {"ZOOM_API_BASE_URL": f"{base}/v2", "ZOOM_ACCESS_TOKEN": "not-a-real-token"}
        bogus = run("doctor", env=env)
        token = run("doctor", env=zoom_env(base)).stdout  # a real one from the sandbox's token endpoint
    assert bogus.returncode == 1 and "FAILED: Zoom rejected ZOOM_ACCESS_TOKEN (HTTP 401)" in bogus.stdout
    assert "not-a-real-token" not in bogus.stdout + bogus.stderr
    assert "Token: OK" in token


def test_the_doctor_warns_when_downloads_from_this_api_would_be_refused() -> None:
    """The README's sandbox-over-HTTP recipe without ZOOM_MCP_DOWNLOAD_HOSTS: transcripts would all be refused."""
    with serve_sandbox(Sandbox()) as base:
        without = run("doctor", env=zoom_env(base))
        with_hosts = run("doctor", env={**zoom_env(base), "ZOOM_MCP_DOWNLOAD_HOSTS": f"zoom.us,{base}"})
    assert f"WARNING: recording downloads from {base} will be refused" in without.stdout
    assert f"add {base} to ZOOM_MCP_DOWNLOAD_HOSTS" in without.stdout
    assert "WARNING" not in with_hosts.stdout


def test_bad_credentials_fail_clearly_without_printing_the_secret() -> None:
    with serve_sandbox(Sandbox()) as base:
        proc = run("doctor", env={**zoom_env(base), "ZOOM_CLIENT_SECRET": "wrong-secret-value"})
    assert proc.returncode == 1
    assert "FAILED: Zoom's token endpoint refused the Server-to-Server OAuth credentials (HTTP 401" in proc.stdout
    assert "wrong-secret-value" not in proc.stdout + proc.stderr
    assert SANDBOX_CREDENTIALS.client_secret not in proc.stdout + proc.stderr


def test_an_unreachable_token_endpoint_and_missing_credentials() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket closes
    proc = run("doctor", env=zoom_env(f"http://127.0.0.1:{port}"))
    assert proc.returncode == 1 and "FAILED: cannot reach the token endpoint (ConnectError)" in proc.stdout
    missing = run("doctor", env={})
    assert missing.returncode == 2 and "ZOOM_ACCOUNT_ID" in missing.stderr


def test_the_sandbox_refuses_calls_outside_the_tokens_scopes() -> None:
    op = CATALOG.get("list_user_recordings")
    assert op is not None and not authorized(op, ALL_SCOPES - RECORDING_SCOPES)
    with serve_sandbox(without_recordings()) as base:
        proc = run("call", "list_user_recordings", '{"userId": "me"}', env=zoom_env(base))
        meetings = run("call", "list_user_meetings", '{"userId": "me"}', env=zoom_env(base))
    assert proc.returncode != 0 and "Zoom code 4711: Invalid access token, does not contain scopes:[" in proc.stdout
    assert meetings.returncode == 0, meetings.stdout


@pytest.mark.anyio
async def test_hide_unauthorized_lists_only_the_tools_the_scopes_allow() -> None:
    with serve_sandbox(without_recordings()) as base:
        settings = load(zoom_env(base), flags={"toolsets": "all", "hide_unauthorized": True})
        async with assemble(settings) as app, Client(app.server) as client:
            names = {t.name for t in (await client.list_tools()).tools}
            refused = await client.call_tool("list_user_recordings", {"userId": "me"})
    recording_tools = {op.name for op in CATALOG if op.toolset == "recordings"}
    assert names and not names & recording_tools and "search_recordings" not in names
    assert "get_meeting" in names and "list_user_meetings" in names
    assert (
        refused.is_error
        and "needs the scope cloud_recording:read:list_user_recordings:admin" in refused.content[0].text
    )
