"""One settings table: flags, environment variables, defaults and help all come from its rows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from zoom_mcp.app import settings as table
from zoom_mcp.app.cli import COMMANDS, build_parser
from zoom_mcp.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zoom_mcp", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60
    )


def test_every_row_is_reachable_and_named_once() -> None:
    envs = [row.env for _, row, _ in table.rows() if row.env]
    assert len(envs) == len(set(envs))
    for command in COMMANDS:
        flags = [row.flag for _, row, _ in table.rows() if row.flag and command in row.commands]
        assert len(flags) == len(set(flags)), command
    for _, row, _ in table.rows():
        assert row.env or row.flag, row.help  # a row nobody can set is dead
        assert not (row.secret and row.flag), row.help  # secrets would show in the process list


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_line_and_help_come_from_the_table(command: str) -> None:
    parser = build_parser(command)
    text = parser.format_help()
    for name, row, _ in table.rows():
        if row.flag and command in row.commands:
            assert row.flag in text and row.help.split(";")[0][:30] in " ".join(text.split()), (command, name)
    wanted = {name for name, row, _ in table.rows() if row.flag and command in row.commands}
    dests = {a.dest for a in parser._actions} - {"help", "version", "tool", "arguments", "action", "passkey"}
    assert dests == wanted


def test_a_flag_beats_its_variable_which_beats_the_default() -> None:
    assert table.load({}).port == 8000
    assert table.load({"ZOOM_MCP_PORT": "9001"}).port == 9001
    assert table.load({"ZOOM_MCP_PORT": "9001"}, flags={"port": "9002"}).port == 9002
    assert table.load({"ZOOM_MCP_READ_ONLY": "yes"}).read_only is True
    assert table.load({}, flags={"read_only": True}).read_only is True
    assert table.load({"ZOOM_MCP_TOOLSETS": "meetings, webinars"}).toolsets == {"meetings", "webinars"}
    assert table.load({}).oauth_rate_limit == (20, 60.0)
    assert table.load({"ZOOM_MCP_OAUTH_RATE_LIMIT": "OFF"}).oauth_rate_limit is None
    assert table.load({}, flags={"oauth_rate_limit": "100 per hour"}).oauth_rate_limit == (100, 3600.0)


@pytest.mark.parametrize(
    ("env", "flags", "needle"),
    [
        ({"ZOOM_MCP_PORT": "eighty"}, {}, "ZOOM_MCP_PORT must be a port number"),
        ({}, {"port": "70000"}, "--port must be a port number"),
        ({"ZOOM_MCP_CONFIRM_TTL": "-1"}, {}, "ZOOM_MCP_CONFIRM_TTL must be positive"),
        ({"ZOOM_MCP_CONFIRM": "off"}, {}, "needs the explicit command-line flag --confirm off"),
        ({"ZOOM_MCP_LOG_LEVEL": "chatty"}, {}, "must be one of DEBUG, INFO, WARNING, ERROR"),
        ({"ZOOM_MCP_READ_ONLY": "maybe"}, {}, "ZOOM_MCP_READ_ONLY must be 1/true/yes/on"),
        ({"ZOOM_MCP_OAUTH_RATE_LIMIT": "lots"}, {}, 'ZOOM_MCP_OAUTH_RATE_LIMIT must be a rate such as "20/minute"'),
        ({}, {"oauth_rate_limit": "0/minute"}, "--oauth-rate-limit must be a rate"),
    ],
)
def test_bad_values_name_where_they_came_from(env: dict[str, str], flags: dict[str, str], needle: str) -> None:
    with pytest.raises(ConfigError, match=needle):
        table.load(env, flags=flags)


def test_the_confirm_flag_alone_may_turn_confirmations_off() -> None:
    assert table.load({}, flags={"confirm": "off"}).confirm_mode == "off"
    settings = table.load({"ZOOM_MCP_CONFIRM": "human,writes"})
    assert settings.human_approvals and settings.confirm_mode == "writes"


def test_secrets_never_show() -> None:
    settings = table.load({"ZOOM_CLIENT_SECRET": "s3cr3t-value", "ZOOM_MCP_AUTH_TOKEN": "t0ken-value"})
    assert "s3cr3t-value" not in repr(settings) and "t0ken-value" not in repr(settings)
    with pytest.raises(ConfigError) as refused:
        table.load({"ZOOM_MCP_REDIS_URL": ""}, flags={"confirm_ttl": "soon"})
    assert "soon" in str(refused.value)


def test_prefixes_of_flags_are_not_accepted() -> None:
    """`--auth-token x` would mean `--auth-token-file x` silently."""
    proc = run("--sandbox", "--auth-token", "x")
    assert proc.returncode == 2 and "unrecognized arguments: --auth-token" in proc.stderr
    proc = run("tools", "--sand")
    assert proc.returncode == 2 and "unrecognized arguments: --sand" in proc.stderr


def test_config_dir_follows_xdg_and_home() -> None:
    assert table.load({"HOME": "/home/pat"}).credentials_dir == Path("/home/pat/.config/zoom-mcp")
    assert table.load({"XDG_CONFIG_HOME": "/cfg"}).credentials_dir == Path("/cfg/zoom-mcp")
    assert table.load({"ZOOM_MCP_CONFIG_DIR": "/here"}).credentials_dir == Path("/here")


def test_generated_docs_are_fresh() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    import gen_docs

    assert gen_docs.main(["--check"]) == 0, "run: uv run python scripts/gen_docs.py"
