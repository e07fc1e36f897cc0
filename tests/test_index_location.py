"""Where the transcript index lives by default (a person's desktop: on disk, one file per Zoom account;
anywhere else: in memory), and `zoom-mcp index status|rebuild|forget`."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from mcp import Client

from tests.conftest import EMPTY_CONFIG, running
from zoom_mcp.app.assemble import index_registry
from zoom_mcp.app.cli import main
from zoom_mcp.app.settings import Settings, load
from zoom_mcp.clock import FixedClock
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.tasks.indexes import DEFAULT, IndexRegistry

S2S = {"ZOOM_ACCOUNT_ID": "acct-1", "ZOOM_CLIENT_ID": "client", "ZOOM_CLIENT_SECRET": "secret"}


def settings(data: Path, env: dict[str, str] | None = None, **flags: object) -> Settings:
    base = {"ZOOM_MCP_CONFIG_DIR": EMPTY_CONFIG, "ZOOM_MCP_DATA_DIR": str(data), **S2S}
    return load({**base, **(env or {})}, flags=flags)


def test_on_stdio_the_index_is_an_owner_only_file_per_zoom_account(tmp_path: Path) -> None:
    first = index_registry(settings(tmp_path / "data")).location(DEFAULT)
    other = index_registry(settings(tmp_path / "data", {"ZOOM_ACCOUNT_ID": "acct-2"})).location(DEFAULT)
    assert first is not None and other is not None and first != other
    assert first.parent == tmp_path / "data" and first.name.startswith("index-") and "acct" not in first.name
    assert stat.S_IMODE(first.parent.stat().st_mode) == 0o700
    registry = index_registry(settings(tmp_path / "data"))
    registry.for_person(DEFAULT).close()
    assert stat.S_IMODE(first.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("env", "flags"),
    [
        ({}, {"no_index_file": True}),
        ({}, {"transport": "http"}),
        ({"ZOOM_MCP_SANDBOX": "1"}, {}),
        ({"ZOOM_ACCOUNT_ID": "", "ZOOM_CLIENT_ID": "", "ZOOM_CLIENT_SECRET": "", "ZOOM_ACCESS_TOKEN": "t"}, {}),
    ],
    ids=["--no-index-file", "http", "sandbox", "a ready access token"],
)
def test_elsewhere_the_index_stays_in_memory(tmp_path: Path, env: dict[str, str], flags: dict[str, object]) -> None:
    assert index_registry(settings(tmp_path, env, **flags)).location(DEFAULT) is None


def test_an_unwritable_data_directory_keeps_it_in_memory(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    assert index_registry(settings(blocked / "zoom-mcp")).location(DEFAULT) is None


def test_index_names_the_file(tmp_path: Path) -> None:
    chosen = tmp_path / "mine.sqlite3"
    assert index_registry(settings(tmp_path, index=str(chosen), transport="http")).location(DEFAULT) == chosen
    someone = index_registry(settings(tmp_path, index=str(chosen))).location("someone")
    assert someone is not None and someone.parent == tmp_path  # a person's file beside it, named by a hash
    assert someone.name.startswith("mine.sqlite3.") and "someone" not in someone.name


def test_under_auth_oauth_webhook_events_go_to_the_hosts_own_index_only(tmp_path: Path) -> None:
    registry = IndexRegistry(path=tmp_path / "index.sqlite3", people=True)
    event = {"event": "recording.completed", "payload": {"object": {"uuid": "u", "host_id": "alex-id"}}}
    assert registry.person_for_event(event) is None  # Alex has no index here yet: nobody's changes
    registry.for_person("alex-id")
    assert registry.person_for_event(event) == "alex-id"
    summary = {"event": "meeting.summary_completed", "payload": {"object": {"meeting_host_id": "alex-id"}}}
    assert registry.person_for_event(summary) == "alex-id"
    assert registry.person_for_event({"event": "recording.completed", "payload": {}}) is None
    registry.close()
    again = IndexRegistry(path=tmp_path / "index.sqlite3", people=True)  # a restart: Alex's file is there
    assert again.person_for_event(event) == "alex-id" and not (tmp_path / "index.sqlite3").exists()
    assert IndexRegistry(path=tmp_path / "x.sqlite3").person_for_event(event) == DEFAULT  # single-user mode


@pytest.mark.anyio
async def test_the_index_command_shows_rebuilds_and_forgets(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "i.sqlite3"
    env = {"ZOOM_MCP_INDEX": str(path), "ZOOM_MCP_CONFIG_DIR": EMPTY_CONFIG, **S2S}
    async with running(Sandbox(clock=clock), clock, env) as app, Client(app.server) as mcp:
        await mcp.call_tool("search_recordings", {"query": "launch date"})
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["index", "status"]) == 0
    shown = capsys.readouterr().out
    assert str(path) in shown and "recorded meetings" in shown and "passages" in shown
    assert main(["index", "rebuild"]) == 0 and "Rebuilt" in capsys.readouterr().out
    assert main(["index", "forget"]) == 0 and not path.exists()
    assert main(["index", "status"]) == 0 and "No index yet" in capsys.readouterr().out
    monkeypatch.setenv("ZOOM_MCP_NO_INDEX_FILE", "1")
    monkeypatch.delenv("ZOOM_MCP_INDEX")
    assert main(["index", "status"]) == 0 and "in memory" in capsys.readouterr().out
