"""The confirmation gate, policy switches, dry runs and the audit log, through real MCP sessions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import mcp_types as types
import pytest
from mcp import Client

from tests.conftest import CATALOG, running
from tests.tool_calls import CALLS
from zoom_mcp.clock import FixedClock
from zoom_mcp.errors import ConfigError
from zoom_mcp.inventory import Inventory, Selection
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.tasks.tools import TASK_TOOLS

pytestmark = pytest.mark.anyio

DESTRUCTIVE = sorted(op.name for op in CATALOG if op.safety == "destructive")
WRITES = sorted(op.name for op in CATALOG if op.safety == "write")
MODES = ["legacy", "auto"]  # protocol 2025-11-25 (mid-call elicitation) and 2026-07-28 (input_required)

# The safety class of every catalog entry, stated explicitly: a new destructive operation
# cannot slip in as read or write without this table changing in review.
EXPECTED_SAFETY = {
    "add_device": "write",
    "add_meeting_app": "write",
    "add_meeting_registrant": "write",
    "add_meeting_registrants_batch": "write",
    "add_recording_registrant": "write",
    "add_sip_phone": "write",
    "add_user_tsp_account": "write",
    "add_webinar_branding_virtual_background": "write",
    "add_webinar_branding_wallpaper": "write",
    "add_webinar_panelists": "write",
    "add_webinar_registrant": "write",
    "add_webinar_registrants_batch": "write",
    "assign_device_to_group": "destructive",
    "assign_zpa_device": "destructive",
    "change_device_assignment": "destructive",
    "control_live_meeting": "destructive",
    "create_h323_device": "write",
    "create_meeting": "write",
    "create_meeting_invite_links": "write",
    "create_meeting_poll": "write",
    "create_meeting_polls_batch": "write",
    "create_meeting_template": "write",
    "create_tracking_field": "write",
    "create_webinar": "write",
    "create_webinar_branding_name_tag": "write",
    "create_webinar_invite_links": "write",
    "create_webinar_poll": "write",
    "create_webinar_template": "write",
    "delete_device": "destructive",
    "delete_h323_device": "destructive",
    "delete_live_meeting_chat_message": "destructive",
    "delete_live_webinar_chat_message": "destructive",
    "delete_meeting": "destructive",
    "delete_meeting_app": "destructive",
    "delete_meeting_archived_files": "destructive",
    "delete_meeting_poll": "destructive",
    "delete_meeting_recordings": "destructive",
    "delete_meeting_registrant": "destructive",
    "delete_meeting_summary": "destructive",
    "delete_meeting_survey": "destructive",
    "delete_meeting_transcript": "destructive",
    "delete_recording_file": "destructive",
    "delete_sip_phone": "destructive",
    "delete_tracking_field": "destructive",
    "delete_user_tsp_account": "destructive",
    "delete_webinar": "destructive",
    "delete_webinar_branding_name_tags": "destructive",
    "delete_webinar_branding_virtual_backgrounds": "destructive",
    "delete_webinar_branding_wallpaper": "destructive",
    "delete_webinar_poll": "destructive",
    "delete_webinar_registrant": "destructive",
    "delete_webinar_survey": "destructive",
    "delete_zpa_device": "destructive",
    "get_account_tsp": "read",
    "get_active_inactive_hosts_report": "read",
    "get_archived_file_statistics": "read",
    "get_billing_invoices_report": "read",
    "get_billing_report": "read",
    "get_cloud_recording_usage_report": "read",
    "get_daily_usage_report": "read",
    "get_device": "read",
    "get_live_streaming_join_token": "read",
    "get_local_archiving_token": "read",
    "get_local_recording_join_token": "read",
    "get_meeting": "read",
    "get_meeting_activity_logs_report": "read",
    "get_meeting_archived_files": "read",
    "get_meeting_closed_caption_token": "read",
    "get_meeting_details_report": "read",
    "get_meeting_history_report": "read",
    "get_meeting_invitation": "read",
    "get_meeting_livestream": "read",
    "get_meeting_participants_report": "read",
    "get_meeting_poll": "read",
    "get_meeting_polls_report": "read",
    "get_meeting_qa_report": "read",
    "get_meeting_recordings": "read",
    "get_meeting_registrant": "read",
    "get_meeting_registration_questions": "read",
    "get_meeting_sip_uri": "write",
    "get_meeting_summary": "read",
    "get_meeting_survey": "read",
    "get_meeting_survey_report": "read",
    "get_meeting_transcript": "read",
    "get_operation_logs_report": "read",
    "get_past_meeting": "read",
    "get_recording_analytics_details": "read",
    "get_recording_analytics_summary": "read",
    "get_recording_registration_questions": "read",
    "get_recording_settings": "read",
    "get_remote_support_report": "read",
    "get_sign_in_activity_report": "read",
    "get_telephone_report": "read",
    "get_tracking_field": "read",
    "get_upcoming_events_report": "read",
    "get_user_meetings_report": "read",
    "get_user_tsp_account": "read",
    "get_webinar": "read",
    "get_webinar_branding": "read",
    "get_webinar_closed_caption_token": "read",
    "get_webinar_details_report": "read",
    "get_webinar_live_streaming_join_token": "read",
    "get_webinar_livestream": "read",
    "get_webinar_local_archiving_token": "read",
    "get_webinar_local_recording_join_token": "read",
    "get_webinar_participants_report": "read",
    "get_webinar_poll": "read",
    "get_webinar_polls_report": "read",
    "get_webinar_qa_report": "read",
    "get_webinar_registrant": "read",
    "get_webinar_registration_questions": "read",
    "get_webinar_sip_uri": "write",
    "get_webinar_survey": "read",
    "get_webinar_survey_report": "read",
    "get_zpa_user_settings": "read",
    "get_zpa_version_info": "read",
    "list_archived_files": "read",
    "list_devices": "read",
    "list_h323_devices": "read",
    "list_meeting_polls": "read",
    "list_meeting_registrants": "read",
    "list_meeting_summaries": "read",
    "list_meeting_templates": "read",
    "list_past_meeting_instances": "read",
    "list_past_meeting_participants": "read",
    "list_past_meeting_polls": "read",
    "list_past_meeting_qa": "read",
    "list_past_webinar_instances": "read",
    "list_past_webinar_participants": "read",
    "list_past_webinar_polls": "read",
    "list_past_webinar_qa": "read",
    "list_recording_registrants": "read",
    "list_sip_phones": "read",
    "list_tracking_fields": "read",
    "list_upcoming_meetings": "read",
    "list_user_meetings": "read",
    "list_user_pac_accounts": "read",
    "list_user_recordings": "read",
    "list_user_tsp_accounts": "read",
    "list_webinar_absentees": "read",
    "list_webinar_panelists": "read",
    "list_webinar_polls": "read",
    "list_webinar_registrants": "read",
    "list_webinar_templates": "read",
    "list_webinar_tracking_sources": "read",
    "list_webinars": "read",
    "list_zdm_groups": "read",
    "recover_meeting_recordings": "write",
    "recover_recording_file": "write",
    "remove_all_webinar_panelists": "destructive",
    "remove_webinar_panelist": "destructive",
    "set_user_tsp_dial_in_url": "write",
    "set_webinar_branding_default_virtual_background": "write",
    "update_account_tsp": "write",
    "update_archived_file_auto_delete": "write",
    "update_device": "write",
    "update_h323_device": "write",
    "update_live_meeting_chat_message": "destructive",
    "update_live_meeting_rtms_status": "destructive",
    "update_meeting": "write",
    "update_meeting_livestream": "write",
    "update_meeting_livestream_status": "destructive",
    "update_meeting_poll": "write",
    "update_meeting_registrant_status": "destructive",
    "update_meeting_registration_questions": "write",
    "update_meeting_status": "destructive",
    "update_meeting_survey": "write",
    "update_recording_registrant_status": "destructive",
    "update_recording_registration_questions": "write",
    "update_recording_settings": "write",
    "update_sip_phone": "write",
    "update_tracking_field": "write",
    "update_user_tsp_account": "write",
    "update_webinar": "write",
    "update_webinar_branding_name_tag": "write",
    "update_webinar_livestream": "write",
    "update_webinar_livestream_status": "destructive",
    "update_webinar_poll": "write",
    "update_webinar_registrant_status": "destructive",
    "update_webinar_registration_questions": "write",
    "update_webinar_status": "destructive",
    "update_webinar_survey": "write",
    "upgrade_zpa_firmware": "destructive",
}


def test_safety_class_of_every_entry_is_as_reviewed() -> None:
    assert {op.name: op.safety for op in CATALOG} == EXPECTED_SAFETY
    for op in CATALOG:
        if op.method == "DELETE":
            assert op.safety == "destructive", op.name
        if op.method == "GET":
            assert op.safety == "read", op.name


async def test_annotations_follow_the_safety_class(mcp: Client) -> None:
    for tool in (await mcp.list_tools()).tools:
        safety = EXPECTED_SAFETY.get(tool.name) or ("read" if tool.name in TASK_TOOLS else "unlisted")
        hints = tool.annotations
        assert hints is not None
        assert hints.read_only_hint is (safety == "read")
        assert hints.destructive_hint is (safety == "destructive")
        assert hints.open_world_hint is True
        properties = tool.input_schema["properties"]
        assert ("dry_run" in properties) is (safety != "read")
        assert ("confirmation_token" in properties) is (safety == "destructive")
        assert ("show the preview to the user" in (tool.description or "")) is (safety == "destructive")


def alter(arguments: dict[str, Any]) -> dict[str, Any]:
    """The same call with one argument changed: a different meeting, device, message or field."""
    for key, value in arguments.items():
        if isinstance(value, str):
            return {**arguments, key: value + "x"}
        if isinstance(value, int) and not isinstance(value, bool):
            return {**arguments, key: value + 1}
    raise AssertionError(f"nothing to alter in {arguments}")


def mutations(sandbox: Sandbox, name: str) -> list[Any]:
    return [r for r in sandbox.requests if r.operation == name]


class Person:
    """An elicitation callback that answers as a person would, and remembers what it was asked."""

    def __init__(self, action: str) -> None:
        self.action = action
        self.asked: list[str] = []

    async def __call__(self, context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        self.asked.append(params.message)
        if self.action == "accept":
            return types.ElicitResult(action="accept", content={"confirm": True})
        return types.ElicitResult(action=self.action)  # type: ignore[arg-type]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", DESTRUCTIVE)
async def test_without_elicitation_a_token_runs_the_call_exactly_once(
    server: Any, sandbox: Sandbox, name: str, mode: str
) -> None:
    call = CALLS[name]
    call.setup(sandbox)
    async with Client(server, mode=mode) as client:
        first = await client.call_tool(name, call.arguments)
        assert not first.is_error, first.content
        data = first.structured_content
        assert data["status"] == "confirmation_required"
        assert data["preview"]["tool"] == name and data["preview"]["consequence"]
        assert data["preview"]["call"].split(" ")[0] == CATALOG.get(name).method
        assert mutations(sandbox, name) == [] and sandbox.mutating_requests() == []
        token = data["confirmation_token"]

        altered = alter(call.arguments)
        refused = await client.call_tool(name, {**altered, "confirmation_token": token})
        assert refused.is_error and "nothing was sent" in refused.content[0].text
        assert mutations(sandbox, name) == []

        done = await client.call_tool(name, {**call.arguments, "confirmation_token": token})
        assert not done.is_error, done.content
        assert len(mutations(sandbox, name)) == 1

        replay = await client.call_tool(name, {**call.arguments, "confirmation_token": token})
        assert replay.is_error and "already used" in replay.content[0].text
        assert len(mutations(sandbox, name)) == 1
    assert call.check(sandbox, done.structured_content)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", DESTRUCTIVE)
@pytest.mark.parametrize("action", ["accept", "decline", "cancel"])
async def test_with_elicitation_the_person_decides(
    server: Any, sandbox: Sandbox, name: str, mode: str, action: str
) -> None:
    call = CALLS[name]
    call.setup(sandbox)
    callback = Person(action)
    async with Client(server, mode=mode, elicitation_callback=callback) as client:
        result = await client.call_tool(name, call.arguments)
    assert len(callback.asked) == 1 and name in callback.asked[0]
    assert not result.is_error, result.content
    if action == "accept":
        assert len(mutations(sandbox, name)) == 1
    else:
        assert mutations(sandbox, name) == [] and sandbox.mutating_requests() == []
        assert result.content[0].text.startswith("Nothing was done")
        assert result.structured_content["status"] in ("declined", "cancelled")


async def test_preview_states_the_consequence_with_a_cheap_read(mcp: Client) -> None:
    from zoom_mcp.sandbox.fixtures import BUDGET_UUID

    result = await mcp.call_tool("delete_meeting_recordings", {"meetingId": BUDGET_UUID, "action": "delete"})
    preview = result.structured_content["preview"]
    assert preview["call"] == "DELETE /meetings/4444AAAiAAAAAiAiAiiAii%3D%3D/recordings?action=delete"
    assert preview["consequence"] == (
        "permanently deletes all 4 cloud recording files of meeting 4444AAAiAAAAAiAiAiiAii== (Q3 budget planning); "
        "this cannot be undone"
    )
    trash = await mcp.call_tool("delete_meeting_recordings", {"meetingId": BUDGET_UUID})
    assert "to the trash; they can be recovered for 30 days" in trash.structured_content["preview"]["consequence"]


async def test_token_for_one_tool_is_refused_by_another(mcp: Client, sandbox: Sandbox) -> None:
    from zoom_mcp.sandbox.fixtures import SCHEDULED_MEETING_ID

    first = await mcp.call_tool("delete_meeting", {"meetingId": SCHEDULED_MEETING_ID})
    token = first.structured_content["confirmation_token"]
    other = await mcp.call_tool("delete_device", {"deviceId": "dev-zr-0001", "confirmation_token": token})
    assert other.is_error and "issued for delete_meeting" in other.content[0].text
    forged = await mcp.call_tool("delete_meeting", {"meetingId": SCHEDULED_MEETING_ID, "confirmation_token": "x.y"})
    assert forged.is_error and "not valid" in forged.content[0].text
    assert sandbox.mutating_requests() == []


async def test_expired_token_is_refused(clock: FixedClock, sandbox: Sandbox) -> None:
    async with running(sandbox, clock) as app, Client(app.server) as client:
        first = await client.call_tool("delete_h323_device", {"deviceId": "h323dev1"})
        clock.advance(301)
        late = await client.call_tool(
            "delete_h323_device",
            {"deviceId": "h323dev1", "confirmation_token": first.structured_content["confirmation_token"]},
        )
    assert late.is_error and "expired" in late.content[0].text
    assert sandbox.mutating_requests() == []


@pytest.mark.parametrize("name", ["create_meeting", "update_meeting"])
async def test_confirm_writes_gates_write_tools_too(clock: FixedClock, sandbox: Sandbox, name: str) -> None:
    async with running(sandbox, clock, confirm="writes") as app, Client(app.server) as client:
        tool = next(t for t in (await client.list_tools()).tools if t.name == name)
        assert "confirmation_token" in tool.input_schema["properties"]
        result = await client.call_tool(name, CALLS[name].arguments)
        assert result.structured_content["status"] == "confirmation_required"
        assert sandbox.mutating_requests() == []
        token = result.structured_content["confirmation_token"]
        done = await client.call_tool(name, {**CALLS[name].arguments, "confirmation_token": token})
    assert not done.is_error and len(sandbox.mutating_requests()) == 1


async def test_confirm_off_runs_destructive_calls_directly(clock: FixedClock, sandbox: Sandbox) -> None:
    async with running(sandbox, clock, confirm="off") as app, Client(app.server) as client:
        result = await client.call_tool("delete_h323_device", {"deviceId": "h323dev1"})
    assert not result.is_error and len(sandbox.mutating_requests()) == 1


async def test_read_only_lists_and_allows_only_reads(clock: FixedClock, sandbox: Sandbox) -> None:
    async with running(sandbox, clock, read_only=True) as app, Client(app.server) as client:
        names = {t.name for t in (await client.list_tools()).tools}
        assert names == {n for n, s in EXPECTED_SAFETY.items() if s == "read"} | set(TASK_TOOLS)
        for name in ["delete_meeting", "create_meeting", "update_meeting"]:
            result = await client.call_tool(name, CALLS[name].arguments)
            assert result.is_error and "--read-only" in result.content[0].text
    assert sandbox.requests == []


async def test_toolsets_and_tools_filter_what_exists(clock: FixedClock, sandbox: Sandbox) -> None:
    chosen = {"toolsets": "recordings,h323", "tools": "list_user_recordings,list_h323_devices,get_meeting"}
    async with running(sandbox, clock, **chosen) as app, Client(app.server) as client:
        names = {t.name for t in (await client.list_tools()).tools}
        assert names == {"list_user_recordings", "list_h323_devices"}
        hidden = await client.call_tool("get_meeting", {"meetingId": 1})
        assert hidden.is_error and "toolset 'meetings'" in hidden.content[0].text
        hidden = await client.call_tool("get_meeting_recordings", {"meetingId": "1"})
        assert hidden.is_error and "--tools" in hidden.content[0].text
    assert sandbox.requests == []


def test_policy_rejects_unknown_names() -> None:
    with pytest.raises(ConfigError, match="unknown toolset"):
        Inventory.build(CATALOG, Selection(toolsets=frozenset({"recordingz"})))
    with pytest.raises(ConfigError, match="unknown tool"):
        Inventory.build(CATALOG, Selection(tools=frozenset({"delete_everything"})))


@pytest.mark.parametrize("name", sorted(DESTRUCTIVE + WRITES))
async def test_dry_run_shows_the_request_and_sends_nothing(mcp: Client, sandbox: Sandbox, name: str) -> None:
    op = CATALOG.get(name)
    result = await mcp.call_tool(name, {**CALLS[name].arguments, "dry_run": True})
    assert not result.is_error, result.content
    request = result.structured_content["request"]
    assert result.structured_content["status"] == "dry_run"
    assert request["method"] == op.method
    assert request["url"].startswith("http://sandbox.zoom-mcp.local/v2/")
    assert "bearer" not in json.dumps(result.structured_content).lower()
    assert sandbox.requests == [] and sandbox.token_requests == 0


async def test_audit_log_records_each_step_without_secrets(clock: FixedClock, sandbox: Sandbox, tmp_path: Path) -> None:
    log = tmp_path / "audit" / "zoom.jsonl"
    async with running(sandbox, clock, audit_log=str(log)) as app, Client(app.server) as client:
        first = await client.call_tool("delete_meeting", {"meetingId": 85746065432})
        token = first.structured_content["confirmation_token"]
        await client.call_tool("delete_meeting", {"meetingId": 85746065432, "confirmation_token": token})
        await client.call_tool("delete_meeting", {"meetingId": 85746065432, "confirmation_token": token})
        await client.call_tool("create_meeting", {"userId": "me", "topic": "Secret plans", "dry_run": True})
        await client.call_tool("get_meeting", {"meetingId": 85746065432})
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert [e["event"] for e in entries] == [
        "requested",
        "confirmation_asked",
        "requested",
        "accepted",
        "executed",
        "requested",
        "refused",
        "requested",
        "dry_run",
    ]
    assert entries[4]["status"] == 204 and entries[4]["path"] == "/meetings/85746065432"
    text = log.read_text()
    assert token not in text and "Secret plans" not in text and "Bearer" not in text
    assert oct(log.stat().st_mode & 0o777) == "0o600"


async def test_input_required_answer_cannot_be_moved_to_other_arguments_or_replayed(
    server: Any, sandbox: Sandbox
) -> None:
    """Protocol 2026-07-28: the requestState binds the person's answer to the exact call, once."""
    from zoom_mcp.sandbox.fixtures import SCHEDULED_MEETING_ID

    async with Client(server, mode="2026-07-28", elicitation_callback=Person("accept")) as client:
        session = client.session
        asked = await session.call_tool(
            "delete_meeting", {"meetingId": SCHEDULED_MEETING_ID}, allow_input_required=True
        )
        assert isinstance(asked, types.InputRequiredResult) and asked.request_state
        yes = {"confirm": types.ElicitResult(action="accept", content={"confirm": True})}
        moved = await session.call_tool(
            "delete_meeting", {"meetingId": 81234567890}, input_responses=yes, request_state=asked.request_state
        )
        assert moved.is_error and "arguments differ" in moved.content[0].text
        asked = await session.call_tool(
            "delete_meeting", {"meetingId": SCHEDULED_MEETING_ID}, allow_input_required=True
        )
        done = await session.call_tool(
            "delete_meeting",
            {"meetingId": SCHEDULED_MEETING_ID},
            input_responses=yes,
            request_state=asked.request_state,
        )
        assert not done.is_error
        replay = await session.call_tool(
            "delete_meeting",
            {"meetingId": SCHEDULED_MEETING_ID},
            input_responses=yes,
            request_state=asked.request_state,
        )
        assert replay.is_error and "already used" in replay.content[0].text
    assert len(mutations(sandbox, "delete_meeting")) == 1
