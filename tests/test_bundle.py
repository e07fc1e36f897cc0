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

import pytest
from mcp import Client, StdioServerParameters

from tests.conftest import running
from zoom_mcp import __version__
from zoom_mcp.app.settings import load
from zoom_mcp.clock import FixedClock
from zoom_mcp.sandbox import Sandbox

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


@pytest.fixture(scope="module")
def launch(unpacked: Path) -> dict[str, Any]:
    """The command, arguments and environment the host runs, substituted by mcpb's own code."""
    library = node_modules() / "@anthropic-ai" / "mcpb" / "dist" / "index.js"
    manifest = unpacked / "manifest.json"
    resolved = subprocess.run(
        ["node", "--input-type=module", "-e", RESOLVE, str(library), str(manifest), str(unpacked), json.dumps(ANSWERS)],
        check=True,
        capture_output=True,
        text=True,
    )
    config = json.loads(resolved.stdout)
    assert config is not None, "mcpb refused the configuration (a required field without a value)"
    return config


def host_environment(config: dict[str, Any], **extra: str) -> dict[str, str]:
    # The host's own environment (PATH, HOME, certificates), without this test run's project or Zoom settings.
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("ZOOM_", "VIRTUAL_ENV", "UV_PROJECT"))}
    return {**inherited, **config["env"], **extra}


async def list_over_stdio(config: dict[str, Any], env: dict[str, str], cwd: Path) -> tuple[list[str], Any]:
    params = StdioServerParameters(command=config["command"], args=config["args"], env=env, cwd=str(cwd))
    async with Client(params) as client:
        names = sorted(t.name for t in (await client.list_tools()).tools)
        result = await client.call_tool("search_recordings", {"query": "launch date"})
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
    assert env["ZOOM_MCP_CONFIRM"] == "human" and env["ZOOM_MCP_TOOLSETS"] == "default"
    assert env["ZOOM_ACCOUNT_ID"] == env["ZOOM_CLIENT_ID"] == env["ZOOM_CLIENT_SECRET"] == ""


async def test_the_manifest_command_serves_the_tools_over_stdio(
    launch: dict[str, Any], unpacked: Path, tmp_path: Path
) -> None:
    env = host_environment(launch, XDG_CONFIG_HOME=str(tmp_path / "config"))
    names, result = await list_over_stdio(launch, env, cwd=tmp_path)
    assert names == await expected_tools(launch["env"])
    assert {"search_recordings", "read_meeting_transcript", "get_meeting_brief", "list_user_recordings"} <= set(names)
    assert not result.is_error and "Launch retro" in result.content[0].text
    assert (unpacked / ".venv").is_dir()  # uv made the environment inside the unpacked bundle
    assert (unpacked / "uv.lock").read_bytes() == (ROOT / "uv.lock").read_bytes()  # --frozen: the lock as shipped

    # Started again with uv offline: the unpacked bundle and uv's cache are all it needs from now on.
    offline = {**env, "UV_OFFLINE": "1"}
    again, _ = await list_over_stdio(launch, offline, cwd=tmp_path)
    assert again == names


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
