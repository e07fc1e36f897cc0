"""Every desktop and editor config in examples/desktop/ parses and starts the exact command it names.

The checkout path placeholder becomes this repository, `${env:X}` comes from the environment and
`${input:X}` from what VS Code would prompt for, as the editors do; then an MCP client starts the
command over stdio, lists the tools and calls one. Real-credential variants reach the sandbox
served over loopback HTTP with real Server-to-Server OAuth or a real `zoom-mcp login`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client, StdioServerParameters

from tests.http_sandbox import serve_sandbox, zoom_env
from tests.test_approvals import enrolled_config
from tests.test_login import env_for, sign_in_as, start_login
from zoom_mcp.sandbox import SANDBOX_CREDENTIALS, Sandbox

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.skipif(shutil.which("uv") is None, reason="the configs start the server with uv"),
]
ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "examples" / "desktop"
PLACEHOLDER = "/path/to/zoom-mcp"


def server_entry(path: Path) -> dict[str, Any]:
    """The one server a config defines: Claude Desktop and Cursor use `mcpServers`, VS Code `servers`."""
    data = json.loads(path.read_text())
    servers = data.get("mcpServers") or data.get("servers")
    assert isinstance(servers, dict) and len(servers) == 1, path.name
    entry = next(iter(servers.values()))
    if "servers" in data:
        assert entry["type"] == "stdio"
    return entry


def resolve(value: str, env: dict[str, str], inputs: dict[str, str]) -> str:
    value = value.replace(PLACEHOLDER, str(ROOT))
    value = re.sub(r"\$\{env:([A-Z_]+)\}", lambda m: env[m.group(1)], value)
    return re.sub(r"\$\{input:([a-z-]+)\}", lambda m: inputs[m.group(1)], value)


async def start(path: Path, env: dict[str, str], inputs: dict[str, str] | None = None) -> tuple[list[str], Any]:
    entry = server_entry(path)
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("ZOOM_")} | env
    params = StdioServerParameters(
        command=entry["command"],
        args=[resolve(a, base_env, inputs or {}) for a in entry["args"]],
        env={**base_env, **{k: resolve(v, base_env, inputs or {}) for k, v in entry.get("env", {}).items()}},
    )
    async with Client(params) as client:
        names = [t.name for t in (await client.list_tools()).tools]
        result = await client.call_tool("list_user_meetings", {"userId": "me"})
    return names, result


def test_configs_keep_secrets_out() -> None:
    paths = sorted(CONFIGS.glob("*.json"))
    assert {p.name for p in paths} == {
        f"{name}{variant}.json"
        for name in ("claude_desktop_config", "vscode-mcp", "cursor-mcp")
        for variant in ("", ".sandbox")
    }
    for path in paths:
        entry = server_entry(path)
        assert entry["args"][:4] == ["--directory", PLACEHOLDER, "run", "zoom-mcp"], path.name
        for value in entry.get("env", {}).values():
            assert re.fullmatch(r"\$\{(env|input):[A-Za-z_-]+\}", value), (path.name, value)  # never inline


@pytest.mark.parametrize("name", ["claude_desktop_config", "vscode-mcp", "cursor-mcp"])
async def test_sandbox_variant_starts_and_serves(name: str) -> None:
    names, result = await start(CONFIGS / f"{name}.sandbox.json", {})
    assert "search_recordings" in names and not result.is_error
    assert result.structured_content["meetings"]


@pytest.mark.parametrize("name", ["vscode-mcp", "cursor-mcp"])
async def test_real_credentials_variant_reads_secrets_from_the_environment(name: str) -> None:
    with serve_sandbox(Sandbox()) as base, enrolled_config() as passkeys:  # the configs use --confirm human
        env = zoom_env(base) | passkeys  # API and token URLs at the loopback sandbox; the config names the rest
        names, result = await start(
            CONFIGS / f"{name}.json", env, {"zoom-client-secret": SANDBOX_CREDENTIALS.client_secret}
        )
    assert "get_meeting" in names and not result.is_error, result.content[0].text


async def test_claude_desktop_variant_works_from_a_personal_sign_in(tmp_path: Path) -> None:
    """No secrets in the file at all: the person ran `zoom-mcp login` once, and the config just starts the server."""
    creds = {"ZOOM_CLIENT_ID": SANDBOX_CREDENTIALS.client_id, "ZOOM_CLIENT_SECRET": SANDBOX_CREDENTIALS.client_secret}
    with serve_sandbox(Sandbox()) as base:
        proc, url = start_login(env_for(base, tmp_path, **creds))
        async with httpx2.AsyncClient() as browser:
            callback = sign_in_as(url).headers["location"]  # the sandbox's Zoom sign-in: its owner
            assert (await browser.get(callback)).status_code == 200
        assert proc.wait(timeout=60) == 0
        signed_in = {
            k: v for k, v in env_for(base, tmp_path).items() if k.startswith("ZOOM_")
        }  # where the sign-in and the (sandbox) Zoom live; no client credentials
        names, result = await start(CONFIGS / "claude_desktop_config.json", signed_in)
    assert "get_meeting" in names and "delete_meeting" not in names  # the config asks for --read-only
    assert not result.is_error, result.content[0].text
