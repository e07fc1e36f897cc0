"""One plausible call per catalog tool against the seeded sandbox, and what it must change.

`CALLS[name]` holds the arguments, an optional `setup` that puts the sandbox in the state the
call needs, and a `check` that asserts on the sandbox state and the tool result afterwards.

`BY_HAND` is what was written here: every operation with a hand-written sandbox handler has an
entry whose check a handler that does nothing would fail (`test_every_tool.py` proves it for each).
The rest of `CALLS` is generated from the catalog for operations answered by the schema-shaped
default: the call must succeed and its answer validate against the response schema.

Sandbox tests pin the clock: `pinned()` is a sandbox at `NOW` (or at one of `MOMENTS`).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jsonschema

import zoom_mcp.sandbox.fixtures as s
from zoom_mcp.api import Operation, load_catalog
from zoom_mcp.clock import FixedClock
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.sandbox.engine.answers import example

CATALOG = load_catalog()
NOW = "2026-12-15T15:00:00Z"  # the moment sandbox tests pin, unless they are checked at each of MOMENTS
# Moments the date-sensitive sandbox tests are also checked at: month and year ends and starts, a leap day.
MOMENTS = (
    NOW,
    "2026-12-01T00:30:00Z",
    "2026-12-02T09:00:00Z",
    "2026-12-31T23:58:30Z",
    "2027-01-01T00:00:30Z",
    "2028-02-29T12:00:00Z",
)
TODAY = FixedClock(NOW).today().isoformat()


def pinned(at: str = NOW, **options: Any) -> Sandbox:
    """A sandbox whose clock stands at `at`."""
    return Sandbox(clock=FixedClock(at), **options)


Check = Callable[[Sandbox, Any], Any]


@dataclass(frozen=True)
class ToolCall:
    arguments: dict[str, Any]
    check: Check = lambda sandbox, data: True
    setup: Callable[[Sandbox], None] = field(default=lambda sandbox: None)


def _trash_all(sandbox: Sandbox, uuid: str) -> None:
    meeting = sandbox.state.recordings[uuid]
    meeting["trashed_files"] += [{**f, "status": "deleted"} for f in meeting["recording_files"]]
    meeting["recording_files"] = []


def _files(sandbox: Sandbox, uuid: str) -> list[str]:
    return [f["file_type"] for f in sandbox.state.recordings[uuid]["recording_files"]]


def _ids(items: list[dict[str, Any]], key: str = "id") -> list[Any]:
    return [item[key] for item in items]


def _in_month(sandbox: Sandbox) -> int:
    """How many past instances started in the sandbox clock's month."""
    month = sandbox.clock.today().isoformat()[:7]
    return sum(1 for i in sandbox.state.instances().values() if i["start_time"][:7] == month)


def _on(sandbox: Sandbox, day: str, host_id: str | None = None) -> list[str]:
    """UUIDs of the past instances (of `host_id`'s, when given) that started on `day`, newest first."""
    found = [i for i in sandbox.state.instances().values() if i["start_time"][:10] == day]
    found = [i for i in found if host_id is None or i["host_id"] == host_id]
    return [i["uuid"] for i in sorted(found, key=lambda i: i["start_time"], reverse=True)]


def _last(store: dict[Any, list[dict[str, Any]]], key: Any) -> dict[str, Any]:
    """The newest record kept under `key` (a KeyError or IndexError when there is none: the check fails)."""
    return store[key][-1]


def _branding(sandbox: Sandbox, webinar_id: int = s.WEBINAR_ID) -> dict[str, Any]:
    return sandbox.state.webinar_branding[webinar_id]


def _panelist(sandbox: Sandbox) -> dict[str, Any]:
    """The launch webinar's seeded panelist, as stored."""
    return sandbox.state.panelists[s.WEBINAR_ID][0]


def _own_app_opens(sandbox: Sandbox, meeting_id: int) -> None:
    """The sandbox's own app is set to open in the meeting, as add_meeting_app leaves it."""
    sandbox.state.open_apps.setdefault(meeting_id, []).append({"id": 1, "app_id": sandbox.credentials.client_id})


PNG_1PX = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
PNG_SIZE = len(base64.b64decode(PNG_1PX))
STREAM = {
    "stream_url": "rtmp://stream.example.com/live",
    "stream_key": "review-key-1",
    "page_url": "https://stream.example.com/review",
    "resolution": "1080p",
}
NAME_TAG = {"name": "Guest", "text_color": "#000000", "accent_color": "#FF0000", "background_color": "#FFFFFF"}
LW, TAGS, BACKGROUNDS = s.LIVE_WEBINAR_ID, s.WEBINAR_NAME_TAG_IDS, s.WEBINAR_BACKGROUND_IDS
POLL_QUESTION = {"name": "Which day works?", "type": "single", "answers": ["Monday", "Tuesday"]}
PERSON = {"email": "pat.lee@example.com", "first_name": "Pat", "last_name": "Lee"}
H323 = {"name": "Board codec", "protocol": "SIP", "ip": "192.0.2.20", "encryption": "yes"}
BUDGET_M4A = f"{s.BUDGET_MEETING_ID}-m4a-2"
DEFAULT_QUESTION = {"field_name": "last_name", "required": False}  # Zoom's registration default
W, WS = s.WEBINAR_ID, s.WORKSHOP_MEETING_ID
WEBINAR_SURVEY = {
    "show_in_the_browser": True,
    "custom_survey": {
        "title": "Webinar feedback",
        "questions": [{"name": "Useful?", "type": "single", "answers": ["Yes", "No"]}],
    },
}


def _generated(op: Operation) -> ToolCall:
    """A call built from the catalog alone: path IDs, required query values, the body's example.

    For operations whose sandbox behaviour is the schema-shaped default: the call must succeed and
    its answer must validate against the operation's response schema.
    """
    body = example(op.body_schema) if op.body_schema else {}
    required = set(op.input_schema.get("required", []))
    arguments: dict[str, Any] = {}
    for arg, target in op.arguments.items():
        schema = op.input_schema["properties"][arg]
        if target.location == "path" and target.wire_name in SEEDED_PATH_VALUES:
            value = SEEDED_PATH_VALUES[target.wire_name]  # the sandbox answers unknown ones with 404
            arguments[arg] = str(value) if schema.get("type") == "string" else value
        elif target.location == "path":
            plain = schema.get("type") == "string" and "enum" not in schema
            arguments[arg] = f"sandbox-{arg}" if plain else example(schema, arg)
        elif target.location == "query" and arg in required:
            arguments[arg] = TODAY if arg in ("from", "to") else example(schema, arg)
        elif target.location == "body" and isinstance(body, dict) and target.wire_name in body:
            value = body[target.wire_name]
            arguments[arg] = base64.b64encode(b"sandbox").decode() if schema.get("contentEncoding") else value
        elif target.location == "whole_body" and body is not None:
            arguments[arg] = body

    def check(sandbox: Sandbox, data: Any) -> bool:
        if op.response_schema is None or data is None:
            return True
        return not list(jsonschema.Draft202012Validator(op.response_schema).iter_errors(data))

    return ToolCall(arguments, check)


def seeded(name: str, check: Check, setup: Callable[[Sandbox], None] | None = None, **also: Any) -> ToolCall:
    """A call with the seeded IDs of `PLAUSIBLE[name]` and `also` (what the catalog alone gives fills in the rest)."""
    op = CATALOG.get(name)
    assert op is not None, name
    merged = {**_generated(op).arguments, **PLAUSIBLE[name], **also}
    for arg, value in merged.items():  # the seeded values, typed as the tool's schema wants them
        schema = op.input_schema["properties"].get(arg, {})
        if schema.get("type") == "string" and isinstance(value, int) and not isinstance(value, bool):
            merged[arg] = str(value)
    arguments = {k: v for k, v in merged.items() if k in op.input_schema["properties"]}
    return ToolCall(arguments, check, setup or (lambda sandbox: None))


# --- a plausible call for every tool with state behind it (seeded IDs) ---------------------------------------

PLAUSIBLE: dict[str, dict[str, Any]] = {
    "list_user_meetings": {"userId": "me"},
    "list_upcoming_meetings": {"userId": "me"},
    "update_meeting_status": {"meetingId": s.LIVE_MEETING_ID, "action": "end"},
    "get_past_meeting": {"meetingId": s.BUDGET_UUID},
    "list_past_meeting_instances": {"meetingId": s.RECURRING_MEETING_ID},
    "list_past_meeting_participants": {"meetingId": s.BUDGET_UUID},
    "list_past_meeting_qa": {"meetingId": s.BUDGET_UUID},
    "list_past_meeting_polls": {"meetingId": s.BUDGET_UUID},
    "list_meeting_registrants": {"meetingId": WS},
    "get_meeting_registrant": {"meetingId": WS, "registrantId": s.WORKSHOP_REGISTRANT_IDS[0]},
    "delete_meeting_registrant": {"meetingId": WS, "registrantId": s.WORKSHOP_REGISTRANT_IDS[0]},
    "update_meeting_registrant_status": {"meetingId": WS, "action": "approve"},
    "get_meeting_registration_questions": {"meetingId": WS},
    "update_meeting_registration_questions": {"meetingId": WS, "questions": [{"field_name": "city", "required": True}]},
    "list_meeting_polls": {"meetingId": WS},
    "get_meeting_poll": {"meetingId": WS, "pollId": s.WORKSHOP_POLL_ID},
    "update_meeting_poll": {"meetingId": WS, "pollId": s.WORKSHOP_POLL_ID, "title": "Setup done?"},
    "delete_meeting_poll": {"meetingId": WS, "pollId": s.WORKSHOP_POLL_ID},
    "get_meeting_survey": {"meetingId": WS},
    "update_meeting_survey": {"meetingId": WS, "show_in_the_browser": False},
    "delete_meeting_survey": {"meetingId": WS},
    "get_meeting_summary": {"meetingId": s.BUDGET_UUID},
    "get_meeting_transcript": {"meetingId": s.BUDGET_UUID},
    "delete_meeting_transcript": {"meetingId": s.BUDGET_UUID},
    "delete_meeting_summary": {"meetingId": s.BUDGET_UUID},
    "create_webinar": {"userId": "me", "topic": "Office hours"},
    "get_webinar": {"webinarId": W},
    "list_webinars": {"userId": "me"},
    "update_webinar": {"webinarId": W, "topic": "Launch webinar (moved)"},
    "delete_webinar": {"webinarId": W},
    "update_webinar_status": {"webinarId": W, "action": "end"},
    "list_webinar_panelists": {"webinarId": W},
    "add_webinar_panelists": {"webinarId": W, "panelists": [{"name": "Kim", "email": "kim@example.com"}]},
    "remove_webinar_panelist": {"webinarId": W, "panelistId": s.WEBINAR_PANELIST_ID},
    "remove_all_webinar_panelists": {"webinarId": W},
    "add_webinar_registrant": {"webinarId": W, "email": "kim@example.com", "first_name": "Kim"},
    "add_webinar_registrants_batch": {"webinarId": W, "registrants": [{"email": "kim@example.com", "first_name": "K"}]},
    "list_webinar_registrants": {"webinarId": W},
    "get_webinar_registrant": {"webinarId": W, "registrantId": s.WEBINAR_REGISTRANT_ID},
    "delete_webinar_registrant": {"webinarId": W, "registrantId": s.WEBINAR_REGISTRANT_ID},
    "update_webinar_registrant_status": {"webinarId": W, "action": "deny"},
    "get_webinar_registration_questions": {"webinarId": W},
    "update_webinar_registration_questions": {"webinarId": W, "questions": [{"field_name": "org", "required": True}]},
    "list_webinar_polls": {"webinarId": W},
    "create_webinar_poll": {"webinarId": W, "title": "Role?"},
    "get_webinar_poll": {"webinarId": W, "pollId": s.WEBINAR_POLL_ID},
    "update_webinar_poll": {"webinarId": W, "pollId": s.WEBINAR_POLL_ID, "title": "Most wanted feature?"},
    "delete_webinar_poll": {"webinarId": W, "pollId": s.WEBINAR_POLL_ID},
    "get_webinar_survey": {"webinarId": W},
    "update_webinar_survey": {"webinarId": W, "show_in_the_browser": True},
    "delete_webinar_survey": {"webinarId": W},
    "list_webinar_templates": {"userId": "me"},
    "create_webinar_template": {"userId": "me", "webinar_id": W, "name": "Launch v2"},
    "list_meeting_templates": {"userId": s.SAM_ID},
    "list_tracking_fields": {},
    "create_tracking_field": {"field": "Region"},
    "get_tracking_field": {"fieldId": s.TRACKING_FIELD_ID},
    "update_tracking_field": {"fieldId": s.TRACKING_FIELD_ID, "visible": False},
    "delete_tracking_field": {"fieldId": s.TRACKING_FIELD_ID},
    "get_account_tsp": {},
    "update_account_tsp": {"tsp_provider": "Other"},
    "list_user_tsp_accounts": {"userId": "me"},
    "add_user_tsp_account": {"userId": "me", "conference_code": "111222", "leader_pin": "9876"},
    "get_user_tsp_account": {"userId": "me", "tspId": s.TSP_ACCOUNT_ID},
    "update_user_tsp_account": {"userId": "me", "tspId": s.TSP_ACCOUNT_ID, "conference_code": "1", "leader_pin": "2"},
    "delete_user_tsp_account": {"userId": "me", "tspId": s.TSP_ACCOUNT_ID},
    "list_sip_phones": {},
    "add_sip_phone": {
        "user_email": s.SAM_EMAIL,
        "user_name": "sam",
        "authorization_name": "sam",
        "password": "secret",
        "domain": "sip.example.com",
        "server": {"register_server": "192.0.2.60"},
    },
    "update_sip_phone": {"phoneId": s.SIP_PHONE_ID, "voice_mail": "*98"},
    "delete_sip_phone": {"phoneId": s.SIP_PHONE_ID},
    "assign_device_to_group": {"deviceId": s.ZOOM_ROOM_DEVICE_ID, "group_id": s.ZDM_GROUP_ID},
    "get_user_meetings_report": {"userId": "me"},
    "get_meeting_details_report": {"meetingId": s.BUDGET_UUID},
    "get_meeting_participants_report": {"meetingId": s.BUDGET_UUID},
    "get_meeting_polls_report": {"meetingId": s.BUDGET_UUID},
    "get_meeting_qa_report": {"meetingId": s.BUDGET_UUID},
    "get_active_inactive_hosts_report": {},
    "get_daily_usage_report": {},
    "get_meeting_history_report": {},
}


SEEDED_PATH_VALUES: dict[str, Any] = {
    "userId": "me",
    "meetingId": s.SCHEDULED_MEETING_ID,
    "webinarId": s.WEBINAR_ID,
}

BY_HAND: dict[str, ToolCall] = {
    # --- written with their arguments ---
    "list_archived_files": ToolCall({}, lambda sb, d: d["meetings"][0]["uuid"] == s.BUDGET_UUID),
    "get_archived_file_statistics": ToolCall(
        {},
        lambda sb, d: (
            d["total_records"] == 1
            and d["statistic_by_file_extension"]["json_file_count"] == 1
            and d["statistic_by_file_extension"]["mp4_file_count"] == 0
        ),
    ),
    "update_archived_file_auto_delete": ToolCall(
        {"fileId": s.ARCHIVE_FILE_ID, "auto_delete": False},
        lambda sb, d: sb.state.archives[s.BUDGET_UUID]["archive_files"][0]["auto_delete"] is False,
    ),
    "delete_meeting_archived_files": ToolCall(
        {"meetingUUID": s.BUDGET_UUID}, lambda sb, d: s.BUDGET_UUID not in sb.state.archives
    ),
    "get_meeting_archived_files": ToolCall(
        {"meetingUUID": s.BUDGET_UUID}, lambda sb, d: d["archive_files"][0]["id"] == s.ARCHIVE_FILE_ID
    ),
    "delete_meeting_recordings": ToolCall(
        {"meetingId": s.RETRO_UUID, "action": "trash"},
        lambda sb, d: _files(sb, s.RETRO_UUID) == [] and len(sb.state.recordings[s.RETRO_UUID]["trashed_files"]) == 2,
    ),
    "get_meeting_recordings": ToolCall(
        {"meetingId": s.BUDGET_UUID},
        lambda sb, d: [f["file_type"] for f in d["recording_files"]] == ["MP4", "M4A", "TRANSCRIPT", "CHAT"],
    ),
    "get_recording_analytics_details": ToolCall(
        {"meetingId": str(s.BUDGET_MEETING_ID), "type": "by_view"},
        lambda sb, d: len(d["analytics_details"]) == 1 and d["analytics_details"][0]["name"] == "Pat Lee",
    ),
    "get_recording_analytics_summary": ToolCall(
        {"meetingId": s.BUDGET_UUID}, lambda sb, d: d["analytics_summary"][0]["views_total_count"] == 12
    ),
    "list_recording_registrants": ToolCall(
        {"meetingId": s.BUDGET_MEETING_ID, "status": "pending"},
        lambda sb, d: [r["id"] for r in d["registrants"]] == ["reg-0001"],
    ),
    "add_recording_registrant": ToolCall(
        {"meetingId": s.BUDGET_MEETING_ID, **PERSON},
        lambda sb, d: d["registrant_id"] and len(sb.state.recording_registrants[s.BUDGET_MEETING_ID]) == 2,
    ),
    "get_recording_registration_questions": ToolCall(
        {"meetingId": s.BUDGET_UUID},
        lambda sb, d: "questions" in d and d == {"questions": [DEFAULT_QUESTION], "custom_questions": []},
    ),
    "update_recording_registration_questions": ToolCall(
        {"meetingId": s.BUDGET_UUID, "questions": [{"field_name": "country", "required": True}]},
        lambda sb, d: sb.state.recording_questions[s.BUDGET_UUID]["questions"][0]["field_name"] == "country",
    ),
    "update_recording_registrant_status": ToolCall(
        {"meetingId": s.BUDGET_MEETING_ID, "action": "deny", "registrants": [{"id": "reg-0001"}]},
        lambda sb, d: sb.state.recording_registrants[s.BUDGET_MEETING_ID][0]["status"] == "denied",
    ),
    "get_recording_settings": ToolCall(
        {"meetingId": s.BUDGET_UUID},
        lambda sb, d: d["share_recording"] == "publicly" and d["topic"] == "Q3 budget planning",
    ),
    "update_recording_settings": ToolCall(
        {"meetingId": s.BUDGET_UUID, "viewer_download": False},
        lambda sb, d: sb.state.recording_settings[s.BUDGET_UUID]["viewer_download"] is False,
    ),
    "delete_recording_file": ToolCall(
        {"meetingId": s.BUDGET_UUID, "recordingId": BUDGET_M4A, "action": "delete"},
        lambda sb, d: (
            _files(sb, s.BUDGET_UUID) == ["MP4", "TRANSCRIPT", "CHAT"]
            and sb.state.recordings[s.BUDGET_UUID]["trashed_files"] == []
        ),
    ),
    "recover_recording_file": ToolCall(
        {"meetingId": s.CUSTOMER_UUID, "recordingId": f"{s.CUSTOMER_MEETING_ID}-mp4-1", "action": "recover"},
        lambda sb, d: _files(sb, s.CUSTOMER_UUID) == ["MP4"],
        setup=lambda sb: _trash_all(sb, s.CUSTOMER_UUID),
    ),
    "recover_meeting_recordings": ToolCall(
        {"meetingUUID": s.RETRO_UUID, "action": "recover"},
        lambda sb, d: _files(sb, s.RETRO_UUID) == ["MP4", "TRANSCRIPT"],
        setup=lambda sb: _trash_all(sb, s.RETRO_UUID),
    ),
    "list_user_recordings": ToolCall(
        {"userId": "me"}, lambda sb, d: [m["topic"] for m in d["meetings"]] == ["Q3 budget planning", "Team stand-up"]
    ),
    "list_devices": ToolCall(
        {"device_vendor": "Poly"}, lambda sb, d: [x["device_id"] for x in d["devices"]] == [s.PHONE_DEVICE_ID]
    ),
    "add_device": ToolCall(
        {
            "device_name": "Lobby TV",
            "device_type": 0,
            "mac_address": "00:11:22:33:44:55",
            "model": "Neat Bar",
            "serial_number": "NB-9",
            "vendor": "Neat",
        },
        lambda sb, d: any(x["device_name"] == "Lobby TV" for x in sb.state.devices.values()),
    ),
    "list_zdm_groups": ToolCall({}, lambda sb, d: d["groups"][0]["zdm_group_id"] == s.ZDM_GROUP_ID),
    "assign_zpa_device": ToolCall(
        {"mac_address": s.PHONE_MAC, "vendor": s.PHONE_VENDOR, "extension_number": "1002"},
        lambda sb, d: sb.state.devices[s.PHONE_DEVICE_ID]["extension_number"] == "1002",
    ),
    "upgrade_zpa_firmware": ToolCall(
        {"zdm_group_id": s.ZDM_GROUP_ID, "data": {"upgrade_type": "UPGRADE_APP", "app_version": "5.19.1"}},
        lambda sb, d: (
            sb.requests[-1].json["data"]["app_version"] == "5.19.1"
            and sb.state.firmware_upgrades[-1] == {**sb.requests[-1].json["data"], "zdm_group_id": s.ZDM_GROUP_ID}
        ),
    ),
    "delete_zpa_device": ToolCall(
        {"vendor": s.PHONE_VENDOR, "macAddress": s.PHONE_MAC}, lambda sb, d: s.PHONE_DEVICE_ID not in sb.state.devices
    ),
    "get_zpa_version_info": ToolCall({"zdmGroupId": s.ZDM_GROUP_ID}, lambda sb, d: d["app_versions"] == ["5.19.1"]),
    "delete_device": ToolCall(
        {"deviceId": s.ZOOM_ROOM_DEVICE_ID}, lambda sb, d: s.ZOOM_ROOM_DEVICE_ID not in sb.state.devices
    ),
    "get_device": ToolCall({"deviceId": s.ZOOM_ROOM_DEVICE_ID}, lambda sb, d: d["device_name"] == "Boardroom PC"),
    "update_device": ToolCall(
        {"deviceId": s.ZOOM_ROOM_DEVICE_ID, "device_name": "Boardroom PC 2"},
        lambda sb, d: sb.state.devices[s.ZOOM_ROOM_DEVICE_ID]["device_name"] == "Boardroom PC 2",
    ),
    "change_device_assignment": ToolCall(
        {"deviceId": s.ZOOM_ROOM_DEVICE_ID, "room_id": "room-2", "app_type": "ZR", "action": "move"},
        lambda sb, d: sb.state.devices[s.ZOOM_ROOM_DEVICE_ID]["room_id"] == "room-2",
    ),
    "list_h323_devices": ToolCall({}, lambda sb, d: d["devices"][0]["id"] == s.H323_DEVICE_ID),
    "create_h323_device": ToolCall(H323, lambda sb, d: sb.state.h323[d["id"]]["name"] == "Board codec"),
    "delete_h323_device": ToolCall({"deviceId": s.H323_DEVICE_ID}, lambda sb, d: sb.state.h323 == {}),
    "update_h323_device": ToolCall(
        {"deviceId": s.H323_DEVICE_ID, **H323}, lambda sb, d: sb.state.h323[s.H323_DEVICE_ID]["protocol"] == "SIP"
    ),
    "delete_live_meeting_chat_message": ToolCall(
        {"meetingId": s.LIVE_MEETING_ID, "messageId": s.LIVE_MESSAGE_IDS[0]},
        lambda sb, d: list(sb.state.live[s.LIVE_MEETING_ID]["messages"]) == [s.LIVE_MESSAGE_IDS[1]],
    ),
    "update_live_meeting_chat_message": ToolCall(
        {"meetingId": s.LIVE_MEETING_ID, "messageId": s.LIVE_MESSAGE_IDS[1], "message_content": "Q&A at 11:00"},
        lambda sb, d: (
            sb.state.live[s.LIVE_MEETING_ID]["messages"][s.LIVE_MESSAGE_IDS[1]]["message_content"] == "Q&A at 11:00"
        ),
    ),
    "control_live_meeting": ToolCall(
        {"meetingId": str(s.LIVE_MEETING_ID), "method": "recording.stop"},
        lambda sb, d: sb.state.live[s.LIVE_MEETING_ID]["events"][-1]["method"] == "recording.stop",
    ),
    "list_meeting_summaries": ToolCall(
        {}, lambda sb, d: {s.BUDGET_UUID, s.RETRO_UUID} <= {x["meeting_uuid"] for x in d["summaries"]}
    ),
    "delete_meeting": ToolCall(
        {"meetingId": s.SCHEDULED_MEETING_ID}, lambda sb, d: s.SCHEDULED_MEETING_ID not in sb.state.meetings
    ),
    "get_meeting": ToolCall({"meetingId": s.SCHEDULED_MEETING_ID}, lambda sb, d: d["topic"] == "Weekly design review"),
    "update_meeting": ToolCall(
        {"meetingId": s.SCHEDULED_MEETING_ID, "topic": "Design review (moved)", "settings": {"waiting_room": False}},
        lambda sb, d: (
            sb.state.meetings[s.SCHEDULED_MEETING_ID]["topic"] == "Design review (moved)"
            and sb.state.meetings[s.SCHEDULED_MEETING_ID]["settings"]["waiting_room"] is False
        ),
    ),
    "create_meeting_polls_batch": ToolCall(
        {"meetingId": str(s.SCHEDULED_MEETING_ID), "polls": [{"title": "Lunch", "questions": [POLL_QUESTION]}]},
        lambda sb, d: d["polls"][0]["title"] == "Lunch" and len(sb.state.polls[s.SCHEDULED_MEETING_ID]) == 1,
    ),
    "add_meeting_registrants_batch": ToolCall(
        {"meetingId": str(s.SCHEDULED_MEETING_ID), "registrants": [PERSON, {**PERSON, "email": "kim@example.com"}]},
        lambda sb, d: len(d["registrants"]) == 2 and len(sb.state.registrants[s.SCHEDULED_MEETING_ID]) == 2,
    ),
    "get_meeting_invitation": ToolCall(
        {"meetingId": s.SCHEDULED_MEETING_ID}, lambda sb, d: "Weekly design review" in d["invitation"]
    ),
    "create_meeting_invite_links": ToolCall(
        {"meetingId": s.SCHEDULED_MEETING_ID, "attendees": [{"name": "Pat"}], "ttl": 3600},
        lambda sb, d: (
            d["attendees"][0]["name"] == "Pat"
            and _ids(sb.state.invite_links[s.SCHEDULED_MEETING_ID], "join_url") == _ids(d["attendees"], "join_url")
        ),
    ),
    "get_live_streaming_join_token": ToolCall({"meetingId": s.LIVE_MEETING_ID}, lambda sb, d: len(d["token"]) == 40),
    "get_local_archiving_token": ToolCall(
        {"meetingId": s.LIVE_MEETING_ID}, lambda sb, d: d["expire_in"] == 120 and len(d["token"]) == 40
    ),
    "get_local_recording_join_token": ToolCall(
        {"meetingId": s.LIVE_MEETING_ID}, lambda sb, d: d["token"] and len(d["token"]) == 40 and d["expire_in"] == 120
    ),
    "get_meeting_livestream": ToolCall(
        {"meetingId": str(s.SCHEDULED_MEETING_ID)}, lambda sb, d: d["stream_key"] == f"key-{s.SCHEDULED_MEETING_ID}"
    ),
    "create_meeting": ToolCall(
        {"userId": "me", "topic": "Kickoff", "type": 2, "start_time": "2030-01-01T10:00:00Z", "duration": 30},
        lambda sb, d: sb.state.meetings[d["id"]]["topic"] == "Kickoff" and d["join_url"].endswith(str(d["id"])),
    ),
    "add_meeting_registrant": ToolCall(
        {"meetingId": s.SCHEDULED_MEETING_ID, **PERSON},
        lambda sb, d: sb.state.registrants[s.SCHEDULED_MEETING_ID][0]["registrant_id"] == d["registrant_id"],
    ),
    "create_meeting_poll": ToolCall(
        {"meetingId": s.SCHEDULED_MEETING_ID, "title": "Lunch", "questions": [POLL_QUESTION]},
        lambda sb, d: sb.state.polls[s.SCHEDULED_MEETING_ID][0]["id"] == d["id"],
    ),
    "create_meeting_template": ToolCall(
        {"userId": "me", "meeting_id": s.SCHEDULED_MEETING_ID, "name": "Review template"},
        lambda sb, d: sb.state.templates[s.OWNER_ID][0]["name"] == "Review template",
    ),
    # --- meetings: lists, status, past meetings (arguments from PLAUSIBLE) ---
    "list_user_meetings": seeded(
        "list_user_meetings",
        lambda sb, d: (
            {s.SCHEDULED_MEETING_ID, s.RECURRING_MEETING_ID, s.LIVE_MEETING_ID, WS} <= set(_ids(d["meetings"]))
        ),
    ),
    "list_upcoming_meetings": seeded(
        "list_upcoming_meetings",
        lambda sb, d: s.SCHEDULED_MEETING_ID in _ids(d["meetings"]) and d["total_records"] == len(d["meetings"]),
    ),
    "update_meeting_status": seeded(
        "update_meeting_status",
        lambda sb, d: (
            s.LIVE_MEETING_ID not in sb.state.live
            and [p["id"] for p in sb.state.past_meetings.values()] == [s.LIVE_MEETING_ID]
        ),
    ),
    "get_past_meeting": seeded(
        "get_past_meeting", lambda sb, d: (d["uuid"], d["topic"]) == (s.BUDGET_UUID, "Q3 budget planning")
    ),
    "list_past_meeting_instances": seeded(
        "list_past_meeting_instances", lambda sb, d: sorted(_ids(d["meetings"], "uuid")) == sorted(s.STANDUP_UUIDS)
    ),
    "list_past_meeting_participants": seeded(
        "list_past_meeting_participants",
        lambda sb, d: (
            d["participants"][0]["name"] == "Alex Rivera"
            and d["total_records"] == len(sb.state.participants[s.BUDGET_UUID])
        ),
    ),
    "list_past_meeting_qa": seeded("list_past_meeting_qa", lambda sb, d: d["questions"][0]["name"] == "Sam Okafor"),
    "list_past_meeting_polls": seeded(
        "list_past_meeting_polls", lambda sb, d: d["questions"][0]["question_details"][0]["answer"] == "Yes"
    ),
    # --- registrants, polls, surveys ---
    "list_meeting_registrants": seeded(
        "list_meeting_registrants", lambda sb, d: _ids(d["registrants"]) == [s.WORKSHOP_REGISTRANT_IDS[0]]
    ),
    "get_meeting_registrant": seeded(
        "get_meeting_registrant",
        lambda sb, d: (d["id"], d["email"]) == (s.WORKSHOP_REGISTRANT_IDS[0], "dana.kim@acme.example.com"),
    ),
    "delete_meeting_registrant": seeded(
        "delete_meeting_registrant",
        lambda sb, d: _ids(sb.state.registrants[WS], "registrant_id") == [s.WORKSHOP_REGISTRANT_IDS[1]],
    ),
    "update_meeting_registrant_status": seeded(
        "update_meeting_registrant_status",
        lambda sb, d: [p["status"] for p in sb.state.registrants[WS]] == ["approved", "approved"],
        registrants=[{"id": s.WORKSHOP_REGISTRANT_IDS[1]}],
    ),
    "get_meeting_registration_questions": seeded(
        "get_meeting_registration_questions", lambda sb, d: d["questions"] == [{"field_name": "org", "required": True}]
    ),
    "update_meeting_registration_questions": seeded(
        "update_meeting_registration_questions",
        lambda sb, d: sb.state.registration_questions[WS]["questions"] == [{"field_name": "city", "required": True}],
    ),
    "list_meeting_polls": seeded("list_meeting_polls", lambda sb, d: _ids(d["polls"]) == [s.WORKSHOP_POLL_ID]),
    "get_meeting_poll": seeded(
        "get_meeting_poll", lambda sb, d: (d["id"], d["title"]) == (s.WORKSHOP_POLL_ID, "Setup check")
    ),
    "update_meeting_poll": seeded("update_meeting_poll", lambda sb, d: sb.state.polls[WS][0]["title"] == "Setup done?"),
    "delete_meeting_poll": seeded("delete_meeting_poll", lambda sb, d: sb.state.polls[WS] == []),
    "get_meeting_survey": seeded(
        "get_meeting_survey", lambda sb, d: d["custom_survey"]["title"] == "How was the workshop?"
    ),
    "update_meeting_survey": seeded(
        "update_meeting_survey", lambda sb, d: sb.state.surveys[WS]["show_in_the_browser"] is False
    ),
    "delete_meeting_survey": seeded("delete_meeting_survey", lambda sb, d: WS not in sb.state.surveys),
    # --- summaries and transcripts ---
    "get_meeting_summary": seeded(
        "get_meeting_summary",
        lambda sb, d: d["meeting_uuid"] == s.BUDGET_UUID and "110,000" in d["summary_overview"],
    ),
    "delete_meeting_summary": seeded(
        "delete_meeting_summary", lambda sb, d: s.BUDGET_UUID not in _ids(sb.state.summaries, "meeting_uuid")
    ),
    "get_meeting_transcript": seeded(
        "get_meeting_transcript",
        lambda sb, d: (
            (d["meeting_id"], d["can_download"]) == (s.BUDGET_UUID, True)
            and d["download_url"].endswith(f"/rec/download/{s.BUDGET_MEETING_ID}-transcript-3")
        ),
    ),
    "delete_meeting_transcript": seeded(
        "delete_meeting_transcript", lambda sb, d: _files(sb, s.BUDGET_UUID) == ["MP4", "M4A", "CHAT"]
    ),
    # --- webinars ---
    "create_webinar": seeded(
        "create_webinar", lambda sb, d: sb.state.webinars[d["id"]]["topic"] == "Office hours" and d["id"] != W
    ),
    "get_webinar": seeded("get_webinar", lambda sb, d: (d["id"], d["topic"]) == (W, "Product launch webinar")),
    "list_webinars": seeded("list_webinars", lambda sb, d: _ids(d["webinars"]) == [W]),
    "update_webinar": seeded("update_webinar", lambda sb, d: sb.state.webinars[W]["topic"] == "Launch webinar (moved)"),
    "delete_webinar": seeded(
        "delete_webinar", lambda sb, d: W not in sb.state.webinars and W not in sb.state.panelists
    ),
    "update_webinar_status": seeded("update_webinar_status", lambda sb, d: sb.state.webinars[W]["status"] == "ended"),
    "list_webinar_panelists": seeded(
        "list_webinar_panelists", lambda sb, d: _ids(d["panelists"]) == [s.WEBINAR_PANELIST_ID]
    ),
    "add_webinar_panelists": seeded(
        "add_webinar_panelists", lambda sb, d: _ids(sb.state.panelists[W], "email")[-1] == "kim@example.com"
    ),
    "remove_webinar_panelist": seeded("remove_webinar_panelist", lambda sb, d: sb.state.panelists[W] == []),
    "remove_all_webinar_panelists": seeded("remove_all_webinar_panelists", lambda sb, d: sb.state.panelists[W] == []),
    "add_webinar_registrant": seeded(
        "add_webinar_registrant", lambda sb, d: _ids(sb.state.webinar_registrants[W])[-1] == d["registrant_id"]
    ),
    "add_webinar_registrants_batch": seeded(
        "add_webinar_registrants_batch",
        lambda sb, d: _ids(sb.state.webinar_registrants[W], "email") == ["morgan.diaz@example.com", "kim@example.com"],
    ),
    "list_webinar_registrants": seeded(
        "list_webinar_registrants", lambda sb, d: _ids(d["registrants"]) == [s.WEBINAR_REGISTRANT_ID]
    ),
    "get_webinar_registrant": seeded(
        "get_webinar_registrant",
        lambda sb, d: (d["id"], d["email"]) == (s.WEBINAR_REGISTRANT_ID, "morgan.diaz@example.com"),
    ),
    "delete_webinar_registrant": seeded(
        "delete_webinar_registrant", lambda sb, d: sb.state.webinar_registrants[W] == []
    ),
    "update_webinar_registrant_status": seeded(
        "update_webinar_registrant_status",
        lambda sb, d: sb.state.webinar_registrants[W][0]["status"] == "denied",
        registrants=[{"id": s.WEBINAR_REGISTRANT_ID}],
    ),
    "get_webinar_registration_questions": seeded(
        "get_webinar_registration_questions",
        lambda sb, d: d == {"questions": [DEFAULT_QUESTION], "custom_questions": []},
    ),
    "update_webinar_registration_questions": seeded(
        "update_webinar_registration_questions",
        lambda sb, d: sb.state.registration_questions[W]["questions"] == [{"field_name": "org", "required": True}],
    ),
    "list_webinar_polls": seeded("list_webinar_polls", lambda sb, d: _ids(d["polls"]) == [s.WEBINAR_POLL_ID]),
    "create_webinar_poll": seeded(
        "create_webinar_poll",
        lambda sb, d: d["title"] == "Role?" and _ids(sb.state.webinar_polls[W]) == [s.WEBINAR_POLL_ID, d["id"]],
    ),
    "get_webinar_poll": seeded("get_webinar_poll", lambda sb, d: d["title"] == "Which feature matters most?"),
    "update_webinar_poll": seeded(
        "update_webinar_poll", lambda sb, d: sb.state.webinar_polls[W][0]["title"] == "Most wanted feature?"
    ),
    "delete_webinar_poll": seeded("delete_webinar_poll", lambda sb, d: sb.state.webinar_polls[W] == []),
    "get_webinar_survey": seeded(
        "get_webinar_survey",
        lambda sb, d: d["custom_survey"]["title"] == "Webinar feedback",
        setup=lambda sb: sb.state.surveys.update({W: WEBINAR_SURVEY}),
    ),
    "update_webinar_survey": seeded(
        "update_webinar_survey", lambda sb, d: sb.state.surveys[W]["show_in_the_browser"] is True
    ),
    "delete_webinar_survey": seeded(
        "delete_webinar_survey",
        lambda sb, d: W not in sb.state.surveys,
        setup=lambda sb: sb.state.surveys.update({W: WEBINAR_SURVEY}),
    ),
    # --- templates ---
    "list_webinar_templates": seeded(
        "list_webinar_templates", lambda sb, d: _ids(d["templates"]) == [s.WEBINAR_TEMPLATE_ID]
    ),
    "create_webinar_template": seeded(
        "create_webinar_template",
        lambda sb, d: _ids(sb.state.webinar_templates[s.OWNER_ID], "name") == ["Quarterly launch", "Launch v2"],
    ),
    "list_meeting_templates": seeded(
        "list_meeting_templates", lambda sb, d: _ids(d["templates"]) == [s.SAM_TEMPLATE_ID]
    ),
    # --- tracking fields, TSP, SIP phones, device groups ---
    "list_tracking_fields": seeded(
        "list_tracking_fields", lambda sb, d: _ids(d["tracking_fields"]) == [s.TRACKING_FIELD_ID]
    ),
    "create_tracking_field": seeded(
        "create_tracking_field", lambda sb, d: sb.state.tracking_fields[d["id"]]["field"] == "Region"
    ),
    "get_tracking_field": seeded("get_tracking_field", lambda sb, d: d["field"] == "Department"),
    "update_tracking_field": seeded(
        "update_tracking_field", lambda sb, d: sb.state.tracking_fields[s.TRACKING_FIELD_ID]["visible"] is False
    ),
    "delete_tracking_field": seeded("delete_tracking_field", lambda sb, d: sb.state.tracking_fields == {}),
    "get_account_tsp": seeded("get_account_tsp", lambda sb, d: d["tsp_provider"] == "Sandbox Conferencing"),
    "update_account_tsp": seeded("update_account_tsp", lambda sb, d: sb.state.tsp["tsp_provider"] == "Other"),
    "list_user_tsp_accounts": seeded(
        "list_user_tsp_accounts",
        lambda sb, d: [(a["id"], a["conference_code"]) for a in d["tsp_accounts"]] == [(s.TSP_ACCOUNT_ID, "4567890")],
    ),
    "add_user_tsp_account": seeded(
        "add_user_tsp_account",
        lambda sb, d: (
            d["id"] == "2" and _ids(sb.state.user_tsp[s.OWNER_ID], "conference_code") == ["4567890", "111222"]
        ),
    ),
    "get_user_tsp_account": seeded("get_user_tsp_account", lambda sb, d: d["conference_code"] == "4567890"),
    "update_user_tsp_account": seeded(
        "update_user_tsp_account", lambda sb, d: sb.state.user_tsp[s.OWNER_ID][0]["conference_code"] == "1"
    ),
    "delete_user_tsp_account": seeded("delete_user_tsp_account", lambda sb, d: sb.state.user_tsp[s.OWNER_ID] == []),
    "list_sip_phones": seeded("list_sip_phones", lambda sb, d: _ids(d["phones"], "phone_id") == [s.SIP_PHONE_ID]),
    "add_sip_phone": seeded(
        "add_sip_phone", lambda sb, d: sb.state.sip_phones[d["phone_id"]]["user_email"] == s.SAM_EMAIL
    ),
    "update_sip_phone": seeded(
        "update_sip_phone", lambda sb, d: sb.state.sip_phones[s.SIP_PHONE_ID]["voice_mail"] == "*98"
    ),
    "delete_sip_phone": seeded("delete_sip_phone", lambda sb, d: sb.state.sip_phones == {}),
    "assign_device_to_group": seeded(
        "assign_device_to_group",
        lambda sb, d: sb.state.devices[s.ZOOM_ROOM_DEVICE_ID]["zdm_group_id"] == s.ZDM_GROUP_ID,
    ),
    # --- reports ---
    "get_user_meetings_report": seeded(
        "get_user_meetings_report",
        lambda sb, d: _ids(d["meetings"], "uuid") == _on(sb, TODAY, s.OWNER_ID) == [s.BUDGET_UUID],
    ),
    "get_meeting_details_report": seeded(
        "get_meeting_details_report",
        lambda sb, d: (
            d["topic"] == "Q3 budget planning" and d["participants_count"] == len(sb.state.participants[s.BUDGET_UUID])
        ),
    ),
    "get_meeting_participants_report": seeded(
        "get_meeting_participants_report", lambda sb, d: d["participants"][0]["name"] == "Alex Rivera"
    ),
    "get_meeting_polls_report": seeded(
        "get_meeting_polls_report", lambda sb, d: d["questions"][0]["first_name"] == "Jamie"
    ),
    "get_meeting_qa_report": seeded(
        "get_meeting_qa_report",
        lambda sb, d: d["questions"][0]["question_details"][0]["question_status"] == "answered",
    ),
    "get_active_inactive_hosts_report": seeded(
        "get_active_inactive_hosts_report",
        lambda sb, d: [u["id"] for u in d["users"]] == [s.OWNER_ID] and d["total_meetings"] == len(_on(sb, TODAY)),
    ),
    "get_daily_usage_report": seeded(
        "get_daily_usage_report", lambda sb, d: sum(day["meetings"] for day in d["dates"]) == _in_month(sb) >= 1
    ),
    "get_meeting_history_report": seeded(
        "get_meeting_history_report", lambda sb, d: s.BUDGET_UUID in _ids(d["history_meetings"], "meeting_uuid")
    ),
    # --- SIP URIs, invite links, in-meeting apps, RTMS, TSP dial-in page ---
    "get_meeting_sip_uri": ToolCall(
        {"meetingId": s.SCHEDULED_MEETING_ID, "passcode": "sandbox1"},
        lambda sb, d: (
            d["sip_dialing"] == f"{s.SCHEDULED_MEETING_ID}.sandbox1@zoomcrc.com"
            and _last(sb.state.sip_dialing, s.SCHEDULED_MEETING_ID)["participant_identifier_code"]
            == d["participant_identifier_code"]
        ),
    ),
    "get_webinar_sip_uri": ToolCall(
        {"webinarId": W},
        lambda sb, d: (
            d["sip_dialing"] == f"{W}@zoomcrc.com"
            and _last(sb.state.sip_dialing, W)["participant_identifier_code"] == d["participant_identifier_code"]
        ),
    ),
    "create_webinar_invite_links": ToolCall(
        {"webinarId": W, "attendees": [{"name": "Kim", "disable_video": True}], "ttl": 3600},
        lambda sb, d: (
            [(a["name"], a["join_url"]) for a in d["attendees"]]
            == [(a["name"], a["join_url"]) for a in sb.state.invite_links[W]]
            and sb.state.invite_links[W][0]["disable_video"] is True
        ),
    ),
    "add_meeting_app": ToolCall(
        {"meetingId": s.SCHEDULED_MEETING_ID},
        lambda sb, d: (
            _ids(sb.state.open_apps[s.SCHEDULED_MEETING_ID], "app_id") == [s.OTHER_APP_ID, sb.credentials.client_id]
            and (d["id"], d["app_id"]) == (_last(sb.state.open_apps, s.SCHEDULED_MEETING_ID)["id"], "sandbox-client")
        ),
    ),
    "delete_meeting_app": ToolCall(
        {"meetingId": s.SCHEDULED_MEETING_ID},
        lambda sb, d: _ids(sb.state.open_apps[s.SCHEDULED_MEETING_ID], "app_id") == [s.OTHER_APP_ID],
        setup=lambda sb: _own_app_opens(sb, s.SCHEDULED_MEETING_ID),
    ),
    "update_live_meeting_rtms_status": ToolCall(
        {"meetingId": s.LIVE_MEETING_ID, "action": "start", "settings": {"client_id": "rtms-client-1"}},
        lambda sb, d: (
            sb.state.live[s.LIVE_MEETING_ID]["rtms"]
            == [{"client_id": "rtms-client-1", "participant_user_id": s.OWNER_ID, "status": "started"}]
        ),
    ),
    "set_user_tsp_dial_in_url": ToolCall(
        {"userId": "me", "audio_url": "https://dial.example.com/global"},
        lambda sb, d: sb.state.user_tsp_settings[s.OWNER_ID] == {"audio_url": "https://dial.example.com/global"},
    ),
    # --- live streams, a live webinar's chat ---
    "update_meeting_livestream": ToolCall(
        {"meetingId": s.SCHEDULED_MEETING_ID, **STREAM},
        lambda sb, d: sb.state.meetings[s.SCHEDULED_MEETING_ID]["livestream"] == STREAM,
    ),
    "update_meeting_livestream_status": ToolCall(
        {"meetingId": s.LIVE_MEETING_ID, "action": "start", "settings": {"layout": "gallery_view"}},
        lambda sb, d: (
            sb.state.live[s.LIVE_MEETING_ID]["livestream"]
            == {
                "status": "started",
                "stream_url": "rtmp://live.example.com/zoom",
                "settings": {"layout": "gallery_view"},
            }
        ),
    ),
    "get_webinar_livestream": ToolCall(
        {"webinarId": str(LW)}, lambda sb, d: (d["stream_key"], d["resolution"]) == ("townhall-2026", "1080p")
    ),
    "update_webinar_livestream": ToolCall(
        {"webinarId": W, **STREAM}, lambda sb, d: sb.state.webinars[W]["livestream"] == STREAM
    ),
    "update_webinar_livestream_status": ToolCall(
        {"webinarId": LW, "action": "start", "settings": {"display_name": "Town hall"}},
        lambda sb, d: (
            sb.state.live_webinars[LW]["livestream"]
            == {
                "status": "started",
                "stream_url": "rtmp://live.example.com/townhall",
                "settings": {"display_name": "Town hall"},
            }
        ),
    ),
    "delete_live_webinar_chat_message": ToolCall(
        {"webinarId": LW, "messageId": s.LIVE_WEBINAR_MESSAGE_IDS[0]},
        lambda sb, d: list(sb.state.live_webinars[LW]["messages"]) == [s.LIVE_WEBINAR_MESSAGE_IDS[1]],
    ),
    # --- webinar session branding ---
    "get_webinar_branding": ToolCall(
        {"webinarId": W},
        lambda sb, d: (
            _ids(d["name_tags"]) == list(TAGS)
            and [(b["id"], b["is_default"]) for b in d["virtual_backgrounds"]]
            == [(BACKGROUNDS[0], True), (BACKGROUNDS[1], False)]
            and d["wallpaper"] == {"id": s.WEBINAR_WALLPAPER_ID}
        ),
    ),
    "create_webinar_branding_name_tag": ToolCall(
        {"webinarId": W, **NAME_TAG, "is_default": True},
        lambda sb, d: (
            _ids(_branding(sb)["name_tags"]) == [*TAGS, d["id"]]
            and [t["is_default"] for t in _branding(sb)["name_tags"]] == [False, False, True]
            and (_panelist(sb)["name_tag_id"], _panelist(sb)["name_tag_name"]) == (d["id"], "Guest")
        ),
    ),
    "update_webinar_branding_name_tag": ToolCall(
        {"webinarId": W, "nameTagId": TAGS[0], "name": "Keynote speaker"},
        lambda sb, d: (
            _branding(sb)["name_tags"][0]["name"] == "Keynote speaker"
            and _panelist(sb)["name_tag_name"] == "Keynote speaker"
        ),
    ),
    "delete_webinar_branding_name_tags": ToolCall(
        {"webinarId": W, "name_tag_ids": TAGS[0]},
        lambda sb, d: _ids(_branding(sb)["name_tags"]) == [TAGS[1]] and "name_tag_id" not in _panelist(sb),
    ),
    "add_webinar_branding_virtual_background": ToolCall(
        {"webinarId": W, "file": PNG_1PX, "default": True, "set_default_for_all_panelists": False},
        lambda sb, d: (
            _ids(_branding(sb)["virtual_backgrounds"]) == [*BACKGROUNDS, d["id"]]
            and (d["type"], d["size"], d["is_default"]) == ("image", PNG_SIZE, True)
            and _panelist(sb)["virtual_background_id"] == BACKGROUNDS[0]  # panelists with one keep theirs
        ),
    ),
    "set_webinar_branding_default_virtual_background": ToolCall(
        {"webinarId": W, "id": BACKGROUNDS[1], "set_default_for_all_panelists": True},
        lambda sb, d: (
            [b["is_default"] for b in _branding(sb)["virtual_backgrounds"]] == [False, True]
            and _panelist(sb)["virtual_background_id"] == BACKGROUNDS[1]
        ),
    ),
    "delete_webinar_branding_virtual_backgrounds": ToolCall(
        {"webinarId": W, "ids": BACKGROUNDS[0]},
        lambda sb, d: (
            _ids(_branding(sb)["virtual_backgrounds"]) == [BACKGROUNDS[1]]
            and "virtual_background_id" not in _panelist(sb)
        ),
    ),
    "add_webinar_branding_wallpaper": ToolCall(
        {"webinarId": W, "file": PNG_1PX},
        lambda sb, d: (
            _branding(sb)["wallpaper"]["id"] == d["id"] != s.WEBINAR_WALLPAPER_ID
            and (d["type"], d["size"], d["name"]) == ("image", PNG_SIZE, f"{d['id']}.png")
        ),
    ),
    "delete_webinar_branding_wallpaper": ToolCall({"webinarId": W}, lambda sb, d: _branding(sb)["wallpaper"] is None),
}


CALLS: dict[str, ToolCall] = {
    **BY_HAND,
    **{op.name: _generated(op) for op in CATALOG if op.name not in BY_HAND},
}
