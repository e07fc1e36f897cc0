"""docs/deployment.md says what is so: its commands parse and start as configured, its key command makes a
key the server takes, its JSON configs parse, the redirect URIs it names for the clients are accepted, the
callback path and the settings it names exist, and the README links it. (The generated scope table is
checked by the docs freshness test; the behaviour it describes by the test modules it names.)"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from zoom_mcp.app import settings as table
from zoom_mcp.app.cli import build_parser
from zoom_mcp.app.commands.serve import check_bind
from zoom_mcp.client.store import Sealer
from zoom_mcp.transport.oauth.clients import redirect_problem
from zoom_mcp.transport.oauth.signin import CALLBACK_PATH, SESSION_COOKIE

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")


def shell_blocks() -> list[str]:
    return [b.replace("\\\n", " ") for b in re.findall(r"```sh\n(.*?)```", PAGE, re.S)]


def test_the_readme_links_the_page_and_the_page_names_its_tests() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/deployment.md" in readme
    for name in re.findall(r"`(tests/test_[a-z_]+\.py)`", PAGE):
        assert (ROOT / name).is_file(), name


def test_the_key_command_makes_a_key_the_server_takes() -> None:
    command = re.search(r"ZOOM_MCP_OAUTH_KEY=\$\((python -c .*?)\)\n", PAGE)
    assert command is not None
    made = subprocess.run(
        [sys.executable, *shlex.split(command.group(1))[1:]], capture_output=True, text=True, check=True
    )
    Sealer.from_setting(made.stdout.strip())  # raises ConfigError when it is not a usable key


def test_the_server_command_is_a_valid_deployment(tmp_path: Path) -> None:
    (line,) = [c for b in shell_blocks() for c in b.splitlines() if c.startswith("uv run zoom-mcp --transport")]
    argv = shlex.split(line)[3:]
    args = build_parser().parse_args(argv)
    flags = {name: getattr(args, name, None) for name, row, _ in table.rows() if row.flag}
    env = {"ZOOM_CLIENT_ID": "id", "ZOOM_CLIENT_SECRET": "secret", "ZOOM_MCP_OAUTH_KEY": Fernet.generate_key().decode()}
    settings = table.load({**env, "ZOOM_MCP_CONFIG_DIR": str(tmp_path)}, flags=flags)
    assert settings.oauth and settings.public_url == "https://mcp.example.com" and settings.hide_unauthorized
    check_bind(settings)  # starts: nothing missing, nothing refused
    # The redirect URL to register in the Zoom app is the public URL with the server's own callback path.
    assert f"https://mcp.example.com{CALLBACK_PATH}" in PAGE and SESSION_COOKIE in PAGE


def test_the_sandbox_command_serves_oauth() -> None:
    command = re.search(r"`(uv run zoom-mcp --sandbox --transport http\s+--auth oauth --port 8000)`", PAGE)
    assert command is not None
    args = build_parser().parse_args(shlex.split(command.group(1))[3:])
    assert (args.sandbox, args.transport, args.auth, args.port) == (True, "http", "oauth", "8000")


def test_the_json_configs_parse_and_point_at_the_mcp_endpoint() -> None:
    configs = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", PAGE, re.S)]
    urls = [server["url"] for c in configs for server in (c.get("servers") or c.get("mcpServers") or {}).values()]
    assert urls == ["https://mcp.example.com/mcp"] * 2


@pytest.mark.parametrize(
    "uri",
    [
        "https://claude.ai/api/mcp/auth_callback",
        "https://chatgpt.com/connector_platform_oauth_redirect",
        "http://127.0.0.1:33418/",
        "https://vscode.dev/redirect",
        "cursor://anysphere.cursor-mcp/oauth/callback",
    ],
)
def test_the_clients_redirect_uris_are_accepted(uri: str) -> None:
    assert uri in PAGE or (uri.startswith("cursor://") and "`cursor://`" in PAGE)
    assert redirect_problem(uri) is None


def test_every_setting_the_page_names_exists() -> None:
    names = {row.env for _, row, _ in table.rows() if row.env} | {row.flag for _, row, _ in table.rows() if row.flag}
    named = set(re.findall(r"`(ZOOM_[A-Z_]+)", PAGE)) | set(re.findall(r"`(--[a-z-]+)", PAGE))
    assert named <= names, sorted(named - names)
