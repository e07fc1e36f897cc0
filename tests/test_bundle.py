"""The MCP Bundle, as Claude Desktop gets it: built and packed by scripts/ci/bundle.sh (the pinned `mcpb`),
unpacked into a directory of the host's, and started with the exact command its manifest declares.

The host's substitution of `${__dirname}` and `${user_config.*}` is done by `getMcpConfigForManifest`
from the pinned @anthropic-ai/mcpb package (the reference implementation), with the user's answers
"sandbox on, everything else as offered"; then an MCP client starts that command over stdio and lists
the tools. A second start with uv offline shows the unpacked bundle needs nothing more from the network.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client, StdioServerParameters

from tests.conftest import running
from tests.http_sandbox import serve_sandbox
from tests.test_login import env_for, sign_in_as, start_login
from zoom_mcp import __version__
from zoom_mcp.app.settings import load
from zoom_mcp.clock import FixedClock
from zoom_mcp.sandbox import SANDBOX_CREDENTIALS, Sandbox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import gen_packaging  # noqa: E402

TOOLS = ("npm", "node", "uv")
pytestmark = [
    pytest.mark.anyio,
    # In CI (.ci/run installs Node.js and uv) a missing tool fails these tests instead of skipping them.
    pytest.mark.skipif(
        not all(shutil.which(t) for t in TOOLS) and not os.environ.get("CI"), reason="needs npm, node and uv"
    ),
]
# What the person answers in the bundle's settings dialog; every other field keeps the manifest's default.
ANSWERS = {"sandbox": True}
SEARCH = ("search_recordings", {"query": "launch date"})
MEETINGS = ("list_user_meetings", {"userId": "me"})

RESOLVE = """
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [library, manifestPath, extensionPath, answers] = process.argv.slice(1);
const { getMcpConfigForManifest } = await import(pathToFileURL(library).href);
const config = await getMcpConfigForManifest({
  manifest: JSON.parse(readFileSync(manifestPath, "utf-8")),
  extensionPath,
  systemDirs: { HOME: process.env.HOME, DESKTOP: "", DOCUMENTS: "", DOWNLOADS: "" },
  userConfig: JSON.parse(answers),
  pathSeparator: "/",
});
process.stdout.write(JSON.stringify(config ?? null));
"""


def node_modules() -> Path:
    bin_dir = subprocess.run(
        ["bash", "-c", "source scripts/ci/lib.sh && ci_node_tools"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return Path(bin_dir).parent


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build = subprocess.run(
        ["bash", "scripts/ci/bundle.sh", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert "Manifest schema validation passes!" in build.stdout
    return out / f"zoom-mcp-{__version__}.mcpb"


@pytest.fixture(scope="module")
def unpacked(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Where a host keeps its extensions; the space is deliberate (macOS: "Application Support").
    target = tmp_path_factory.mktemp("host") / "Application Support" / "Claude Extensions" / "zoom-mcp"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(target)
    return target


def resolve(unpacked: Path, answers: dict[str, Any]) -> dict[str, Any]:
    """The command, arguments and environment the host runs for these answers, substituted by mcpb's own code."""
    library = node_modules() / "@anthropic-ai" / "mcpb" / "dist" / "index.js"
    manifest = unpacked / "manifest.json"
    resolved = subprocess.run(
        ["node", "--input-type=module", "-e", RESOLVE, str(library), str(manifest), str(unpacked), json.dumps(answers)],
        check=True,
        capture_output=True,
        text=True,
    )
    config = json.loads(resolved.stdout)
    assert config is not None, "mcpb refused the configuration (a required field without a value)"
    assert "${" not in json.dumps(config), config
    return config


@pytest.fixture(scope="module")
def launch(unpacked: Path) -> dict[str, Any]:
    return resolve(unpacked, ANSWERS)


def host_environment(config: dict[str, Any], **extra: str) -> dict[str, str]:
    # The host's own environment (PATH, HOME, certificates), without this test run's project or Zoom settings.
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("ZOOM_", "VIRTUAL_ENV", "UV_PROJECT"))}
    return {**inherited, **config["env"], **extra}


async def list_over_stdio(
    config: dict[str, Any], env: dict[str, str], cwd: Path, call: tuple[str, dict[str, Any]]
) -> tuple[list[str], Any]:
    params = StdioServerParameters(command=config["command"], args=config["args"], env=env, cwd=str(cwd))
    async with Client(params) as client:
        names = sorted(t.name for t in (await client.list_tools()).tools)
        result = await client.call_tool(*call)
    return names, result


async def expected_tools(env: dict[str, str]) -> list[str]:
    """What zoom-mcp offers with exactly these settings, built in process."""
    clock = FixedClock("2026-06-17T15:04:05Z")
    async with running(Sandbox(clock=clock), clock, settings=load(env)) as app, Client(app.server) as client:
        return sorted(t.name for t in (await client.list_tools()).tools)


def test_the_bundle_holds_the_project_and_the_generated_manifest(bundle: Path) -> None:
    with zipfile.ZipFile(bundle) as archive:
        names = sorted(n for n in archive.namelist() if not n.endswith("/"))
        assert names == sorted([*gen_packaging.bundle_files(), "manifest.json"])
        assert archive.read("manifest.json") == gen_packaging.MANIFEST.read_bytes()
        assert archive.read("uv.lock") == (ROOT / "uv.lock").read_bytes()
        assert archive.read("zoom_mcp/__init__.py") == (ROOT / "zoom_mcp" / "__init__.py").read_bytes()
    assert not any(n.startswith((".venv/", "tests/")) or "__pycache__" in n for n in names)


def test_the_host_substitutes_every_placeholder(launch: dict[str, Any], unpacked: Path) -> None:
    manifest = json.loads((unpacked / "manifest.json").read_text())
    assert launch["command"] == manifest["server"]["mcp_config"]["command"] == "uv"
    assert launch["args"] == ["run", "--directory", str(unpacked), "--frozen", "--no-dev", "zoom-mcp"]
    assert "${" not in json.dumps(launch), launch
    env = launch["env"]
    assert env["ZOOM_MCP_SANDBOX"] == "true" and env["ZOOM_MCP_READ_ONLY"] == "false"
    assert env["ZOOM_MCP_CONFIRM"] == "destructive" and env["ZOOM_MCP_TOOLSETS"] == "default"
    assert env["ZOOM_ACCOUNT_ID"] == env["ZOOM_CLIENT_ID"] == env["ZOOM_CLIENT_SECRET"] == ""


async def test_the_manifest_command_serves_the_tools_over_stdio(
    launch: dict[str, Any], unpacked: Path, tmp_path: Path
) -> None:
    env = host_environment(launch, XDG_CONFIG_HOME=str(tmp_path / "config"))
    names, result = await list_over_stdio(launch, env, tmp_path, SEARCH)
    assert names == await expected_tools(launch["env"])
    assert {"search_recordings", "read_meeting_transcript", "get_meeting_brief", "list_user_recordings"} <= set(names)
    assert not result.is_error and "Launch retro" in result.content[0].text
    assert (unpacked / ".venv").is_dir()  # uv made the environment inside the unpacked bundle
    assert (unpacked / "uv.lock").read_bytes() == (ROOT / "uv.lock").read_bytes()  # --frozen: the lock as shipped

    # Started again with uv offline: the unpacked bundle and uv's cache are all it needs from now on.
    offline = {**env, "UV_OFFLINE": "1"}
    again, _ = await list_over_stdio(launch, offline, tmp_path, SEARCH)
    assert again == names


async def test_the_server_to_server_fields_reach_zoom(unpacked: Path, tmp_path: Path) -> None:
    """The three app fields answered in the dialog: the bundle's server signs in with them (Zoom on loopback)."""
    config = resolve(
        unpacked,
        {
            "account_id": SANDBOX_CREDENTIALS.account_id,
            "client_id": SANDBOX_CREDENTIALS.client_id,
            "client_secret": SANDBOX_CREDENTIALS.client_secret,
        },
    )
    assert config["env"]["ZOOM_MCP_SANDBOX"] == "false"
    sandbox = Sandbox()
    with serve_sandbox(sandbox) as base:
        urls = {"ZOOM_API_BASE_URL": f"{base}/v2", "ZOOM_OAUTH_TOKEN_URL": f"{base}/oauth/token"}
        env = host_environment(config, XDG_CONFIG_HOME=str(tmp_path / "config"), **urls)
        names, result = await list_over_stdio(config, env, tmp_path, MEETINGS)
    assert "get_meeting" in names and not result.is_error, result.content[0].text
    assert sandbox.token_requests >= 1  # it authenticated with the app's credentials


async def test_a_personal_sign_in_needs_no_fields(unpacked: Path, tmp_path: Path) -> None:
    """The app fields left empty after `zoom-mcp login`: the bundle's server finds the stored sign-in."""
    config = resolve(unpacked, {})
    creds = {"ZOOM_CLIENT_ID": SANDBOX_CREDENTIALS.client_id, "ZOOM_CLIENT_SECRET": SANDBOX_CREDENTIALS.client_secret}
    with serve_sandbox(Sandbox()) as base:
        proc, url = start_login(env_for(base, tmp_path, **creds))
        async with httpx2.AsyncClient() as browser:
            callback = sign_in_as(url).headers["location"]  # the sandbox's Zoom sign-in: its owner
            assert (await browser.get(callback)).status_code == 200
        assert proc.wait(timeout=60) == 0
        # Where the sign-in and the (sandbox) Zoom live; the manifest sets the app fields to "".
        signed_in = {k: v for k, v in env_for(base, tmp_path).items() if k.startswith("ZOOM_")}
        env = {**host_environment(config), **signed_in, **config["env"]}
        names, result = await list_over_stdio(config, env, tmp_path, MEETINGS)
    assert "get_meeting" in names and not result.is_error, result.content[0].text


def test_the_entry_point_is_the_same_server(launch: dict[str, Any], unpacked: Path) -> None:
    # A host that runs the declared entry_point itself (server.type "uv") gets the same CLI.
    manifest = json.loads((unpacked / "manifest.json").read_text())
    command = ["uv", "run", "--directory", str(unpacked), "--frozen", "--no-dev", "python"]
    version = subprocess.run(
        [*command, manifest["server"]["entry_point"], "--version"],
        env=host_environment(launch),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert version.stdout.strip() == f"zoom-mcp {__version__}", version.stderr
