"""Generate the install descriptions, and stage the MCP Bundle, from the project's own sources of truth.

uv run python scripts/gen_packaging.py              # rewrite server.json and packaging/mcpb/manifest.json
uv run python scripts/gen_packaging.py --check      # exit 1 if either is stale
uv run python scripts/gen_packaging.py --stage DIR  # copy what the bundle carries into DIR (scripts/ci/bundle.sh)

Both files repeat facts kept elsewhere, so both are generated, and a test fails when they drift: the
version from zoom_mcp/__init__.py (which pyproject and `zoom-mcp --version` read too); the description,
license, keywords, author and URLs from pyproject.toml; every environment variable (its name, meaning,
whether it is secret, the values it accepts) from the settings table in zoom_mcp/app/settings.py.

server.json is the entry for the official MCP Registry (schema 2025-12-11, vendored in tests/data/);
packaging/mcpb/manifest.json is the MCP Bundle manifest (manifest_version 0.4) that `mcpb pack` bundles
with the project itself, so `uv run --directory ${__dirname}` can build and run it from the unpacked bundle.
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from zoom_mcp import __version__  # noqa: E402
from zoom_mcp.api import load_catalog  # noqa: E402
from zoom_mcp.app import settings as table  # noqa: E402
from zoom_mcp.tasks.tools import TASK_TOOLS  # noqa: E402

SERVER_JSON = ROOT / "server.json"
MANIFEST = ROOT / "packaging" / "mcpb" / "manifest.json"
REGISTRY_SCHEMA = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json"
ZOOM_PRIVACY = "https://explore.zoom.us/en/privacy/"

# What `uv run --directory ${__dirname}` needs in the unpacked bundle to build and run the project, offline
# once uv's cache holds the locked packages: the project and its lock (with --frozen uv resolves nothing),
# what hatchling reads to build it (README.md for the metadata, tools.yaml for force-include) and the
# package; and the LICENSE, so the terms travel with the code. Only tracked files: no caches or local state.
BUNDLE_PATHS = ("pyproject.toml", "uv.lock", "README.md", "LICENSE", "tools.yaml", "zoom_mcp")

# The bundle's command. --frozen: install exactly uv.lock, never re-resolve; --no-dev: without the test tools.
BUNDLE_COMMAND = {"command": "uv", "args": ["run", "--directory", "${__dirname}", "--frozen", "--no-dev", "zoom-mcp"]}

# The variables a registry client offers to set, in this order (every one must be a row of the settings table).
REGISTRY_ENV = (
    "ZOOM_ACCOUNT_ID",
    "ZOOM_CLIENT_ID",
    "ZOOM_CLIENT_SECRET",
    "ZOOM_ACCESS_TOKEN",
    "ZOOM_MCP_CONFIRM",
    "ZOOM_MCP_READ_ONLY",
    "ZOOM_MCP_TOOLSETS",
    "ZOOM_MCP_SANDBOX",
    "ZOOM_MCP_LOG_LEVEL",
)


@dataclass(frozen=True)
class Field:
    """One field of the bundle's settings dialog and the variable it sets."""

    key: str
    env: str
    title: str
    description: str
    default: str | bool
    sensitive: bool = False


SIGN_IN = (
    "Leave the three app fields empty if you signed in with 'uvx zoom-mcp login' (your own Zoom account, kept "
    "in the system keychain) or turned on the sandbox."
)
# Credentials are stored as sensitive (the OS keychain) whether or not the settings table calls them secret.
FIELDS = (
    Field(
        "account_id",
        "ZOOM_ACCOUNT_ID",
        "Account ID (Server-to-Server OAuth app)",
        "From your Server-to-Server OAuth app in the Zoom App Marketplace. " + SIGN_IN,
        "",
        sensitive=True,
    ),
    Field("client_id", "ZOOM_CLIENT_ID", "Client ID (Server-to-Server OAuth app)", "The app's client ID.", "", True),
    Field(
        "client_secret",
        "ZOOM_CLIENT_SECRET",
        "Client secret (Server-to-Server OAuth app)",
        "The app's secret.",
        "",
        True,
    ),
    Field(
        "confirm",
        "ZOOM_MCP_CONFIRM",
        "Confirmation mode",
        "Which calls need your approval before they reach Zoom. destructive: Claude shows you each "
        "destructive call and asks you in the chat first; writes: that, for every change; human "
        "(recommended once you have enrolled a passkey with 'uvx zoom-mcp approvals enroll' in a terminal): "
        "you approve each destructive call with your passkey on a page this server opens, which Claude "
        "cannot do for you; human,writes: every change too. Confirmations cannot be turned off here.",
        "destructive",
    ),
    Field(
        "open_approvals",
        "ZOOM_MCP_OPEN_APPROVALS",
        "Open approval pages in the browser",
        "With the human modes, open each approval page in your browser as soon as Claude asks.",
        True,
    ),
    Field("read_only", "ZOOM_MCP_READ_ONLY", "Read-only", "Offer and allow only the tools that read.", False),
    Field(
        "toolsets",
        "ZOOM_MCP_TOOLSETS",
        "Toolsets",
        "Comma-separated: default, all, or any of {toolsets}. The default profile is {defaults}.",
        "default",
    ),
    Field(
        "sandbox",
        "ZOOM_MCP_SANDBOX",
        "Try it on fake data (sandbox)",
        "Serve the embedded Zoom sandbox instead of your account: made-up meetings and recordings, no "
        "credentials, nothing sent to Zoom.",
        False,
    ),
)


@functools.cache
def project() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def registry_name() -> str:
    """io.github.OWNER/NAME, from the repository URL (the namespace GitHub sign-in proves to the registry)."""
    owner, name = project()["urls"]["Repository"].removeprefix("https://github.com/").split("/")
    return f"io.github.{owner}/{name}"


@functools.cache
def settings_by_env() -> dict[str, tuple[table.Setting, Any]]:
    return {row.env: (row, default) for _, row, default in table.rows() if row.env}


def accepted(row: table.Setting, value: str) -> bool:
    """Whether the environment variable accepts this value (ZOOM_MCP_CONFIRM refuses 'off', for one)."""
    try:
        (row.env_parse or row.parse)(value)
    except ValueError:
        return False
    return True


def registry_variable(env: str) -> dict[str, Any]:
    row, default = settings_by_env()[env]
    entry: dict[str, Any] = {
        "name": env,
        "description": row.help,
        "isRequired": False,
        "isSecret": row.secret,
        "format": "boolean" if row.is_switch else "string",
    }
    if row.choices:
        entry["choices"] = [c for c in row.choices if accepted(row, c)]
    if row.is_switch:
        entry["default"] = "true" if default else "false"
    elif not row.secret and not row.default_text and default not in (None, "", (), frozenset()):
        entry["default"] = table.shown(default)
    return entry


def server_json() -> dict[str, Any]:
    meta = project()
    repository = meta["urls"]["Repository"]
    return {
        "$schema": REGISTRY_SCHEMA,
        "name": registry_name(),
        "title": "Zoom Meetings",
        "description": meta["description"],
        "repository": {"url": repository, "source": "github"},
        "websiteUrl": meta["urls"]["Homepage"],
        "version": __version__,
        "packages": [
            {
                "registryType": "pypi",
                "registryBaseUrl": "https://pypi.org",
                "identifier": meta["name"],
                "version": __version__,
                "runtimeHint": "uvx",
                "transport": {"type": "stdio"},
                "environmentVariables": [registry_variable(env) for env in REGISTRY_ENV],
            }
        ],
    }


def user_config(field: Field) -> dict[str, Any]:
    row, _ = settings_by_env()[field.env]
    description = field.description
    if field.key == "toolsets":
        catalog = load_catalog(ROOT / "tools.yaml")
        description = description.format(
            toolsets=", ".join(catalog.toolsets), defaults=", ".join(catalog.default_toolsets)
        )
    option: dict[str, Any] = {
        "type": "boolean" if row.is_switch else "string",
        "title": field.title,
        "description": description,
        "required": False,
        # Every field has a default: a host substitutes ${user_config.KEY} only for keys with a value.
        "default": field.default,
    }
    if field.sensitive or row.secret:
        option["sensitive"] = True
    return option


def manifest() -> dict[str, Any]:
    meta = project()
    urls = meta["urls"]
    return {
        "manifest_version": "0.4",
        "name": meta["name"],
        "display_name": "Zoom Meetings",
        "version": __version__,
        "description": meta["description"],
        "long_description": (
            "Every Zoom Meetings API operation as a typed tool, plus questions answered in one call from your "
            "cloud recordings' transcripts (who said what, and when). Destructive calls wait for your approval; "
            "a read-only switch and toolsets decide what Claude sees. Sign in with a Server-to-Server OAuth "
            "app, with your own account ('uvx zoom-mcp login'), or try everything on the built-in sandbox. "
            "Runs with uv, which installs Python and the locked dependencies on first start."
        ),
        "author": {"name": meta["authors"][0]["name"], "url": urls["Homepage"]},
        "repository": {"type": "git", "url": urls["Repository"]},
        "homepage": urls["Homepage"],
        "documentation": urls["Documentation"],
        "support": urls["Issues"],
        "license": meta["license"],
        "keywords": meta["keywords"],
        "privacy_policies": [ZOOM_PRIVACY],
        "server": {
            # "uv": a Python server whose dependencies uv installs from pyproject.toml and uv.lock (v0.4).
            "type": "uv",
            "entry_point": "zoom_mcp/__main__.py",
            "mcp_config": {
                **BUNDLE_COMMAND,
                "env": {field.env: f"${{user_config.{field.key}}}" for field in FIELDS},
            },
        },
        "tools": [{"name": tool.name, "description": tool.title} for tool in TASK_TOOLS.values()],
        "tools_generated": True,
        "prompts_generated": True,
        "compatibility": {
            "platforms": ["darwin", "linux", "win32"],
            "runtimes": {"python": meta["requires-python"]},
        },
        "user_config": {field.key: user_config(field) for field in FIELDS},
    }


def rendered(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def outputs() -> dict[Path, str]:
    return {SERVER_JSON: rendered(server_json()), MANIFEST: rendered(manifest())}


def bundle_files() -> list[str]:
    """The tracked files the bundle carries besides manifest.json, relative to the repository."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--", *BUNDLE_PATHS], cwd=ROOT, check=True, capture_output=True
    ).stdout.decode()
    return sorted(name for name in listed.split("\0") if name)


def stage(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name in bundle_files():
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    (directory / "manifest.json").write_text(rendered(manifest()), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--stage", type=Path, metavar="DIR")
    args = parser.parse_args(argv)
    if args.stage:
        stage(args.stage)
        return 0
    fresh = outputs()
    if args.check:
        stale = [str(p.relative_to(ROOT)) for p, text in fresh.items() if not p.is_file() or p.read_text() != text]
        if stale:
            print(f"{', '.join(stale)} stale: run uv run python scripts/gen_packaging.py", file=sys.stderr)
            return 1
        return 0
    for path, text in fresh.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
