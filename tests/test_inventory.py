"""The inventory decides what exists and what is listed, callable and readable: tools, resources and
prompts pass the same filters, and the call pipeline turns every failure into a clear tool error."""

from __future__ import annotations

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

import zoom_mcp.sandbox.fixtures as s
from tests.conftest import CATALOG, running
from zoom_mcp.clock import FixedClock
from zoom_mcp.errors import ConfigError
from zoom_mcp.inventory import EnabledToolsets, Inventory, Selection
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.tasks.resources import meeting_uri
from zoom_mcp.tasks.tools import TASK_TOOLS

pytestmark = pytest.mark.anyio
RECORDINGS_PROMPTS = {"summarize_meeting", "action_items", "what_was_said_about"}


async def test_only_get_meeting_means_no_recording_resource_or_prompt(sandbox: Sandbox, clock: FixedClock) -> None:
    """The defect this inventory fixes: with one meetings tool enabled, transcripts were still readable."""
    async with (
        running(sandbox, clock, toolsets="meetings", tools="get_meeting") as app,
        Client(app.server) as client,
    ):
        assert [t.name for t in (await client.list_tools()).tools] == ["get_meeting"]
        assert (await client.list_resources()).resources == []
        assert (await client.list_resource_templates()).resource_templates == []
        assert (await client.list_prompts()).prompts == []
        sandbox.reset_log()
        for uri in (meeting_uri(s.BUDGET_UUID, transcript=True), meeting_uri(s.BUDGET_UUID)):
            with pytest.raises(MCPError, match=r"Refused.*toolset 'recordings'"):
                await client.read_resource(uri)
        with pytest.raises(MCPError, match=r"Refused.*toolset 'recordings'"):
            await client.get_prompt("summarize_meeting", {"meeting_id": s.BUDGET_UUID})
    assert sandbox.requests == []  # nothing was read from Zoom (or downloaded) for them


async def test_resources_and_prompts_follow_the_tools_they_expose(sandbox: Sandbox, clock: FixedClock) -> None:
    async with running(sandbox, clock, tools="read_meeting_transcript") as app, Client(app.server) as client:
        templates = {t.name for t in (await client.list_resource_templates()).resource_templates}
        assert templates == {"meeting_transcript"}  # the brief is get_meeting_brief's answer: hidden
        listed = (await client.list_resources()).resources
        assert listed and all(str(r.uri).endswith("/transcript") for r in listed)
        text = (await client.read_resource(meeting_uri(s.BUDGET_UUID, transcript=True))).contents[0].text
        assert "Sam Okafor" in text
        with pytest.raises(MCPError, match="get_meeting_brief"):
            await client.read_resource(meeting_uri(s.BUDGET_UUID))
        assert (await client.list_prompts()).prompts == []  # each prompt also needs another task tool
    async with running(sandbox, clock, read_only=True) as app, Client(app.server) as client:
        prompts = {p.name for p in (await client.list_prompts()).prompts}
        assert prompts == RECORDINGS_PROMPTS  # reads only: read-only keeps them


def test_filters_apply_in_the_documented_order() -> None:
    inventory = Inventory.build(
        CATALOG, Selection(read_only=True, toolsets=frozenset({"meetings"}), tools=frozenset({"delete_meeting"}))
    )
    assert "--read-only" in (inventory.hidden_because("delete_meeting") or "")  # read-only comes first
    assert "toolset 'recordings'" in (inventory.hidden_because("search_recordings") or "")
    assert "--tools" in (inventory.hidden_because("get_meeting") or "")
    granted = Selection(toolsets=frozenset({"all"}), granted_scopes=frozenset({"meeting:read:admin"}))
    scoped = Inventory.build(CATALOG, granted)
    assert "needs the scope" in (scoped.hidden_because("list_user_recordings") or "")
    assert "needs the scope" in (scoped.hidden_because("search_recordings") or "")  # it calls list_user_recordings
    assert "search_recordings" in (scoped.hidden_because("action_items") or "")  # a prompt follows its tools
    assert scoped.hidden_because("get_meeting") is None


def test_toolset_names_expand_and_unknown_names_are_refused() -> None:
    defaults = set(CATALOG.default_toolsets)
    assert {t.name for t in Inventory.build(CATALOG).toolsets()} == defaults
    everything = Inventory.build(CATALOG, Selection(toolsets=frozenset({"all"})))
    assert len(everything.tools()) == len(CATALOG) + len(TASK_TOOLS)
    more = Inventory.build(CATALOG, Selection(toolsets=frozenset({"default", "webinars"})))
    assert {t.name for t in more.toolsets()} == defaults | {"webinars"}
    only = Inventory.build(CATALOG, Selection(tools=frozenset({"list_webinars"})))  # --tools alone: any toolset
    assert [i.name for i in only.tools()] == ["list_webinars"]
    dynamic = Inventory.build(CATALOG, Selection(dynamic=True))  # --dynamic alone: a search reaches every toolset
    assert {t.name for t in dynamic.toolsets()} == set(CATALOG.toolsets)
    narrowed = Inventory.build(CATALOG, Selection(dynamic=True, toolsets=frozenset({"webinars"}), read_only=True))
    assert {t.name for t in narrowed.toolsets()} == {"webinars"} and all(i.safety == "read" for i in narrowed.tools())
    with pytest.raises(ConfigError, match="unknown toolset"):
        Inventory.build(CATALOG, Selection(toolsets=frozenset({"webinar"})))
    with pytest.raises(ConfigError, match="unknown tool"):
        Inventory.build(CATALOG, Selection(tools=frozenset({"get_meetings"})))


def test_names_are_unique_across_tools_resources_and_prompts() -> None:
    inventory = Inventory.build(CATALOG, Selection(toolsets=frozenset({"all"})))
    names = [i.name for i in inventory.tools()] + [i.name for i in inventory.templates() + inventory.prompts()]
    assert len(names) == len(set(names))


def test_dynamic_session_sets_are_forgotten_when_idle_and_bounded() -> None:
    clock = FixedClock("2026-06-17T15:04:05Z")
    enabled = EnabledToolsets(idle=60, cap=3, clock=clock)
    assert enabled.enable("a", "webinars") and not enabled.enable("a", "webinars")
    enabled.enable("b", "reports")
    clock.advance(61)
    enabled.enable("c", "devices")
    assert len(enabled) == 1 and enabled.of("a") == frozenset()  # a and b went idle
    for session in ("d", "e", "f", "g"):
        enabled.enable(session, "reports")
    assert len(enabled) <= 3


@pytest.mark.parametrize("tool", ["read_meeting_transcript", "get_meeting_brief"])
async def test_a_transcript_that_is_not_webvtt_is_a_clear_tool_error(
    sandbox: Sandbox, clock: FixedClock, tool: str
) -> None:
    recording = sandbox.state.recordings[s.BUDGET_UUID]
    transcript = next(f for f in recording["recording_files"] if f["file_type"] == "TRANSCRIPT")
    sandbox.state.file_content[transcript["id"]] = b"<html><body>Gateway timeout</body></html>"
    async with running(sandbox, clock) as app, Client(app.server) as client:
        result = await client.call_tool(tool, {"meeting_id": s.BUDGET_UUID})
        assert result.is_error and "Not a WebVTT transcript" in result.content[0].text
        with pytest.raises(MCPError, match="Not a WebVTT transcript"):
            await client.read_resource(meeting_uri(s.BUDGET_UUID, transcript=True))
        search = await client.call_tool("search_recordings", {"query": "budget", "from": "2026-01-01"})
        assert not search.is_error and any("Not a WebVTT" in p for p in search.structured_content["problems"])
