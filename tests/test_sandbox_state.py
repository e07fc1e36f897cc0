"""Stateful sandbox behaviour for the operations added with the 183-operation catalog.

Each test drives the ASGI app over HTTP: create -> list shows it -> update -> get shows the change ->
delete -> 404; every 2xx answer with a documented body validates against its response schema and
names no field the schema does not.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx2
import jsonschema
import pytest

import zoom_mcp.sandbox.fixtures as s
from tests.schema_checks import unknown_fields
from tests.tool_calls import BACKGROUNDS, BY_HAND, MOMENTS, NAME_TAG, NOW, PLAUSIBLE, PNG_1PX, TAGS
from zoom_mcp.api import load_catalog
from zoom_mcp.api.serialize import build_request
from zoom_mcp.clock import FixedClock
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.sandbox.handlers import HANDLERS

pytestmark = pytest.mark.anyio
CATALOG = load_catalog()
BASE = "http://sandbox.zoom-mcp.local"
STATIC = {"Authorization": "Bearer sandbox-token"}


@pytest.fixture
def sb(request: pytest.FixtureRequest) -> Sandbox:
    """A seeded sandbox with its clock pinned at NOW, or at the moment a test is parametrized with."""
    return Sandbox(clock=FixedClock(getattr(request, "param", NOW)))


@pytest.fixture
async def client(sb: Sandbox) -> AsyncIterator[httpx2.AsyncClient]:
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=sb.app), base_url=BASE) as c:
        yield c


async def call(client: httpx2.AsyncClient, name: str, arguments: dict[str, Any], status: int | None = None) -> Any:
    """One tool call over HTTP; checks the status (the op's success status unless given) and the answer's shape."""
    op = CATALOG.get(name)
    assert op is not None, name
    request = build_request(op, arguments)
    if request.files is not None:  # an upload goes as multipart, as the server's client sends it
        files = {key: (key, data, "application/octet-stream") for key, data in request.files.items()}
        reply = await client.request(
            request.method, "/v2" + request.path, params=request.query, data=request.json, files=files, headers=STATIC
        )
    else:
        reply = await client.request(
            request.method, "/v2" + request.path, params=request.query, json=request.json, headers=STATIC
        )
    expected = op.success_status if status is None else status
    assert reply.status_code == expected, (name, reply.status_code, reply.text)
    if reply.status_code >= 400:
        body = reply.json()
        assert set(body) <= {"code", "message", "errors"} and body["message"], body
        return body
    if op.response_schema is None or reply.status_code == 204:
        assert reply.content == b"", (name, reply.text)
        return None
    body = reply.json()
    validator = jsonschema.Draft202012Validator(op.response_schema, format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(body)] == [], name
    assert unknown_fields(op.response_schema, body) == [], name
    return body


# --- 1. meeting lists, status, past meetings ------------------------------------------------------------------


@pytest.mark.parametrize("sb", MOMENTS, indirect=True)
async def test_list_user_meetings_by_type(client: httpx2.AsyncClient) -> None:
    every = await call(client, "list_user_meetings", {"userId": "me"})
    ids = [x["id"] for x in every["meetings"]]
    assert {s.SCHEDULED_MEETING_ID, s.RECURRING_MEETING_ID, s.LIVE_MEETING_ID, s.WORKSHOP_MEETING_ID} <= set(ids)
    live = await call(client, "list_user_meetings", {"userId": "me", "type": "live"})
    assert [x["id"] for x in live["meetings"]] == [s.LIVE_MEETING_ID]
    upcoming = await call(client, "list_user_meetings", {"userId": "me", "type": "upcoming"})
    assert s.SCHEDULED_MEETING_ID in [x["id"] for x in upcoming["meetings"]]
    previous = await call(client, "list_user_meetings", {"userId": "me", "type": "previous_meetings"})
    assert s.BUDGET_UUID in [x["uuid"] for x in previous["meetings"]]
    paged = await call(client, "list_user_meetings", {"userId": "me", "page_size": 1})
    assert len(paged["meetings"]) == 1 and paged["next_page_token"] and paged["total_records"] == len(ids)
    sam = await call(client, "list_user_meetings", {"userId": s.SAM_EMAIL})
    assert sam["meetings"] == []
    missing = await call(client, "list_user_meetings", {"userId": "nobody@example.com"}, 404)
    assert missing["code"] == 1001
    upcoming_only = await call(client, "list_upcoming_meetings", {"userId": "me"})
    assert s.SCHEDULED_MEETING_ID in [x["id"] for x in upcoming_only["meetings"]]
    assert upcoming_only["total_records"] == len(upcoming_only["meetings"])


async def test_created_meeting_is_listed_and_deleted_meeting_recovers(client: httpx2.AsyncClient) -> None:
    created = await call(
        client, "create_meeting", {"userId": "me", "topic": "Kickoff", "type": 2, "start_time": "2030-01-01T10:00:00Z"}
    )
    listed = await call(client, "list_user_meetings", {"userId": "me", "type": "upcoming"})
    assert created["id"] in [x["id"] for x in listed["meetings"]]
    await call(client, "delete_meeting", {"meetingId": created["id"]})
    await call(client, "get_meeting", {"meetingId": created["id"]}, 404)
    await call(client, "update_meeting_status", {"meetingId": created["id"], "action": "recover"})
    assert (await call(client, "get_meeting", {"meetingId": created["id"]}))["topic"] == "Kickoff"
    again = await call(client, "update_meeting_status", {"meetingId": created["id"], "action": "recover"}, 400)
    assert again["code"] == 3000
    unknown = await call(client, "update_meeting_status", {"meetingId": 12345678901, "action": "end"}, 404)
    assert unknown["code"] == 3001


async def test_ending_a_live_meeting_makes_a_past_meeting(client: httpx2.AsyncClient, sb: Sandbox) -> None:
    before = sb.state.meetings[s.LIVE_MEETING_ID]["uuid"]
    await call(client, "update_meeting_status", {"meetingId": s.LIVE_MEETING_ID, "action": "end"})
    live = await call(client, "list_user_meetings", {"userId": "me", "type": "live"})
    assert live["meetings"] == []
    past = await call(client, "get_past_meeting", {"meetingId": before})
    assert past["id"] == s.LIVE_MEETING_ID and past["participants_count"] == 2
    instances = await call(client, "list_past_meeting_instances", {"meetingId": s.LIVE_MEETING_ID})
    assert [i["uuid"] for i in instances["meetings"]] == [before]
    assert sb.state.meetings[s.LIVE_MEETING_ID]["uuid"] != before


async def test_past_meetings_and_their_participants(client: httpx2.AsyncClient) -> None:
    past = await call(client, "get_past_meeting", {"meetingId": s.BUDGET_UUID})
    assert past["topic"] == "Q3 budget planning" and past["has_meeting_summary"] is True
    assert past["user_email"] == s.OWNER_EMAIL and 2 <= past["participants_count"] <= 4
    by_id = await call(client, "get_past_meeting", {"meetingId": s.CUSTOMER_MEETING_ID})
    assert by_id["uuid"] == s.CUSTOMER_UUID and by_id["has_meeting_summary"] is False
    instances = await call(client, "list_past_meeting_instances", {"meetingId": s.RECURRING_MEETING_ID})
    assert sorted(i["uuid"] for i in instances["meetings"]) == sorted(s.STANDUP_UUIDS)
    people = await call(client, "list_past_meeting_participants", {"meetingId": s.RETRO_UUID})
    assert 2 <= people["total_records"] <= 4 and people["participants"][0]["name"] == "Alex Rivera"
    assert all(p["join_time"] <= p["leave_time"] and p["duration"] > 0 for p in people["participants"])
    page = await call(client, "list_past_meeting_participants", {"meetingId": s.RETRO_UUID, "page_size": 1})
    assert len(page["participants"]) == 1 and page["next_page_token"]
    qa = await call(client, "list_past_meeting_qa", {"meetingId": s.BUDGET_UUID})
    assert qa["questions"][0]["name"] == "Sam Okafor"
    polls = await call(client, "list_past_meeting_polls", {"meetingId": s.BUDGET_MEETING_ID})
    assert polls["questions"][0]["question_details"][0]["answer"] == "Yes"
    assert (await call(client, "list_past_meeting_qa", {"meetingId": s.RETRO_UUID}))["questions"] == []
    for tool in ("get_past_meeting", "list_past_meeting_participants", "list_past_meeting_qa"):
        assert (await call(client, tool, {"meetingId": "nope=="}, 404))["code"] == 3001


# --- 2. registrants, questions, polls, surveys ----------------------------------------------------------------


async def test_meeting_registrant_round_trip(client: httpx2.AsyncClient) -> None:
    workshop = s.WORKSHOP_MEETING_ID
    approved = await call(client, "list_meeting_registrants", {"meetingId": workshop})
    assert [r["id"] for r in approved["registrants"]] == [s.WORKSHOP_REGISTRANT_IDS[0]]
    pending = await call(client, "list_meeting_registrants", {"meetingId": workshop, "status": "pending"})
    assert [r["id"] for r in pending["registrants"]] == [s.WORKSHOP_REGISTRANT_IDS[1]]

    added = await call(
        client, "add_meeting_registrant", {"meetingId": workshop, "email": "kim@example.com", "first_name": "Kim"}
    )
    rid = added["registrant_id"]
    listed = await call(client, "list_meeting_registrants", {"meetingId": workshop})
    assert rid in [r["id"] for r in listed["registrants"]]
    await call(
        client,
        "update_meeting_registrant_status",
        {"meetingId": workshop, "action": "cancel", "registrants": [{"id": rid}]},
    )
    got = await call(client, "get_meeting_registrant", {"meetingId": workshop, "registrantId": rid})
    assert got["status"] == "denied" and got["email"] == "kim@example.com"
    await call(
        client,
        "update_meeting_registrant_status",
        {"meetingId": workshop, "action": "approve", "registrants": [{"email": "lee.park@globex.example.com"}]},
    )
    now_approved = await call(client, "list_meeting_registrants", {"meetingId": workshop})
    assert s.WORKSHOP_REGISTRANT_IDS[1] in [r["id"] for r in now_approved["registrants"]]
    await call(client, "delete_meeting_registrant", {"meetingId": workshop, "registrantId": rid})
    gone = await call(client, "get_meeting_registrant", {"meetingId": workshop, "registrantId": rid}, 404)
    assert rid in gone["message"]
    await call(client, "delete_meeting_registrant", {"meetingId": workshop, "registrantId": rid}, 404)
    await call(client, "list_meeting_registrants", {"meetingId": 12345678901}, 404)
    await call(client, "update_meeting_registrant_status", {"meetingId": workshop, "action": "explode"}, 400)


async def test_registration_questions_round_trip(client: httpx2.AsyncClient) -> None:
    seeded = await call(client, "get_meeting_registration_questions", {"meetingId": s.WORKSHOP_MEETING_ID})
    assert seeded["questions"] == [{"field_name": "org", "required": True}]
    new = [{"field_name": "country", "required": True}]
    await call(client, "update_meeting_registration_questions", {"meetingId": s.SCHEDULED_MEETING_ID, "questions": new})
    got = await call(client, "get_meeting_registration_questions", {"meetingId": s.SCHEDULED_MEETING_ID})
    assert got["questions"] == new


async def test_meeting_poll_round_trip(client: httpx2.AsyncClient) -> None:
    meeting = s.SCHEDULED_MEETING_ID
    question = {"name": "Which day?", "type": "single", "answers": ["Mon", "Tue"]}
    created = await call(client, "create_meeting_poll", {"meetingId": meeting, "title": "Day", "questions": [question]})
    listed = await call(client, "list_meeting_polls", {"meetingId": meeting})
    assert [p["id"] for p in listed["polls"]] == [created["id"]] and listed["total_records"] == 1
    await call(
        client,
        "update_meeting_poll",
        {"meetingId": meeting, "pollId": created["id"], "title": "Which day", "questions": [question]},
    )
    got = await call(client, "get_meeting_poll", {"meetingId": meeting, "pollId": created["id"]})
    assert got["title"] == "Which day"
    await call(client, "delete_meeting_poll", {"meetingId": meeting, "pollId": created["id"]})
    missing = await call(client, "get_meeting_poll", {"meetingId": meeting, "pollId": created["id"]}, 404)
    assert missing["code"] == 404
    seeded = await call(client, "get_meeting_poll", {"meetingId": s.WORKSHOP_MEETING_ID, "pollId": s.WORKSHOP_POLL_ID})
    assert seeded["title"] == "Setup check"


async def test_meeting_survey_round_trip(client: httpx2.AsyncClient) -> None:
    seeded = await call(client, "get_meeting_survey", {"meetingId": s.WORKSHOP_MEETING_ID})
    assert seeded["custom_survey"]["title"] == "How was the workshop?"
    question = {"name": "Useful?", "type": "single", "answers": ["Yes", "No"]}
    survey = {"title": "Quick check", "anonymous": False, "questions": [question]}
    meeting = s.SCHEDULED_MEETING_ID
    await call(client, "update_meeting_survey", {"meetingId": meeting, "custom_survey": survey})
    got = await call(client, "get_meeting_survey", {"meetingId": meeting})
    assert got["custom_survey"]["title"] == "Quick check"
    await call(client, "delete_meeting_survey", {"meetingId": meeting})
    assert "custom_survey" not in await call(client, "get_meeting_survey", {"meetingId": meeting})
    await call(client, "get_meeting_survey", {"meetingId": 12345678901}, 404)


# --- 3. summaries ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sb", MOMENTS, indirect=True)
async def test_meeting_summary_get_and_delete(client: httpx2.AsyncClient) -> None:
    summary = await call(client, "get_meeting_summary", {"meetingId": s.BUDGET_UUID})
    assert summary["meeting_topic"] == "Q3 budget planning" and "110,000" in summary["summary_overview"]
    assert summary["next_steps"] and summary["summary_content"].startswith("## ")
    by_id = await call(client, "get_meeting_summary", {"meetingId": s.RETRO_MEETING_ID})
    assert by_id["meeting_uuid"] == s.RETRO_UUID
    none = await call(client, "get_meeting_summary", {"meetingId": s.CUSTOMER_UUID}, 404)
    assert none["code"] == 3001 and "summary" in none["message"]
    unknown = await call(client, "get_meeting_summary", {"meetingId": 12345678901}, 404)
    assert unknown == {"code": 3001, "message": "Meeting does not exist: 12345678901."}
    await call(client, "delete_meeting_summary", {"meetingId": s.BUDGET_UUID})
    await call(client, "get_meeting_summary", {"meetingId": s.BUDGET_UUID}, 404)
    listed = await call(client, "list_meeting_summaries", {})
    uuids = [x["meeting_uuid"] for x in listed["summaries"]]  # the history's recent summaries are listed too
    assert s.RETRO_UUID in uuids and s.BUDGET_UUID not in uuids
    assert (await call(client, "get_past_meeting", {"meetingId": s.BUDGET_UUID}))["has_meeting_summary"] is False


# --- 4. webinars ----------------------------------------------------------------------------------------------


async def test_webinar_round_trip(client: httpx2.AsyncClient) -> None:
    seeded = await call(client, "get_webinar", {"webinarId": s.WEBINAR_ID})
    assert seeded["topic"] == "Product launch webinar"
    created = await call(
        client, "create_webinar", {"userId": "me", "topic": "Office hours", "start_time": "2030-02-01T17:00:00Z"}
    )
    listed = await call(client, "list_webinars", {"userId": "me"})
    assert {s.WEBINAR_ID, created["id"]} <= {w["id"] for w in listed["webinars"]}
    await call(client, "update_webinar", {"webinarId": created["id"], "topic": "Office hours (Feb)", "duration": 45})
    got = await call(client, "get_webinar", {"webinarId": created["id"]})
    assert (got["topic"], got["duration"]) == ("Office hours (Feb)", 45)
    await call(client, "delete_webinar", {"webinarId": created["id"]})
    missing = await call(client, "get_webinar", {"webinarId": created["id"]}, 404)
    assert missing == {"code": 3001, "message": f"Webinar does not exist: {created['id']}."}
    after = await call(client, "list_webinars", {"userId": "me"})
    assert created["id"] not in {w["id"] for w in after["webinars"]}
    await call(client, "update_webinar_status", {"webinarId": s.WEBINAR_ID, "action": "end"})


async def test_webinar_panelists_round_trip(client: httpx2.AsyncClient) -> None:
    webinar = s.WEBINAR_ID
    listed = await call(client, "list_webinar_panelists", {"webinarId": webinar})
    assert [p["id"] for p in listed["panelists"]] == [s.WEBINAR_PANELIST_ID]
    await call(
        client, "add_webinar_panelists", {"webinarId": webinar, "panelists": [{"name": "Kim", "email": "kim@ex.com"}]}
    )
    listed = await call(client, "list_webinar_panelists", {"webinarId": webinar})
    kim = [p for p in listed["panelists"] if p["email"] == "kim@ex.com"]
    assert listed["total_records"] == 2 and kim
    await call(client, "remove_webinar_panelist", {"webinarId": webinar, "panelistId": kim[0]["id"]})
    await call(client, "remove_webinar_panelist", {"webinarId": webinar, "panelistId": kim[0]["id"]}, 404)
    await call(client, "remove_all_webinar_panelists", {"webinarId": webinar})
    assert (await call(client, "list_webinar_panelists", {"webinarId": webinar}))["panelists"] == []


async def test_webinar_registrants_round_trip(client: httpx2.AsyncClient) -> None:
    webinar = s.WEBINAR_ID
    added = await call(
        client, "add_webinar_registrant", {"webinarId": webinar, "email": "kim@example.com", "first_name": "Kim"}
    )
    listed = await call(client, "list_webinar_registrants", {"webinarId": webinar})
    assert {s.WEBINAR_REGISTRANT_ID, added["registrant_id"]} == {r["id"] for r in listed["registrants"]}
    await call(
        client,
        "update_webinar_registrant_status",
        {"webinarId": webinar, "action": "deny", "registrants": [{"id": added["registrant_id"]}]},
    )
    got = await call(client, "get_webinar_registrant", {"webinarId": webinar, "registrantId": added["registrant_id"]})
    assert got["status"] == "denied"
    denied = await call(client, "list_webinar_registrants", {"webinarId": webinar, "status": "denied"})
    assert [r["id"] for r in denied["registrants"]] == [added["registrant_id"]]
    await call(client, "delete_webinar_registrant", {"webinarId": webinar, "registrantId": added["registrant_id"]})
    gone = await call(
        client, "get_webinar_registrant", {"webinarId": webinar, "registrantId": added["registrant_id"]}, 404
    )
    assert gone["code"] == 3079
    batch = await call(
        client,
        "add_webinar_registrants_batch",
        {"webinarId": webinar, "registrants": [{"email": "a@ex.com", "first_name": "A"}]},
    )
    assert batch["registrants"][0]["email"] == "a@ex.com"


async def test_webinar_polls_survey_questions_templates(client: httpx2.AsyncClient) -> None:
    webinar = s.WEBINAR_ID
    poll = await call(client, "create_webinar_poll", {"webinarId": webinar, "title": "Role?", "questions": []})
    polls = await call(client, "list_webinar_polls", {"webinarId": webinar})
    assert [p["id"] for p in polls["polls"]] == [s.WEBINAR_POLL_ID, poll["id"]]
    await call(client, "update_webinar_poll", {"webinarId": webinar, "pollId": poll["id"], "title": "Your role?"})
    got = await call(client, "get_webinar_poll", {"webinarId": webinar, "pollId": poll["id"]})
    assert got["title"] == "Your role?"
    await call(client, "delete_webinar_poll", {"webinarId": webinar, "pollId": poll["id"]})
    await call(client, "get_webinar_poll", {"webinarId": webinar, "pollId": poll["id"]}, 404)

    await call(client, "update_webinar_survey", {"webinarId": webinar, "show_in_the_browser": True})
    assert (await call(client, "get_webinar_survey", {"webinarId": webinar}))["show_in_the_browser"] is True
    await call(client, "delete_webinar_survey", {"webinarId": webinar})
    assert (await call(client, "get_webinar_survey", {"webinarId": webinar}))["show_in_the_browser"] is False

    new = [{"field_name": "org", "required": True}]
    await call(client, "update_webinar_registration_questions", {"webinarId": webinar, "questions": new})
    assert (await call(client, "get_webinar_registration_questions", {"webinarId": webinar}))["questions"] == new

    templates = await call(client, "list_webinar_templates", {"userId": "me"})
    assert [t["id"] for t in templates["templates"]] == [s.WEBINAR_TEMPLATE_ID]
    made = await call(client, "create_webinar_template", {"userId": "me", "webinar_id": webinar, "name": "Launch v2"})
    templates = await call(client, "list_webinar_templates", {"userId": "me"})
    assert made["id"] in [t["id"] for t in templates["templates"]]
    await call(client, "get_webinar", {"webinarId": 1}, 404)


# --- 5. templates, tracking fields, TSP, SIP phones, device groups ---------------------------------------------


async def test_meeting_templates_list_what_was_created(client: httpx2.AsyncClient) -> None:
    assert (await call(client, "list_meeting_templates", {"userId": "me"}))["templates"] == []
    made = await call(
        client, "create_meeting_template", {"userId": "me", "meeting_id": s.SCHEDULED_MEETING_ID, "name": "Review"}
    )
    listed = await call(client, "list_meeting_templates", {"userId": "me"})
    assert listed == {"total_records": 1, "templates": [{"id": made["id"], "name": "Review", "type": 1}]}
    sam = await call(client, "list_meeting_templates", {"userId": s.SAM_ID})
    assert [t["id"] for t in sam["templates"]] == [s.SAM_TEMPLATE_ID]
    await call(client, "list_meeting_templates", {"userId": "nobody@example.com"}, 404)


async def test_tracking_field_round_trip(client: httpx2.AsyncClient) -> None:
    created = await call(client, "create_tracking_field", {"field": "Region", "recommended_values": ["EMEA"]})
    listed = await call(client, "list_tracking_fields", {})
    assert {s.TRACKING_FIELD_ID, created["id"]} == {f["id"] for f in listed["tracking_fields"]}
    await call(client, "update_tracking_field", {"fieldId": created["id"], "required": True})
    got = await call(client, "get_tracking_field", {"fieldId": created["id"]})
    assert got["required"] is True and got["field"] == "Region"
    await call(client, "delete_tracking_field", {"fieldId": created["id"]})
    missing = await call(client, "get_tracking_field", {"fieldId": created["id"]}, 404)
    assert missing == {"code": 5110, "message": f"Tracking field does not exist: {created['id']}."}


async def test_tsp_round_trips(client: httpx2.AsyncClient) -> None:
    assert (await call(client, "get_account_tsp", {}))["tsp_provider"] == "Sandbox Conferencing"
    await call(client, "update_account_tsp", {"tsp_provider": "Other Conferencing"})
    assert (await call(client, "get_account_tsp", {}))["tsp_provider"] == "Other Conferencing"

    listed = await call(client, "list_user_tsp_accounts", {"userId": "me"})
    assert [a["id"] for a in listed["tsp_accounts"]] == [s.TSP_ACCOUNT_ID]
    created = await call(
        client, "add_user_tsp_account", {"userId": "me", "conference_code": "111222", "leader_pin": "9876"}
    )
    listed = await call(client, "list_user_tsp_accounts", {"userId": "me"})
    assert created["id"] in [a["id"] for a in listed["tsp_accounts"]]
    await call(
        client,
        "update_user_tsp_account",
        {"userId": "me", "tspId": created["id"], "conference_code": "333444", "leader_pin": "9876"},
    )
    got = await call(client, "get_user_tsp_account", {"userId": "me", "tspId": created["id"]})
    assert got["conference_code"] == "333444"
    await call(client, "delete_user_tsp_account", {"userId": "me", "tspId": created["id"]})
    gone = await call(client, "get_user_tsp_account", {"userId": "me", "tspId": created["id"]}, 400)
    assert gone == {"code": 300, "message": "The TSP ID provided does not exist."}
    await call(client, "list_user_tsp_accounts", {"userId": "nobody@example.com"}, 404)


async def test_sip_phone_round_trip(client: httpx2.AsyncClient) -> None:
    phone = {
        "user_email": s.SAM_EMAIL,
        "user_name": "sam",
        "authorization_name": "sam",
        "password": "secret",
        "domain": "sip.example.com",
        "server": {"register_server": "192.0.2.60", "proxy_server": "192.0.2.60", "transport_protocol": "TLS"},
    }
    created = await call(client, "add_sip_phone", phone)
    listed = await call(client, "list_sip_phones", {})
    assert {s.SIP_PHONE_ID, created["phone_id"]} == {p["phone_id"] for p in listed["phones"]}
    found = await call(client, "list_sip_phones", {"search_key": "sam.okafor"})
    assert [p["phone_id"] for p in found["phones"]] == [created["phone_id"]]
    await call(client, "update_sip_phone", {"phoneId": created["phone_id"], "server": {"transport_protocol": "TCP"}})
    updated = (await call(client, "list_sip_phones", {"search_key": "sam.okafor"}))["phones"][0]
    assert updated["server"] == {**phone["server"], "transport_protocol": "TCP"}
    await call(client, "delete_sip_phone", {"phoneId": created["phone_id"]})
    missing = await call(client, "update_sip_phone", {"phoneId": created["phone_id"], "user_name": "x"}, 404)
    assert missing == {"code": 2305, "message": f"SIP phone does not exist: {created['phone_id']}."}
    await call(client, "add_sip_phone", {**phone, "user_email": "nobody@example.com"}, 404)


async def test_assign_device_to_group(client: httpx2.AsyncClient, sb: Sandbox) -> None:
    await call(client, "assign_device_to_group", {"deviceId": s.ZOOM_ROOM_DEVICE_ID, "group_id": s.ZDM_GROUP_ID})
    assert sb.state.devices[s.ZOOM_ROOM_DEVICE_ID]["zdm_group_id"] == s.ZDM_GROUP_ID
    bad = await call(client, "assign_device_to_group", {"deviceId": s.ZOOM_ROOM_DEVICE_ID, "group_id": "nope"}, 400)
    assert bad["code"] == 30052010
    unknown = await call(client, "assign_device_to_group", {"deviceId": "nope", "group_id": s.ZDM_GROUP_ID}, 404)
    assert unknown["code"] == 30055012


# --- 6. reports ----------------------------------------------------------------------------------------------


def _days(sb: Sandbox, back: int) -> dict[str, str]:
    today = sb.clock.today()
    return {"from": (today - timedelta(days=back)).isoformat(), "to": today.isoformat()}


@pytest.mark.parametrize("sb", MOMENTS, indirect=True)
async def test_reports_come_from_past_meetings(client: httpx2.AsyncClient, sb: Sandbox) -> None:
    week = _days(sb, 7)
    mine = await call(client, "get_user_meetings_report", {"userId": "me", **week})
    uuids = [x["uuid"] for x in mine["meetings"]]
    assert {s.BUDGET_UUID, s.RETRO_UUID} <= set(uuids) and mine["from"] == week["from"]
    assert s.STANDUP_UUIDS[0] not in uuids  # eight days ago: outside the range
    sam = await call(client, "get_user_meetings_report", {"userId": s.SAM_ID, **week})
    assert s.CUSTOMER_UUID in [x["uuid"] for x in sam["meetings"]]
    too_long = await call(client, "get_user_meetings_report", {"userId": "me", **_days(sb, 60)}, 400)
    assert too_long["code"] == 300

    details = await call(client, "get_meeting_details_report", {"meetingId": s.BUDGET_UUID})
    assert details["topic"] == "Q3 budget planning" and details["participants_count"] >= 2
    people = await call(client, "get_meeting_participants_report", {"meetingId": s.BUDGET_UUID})
    assert people["participants"][0]["name"] == "Alex Rivera"
    polls = await call(client, "get_meeting_polls_report", {"meetingId": s.BUDGET_UUID})
    assert polls["questions"][0]["first_name"] == "Jamie"
    qa = await call(client, "get_meeting_qa_report", {"meetingId": s.BUDGET_UUID})
    assert qa["questions"][0]["question_details"][0]["question_status"] == "answered"
    await call(client, "get_meeting_details_report", {"meetingId": "nope=="}, 404)

    active = await call(client, "get_active_inactive_hosts_report", week)
    assert {u["email"] for u in active["users"]} == {s.OWNER_EMAIL, s.SAM_EMAIL}
    assert active["total_meetings"] == sum(u["meetings"] for u in active["users"])
    inactive = await call(client, "get_active_inactive_hosts_report", {**week, "type": "inactive"})
    assert [u["email"] for u in inactive["users"]] == [s.JAMIE_EMAIL]
    daily = await call(client, "get_daily_usage_report", {})
    assert sum(d["meetings"] for d in daily["dates"]) >= 1
    history = await call(client, "get_meeting_history_report", {**week, "search_key": "budget"})
    assert [h["meeting_uuid"] for h in history["history_meetings"]] == [s.BUDGET_UUID]


# --- 7. live streams, in-meeting apps, RTMS, SIP URIs, invite links, a live webinar's chat, session branding ---


async def test_meeting_livestream_is_set_then_started_changed_and_stopped(
    client: httpx2.AsyncClient, sb: Sandbox
) -> None:
    live = s.LIVE_MEETING_ID
    stream = {"stream_url": "rtmp://s.example.com/a", "stream_key": "k-1", "page_url": "https://s.example.com/a"}
    await call(client, "update_meeting_livestream", {"meetingId": live, **stream})
    assert await call(client, "get_meeting_livestream", {"meetingId": str(live)}) == stream
    await call(client, "update_meeting_livestream", {"meetingId": live, **stream, "resolution": "1080p"})
    assert (await call(client, "get_meeting_livestream", {"meetingId": str(live)}))["resolution"] == "1080p"

    status = "update_meeting_livestream_status"
    early = await call(
        client, status, {"meetingId": live, "action": "mode", "settings": {"layout": "gallery_view"}}, 400
    )
    assert early["code"] == 300 and "not being live streamed" in early["message"]
    await call(client, status, {"meetingId": live, "action": "start"})
    assert sb.state.live[live]["livestream"] == {
        "status": "started",
        "stream_url": stream["stream_url"],
        "settings": {},
    }
    await call(client, status, {"meetingId": live, "action": "mode", "settings": {"layout": "speaker_view"}})
    assert sb.state.live[live]["livestream"]["settings"] == {"layout": "speaker_view"}
    await call(client, status, {"meetingId": live, "action": "stop"})
    assert sb.state.live[live]["livestream"]["status"] == "stopped"
    scheduled = s.SCHEDULED_MEETING_ID
    not_live = await call(client, status, {"meetingId": scheduled, "action": "start"}, 400)
    assert not_live == {"code": 4927, "message": f"Meeting {scheduled} has not started."}
    await call(client, status, {"meetingId": 12345678901, "action": "start"}, 404)


async def test_webinar_livestream_is_set_then_started_while_the_webinar_runs(
    client: httpx2.AsyncClient, sb: Sandbox
) -> None:
    webinar, live = s.WEBINAR_ID, s.LIVE_WEBINAR_ID
    empty = await call(client, "get_webinar_livestream", {"webinarId": str(webinar)})
    assert empty == {"stream_url": "", "stream_key": "", "page_url": "", "resolution": ""}
    stream = {"stream_url": "rtmp://s.example.com/w", "stream_key": "w-1", "page_url": "https://s.example.com/w"}
    await call(client, "update_webinar_livestream", {"webinarId": webinar, **stream})
    assert await call(client, "get_webinar_livestream", {"webinarId": str(webinar)}) == stream

    status = "update_webinar_livestream_status"
    not_live = await call(client, status, {"webinarId": webinar, "action": "start"}, 400)
    assert not_live == {"code": 200, "message": f"Webinar {webinar} has not started."}
    await call(client, status, {"webinarId": live, "action": "start", "settings": {"active_speaker_name": True}})
    streaming = sb.state.live_webinars[live]["livestream"]
    assert streaming == {
        "status": "started",
        "stream_url": "rtmp://live.example.com/townhall",
        "settings": {"active_speaker_name": True},
    }
    await call(client, status, {"webinarId": live, "action": "stop"})
    assert sb.state.live_webinars[live]["livestream"]["status"] == "stopped"
    del sb.state.webinars[live]["livestream"]
    unset = await call(client, status, {"webinarId": live, "action": "start"}, 400)
    assert unset == {"code": 3000, "message": "The current webinar is not configured with a custom streaming service."}


async def test_live_webinar_chat_messages_and_their_files(client: httpx2.AsyncClient, sb: Sandbox) -> None:
    live, (first, second), (one, two) = s.LIVE_WEBINAR_ID, s.LIVE_WEBINAR_MESSAGE_IDS, s.LIVE_WEBINAR_FILE_IDS
    delete = "delete_live_webinar_chat_message"
    await call(client, delete, {"webinarId": live, "messageId": second, "file_ids": one})
    assert sb.state.live_webinars[live]["messages"][second]["file_ids"] == [two]
    bad = await call(client, delete, {"webinarId": live, "messageId": second, "file_ids": one}, 400)
    assert bad == {"code": 300, "message": "Invalid parameter: file_ids."}
    await call(client, delete, {"webinarId": live, "messageId": first})
    assert list(sb.state.live_webinars[live]["messages"]) == [second]
    missing = await call(client, delete, {"webinarId": live, "messageId": first}, 404)
    assert missing == {"code": 3001, "message": f"Message does not exist: {first}."}
    not_live = await call(client, delete, {"webinarId": s.WEBINAR_ID, "messageId": second}, 404)
    assert not_live == {"code": 3001, "message": f"Webinar does not exist: {s.WEBINAR_ID}."}
    await call(client, "update_webinar_status", {"webinarId": live, "action": "end"})
    await call(client, delete, {"webinarId": live, "messageId": second}, 404)


async def test_meeting_apps_open_at_most_three_and_not_once_started(client: httpx2.AsyncClient, sb: Sandbox) -> None:
    meeting = s.SCHEDULED_MEETING_ID
    added = await call(client, "add_meeting_app", {"meetingId": meeting})
    assert added["start_time"] == sb.state.meetings[meeting]["start_time"] and added["app_id"] == "sandbox-client"
    assert await call(client, "add_meeting_app", {"meetingId": meeting}) == added  # once per app
    assert [a["app_id"] for a in sb.state.open_apps[meeting]] == [s.OTHER_APP_ID, "sandbox-client"]
    await call(client, "delete_meeting_app", {"meetingId": meeting})
    assert [a["app_id"] for a in sb.state.open_apps[meeting]] == [s.OTHER_APP_ID]
    sb.state.open_apps[meeting] += [{"id": 2, "app_id": "app-2"}, {"id": 3, "app_id": "app-3"}]
    full = await call(client, "add_meeting_app", {"meetingId": meeting}, 400)
    assert full == {"code": 3000, "message": "You can only add up to 3 apps."}
    for name in ("add_meeting_app", "delete_meeting_app"):
        started = await call(client, name, {"meetingId": s.LIVE_MEETING_ID}, 400)
        assert started == {"code": 3000, "message": f"Meeting {s.LIVE_MEETING_ID} has started."}


async def test_an_rtms_app_starts_pauses_resumes_and_stops_for_the_host(
    client: httpx2.AsyncClient, sb: Sandbox
) -> None:
    live, rtms = s.LIVE_MEETING_ID, "update_live_meeting_rtms_status"

    def body(action: str, **more: str) -> dict[str, Any]:
        return {"meetingId": live, "action": action, "settings": {"client_id": "rtms-1", **more}}

    early = await call(client, rtms, body("pause"), 400)
    message = f"Unable to 'pause' the RTMS app for user '{s.OWNER_ID}' because it has not been started."
    assert early == {"code": 13277, "message": message}
    for action, status in (("start", "started"), ("pause", "paused"), ("resume", "started"), ("stop", "stopped")):
        await call(client, rtms, body(action))
        assert [r["status"] for r in sb.state.live[live]["rtms"]] == [status]
    not_host = await call(client, rtms, body("start", participant_user_id=s.SAM_ID), 403)
    assert not_host["code"] == 2308 and f"User '{s.SAM_ID}' is not allowed" in not_host["message"]
    nobody = await call(client, rtms, body("start", participant_user_id="nobody"), 400)
    assert nobody == {"code": 2312, "message": "User does not exist: nobody."}
    scheduled = {"meetingId": s.SCHEDULED_MEETING_ID, "action": "start", "settings": {"client_id": "rtms-1"}}
    not_started = await call(client, rtms, scheduled, 400)
    assert not_started == {"code": 3000, "message": f"Meeting {s.SCHEDULED_MEETING_ID} has not started."}


async def test_sip_uris_and_invite_links_are_issued_and_kept(client: httpx2.AsyncClient, sb: Sandbox) -> None:
    meeting, webinar = s.SCHEDULED_MEETING_ID, s.WEBINAR_ID
    sip = await call(client, "get_meeting_sip_uri", {"meetingId": meeting})
    assert sip["sip_dialing"] == f"{meeting}@zoomcrc.com" and sip["expire_in"] == 7200
    assert sip["paid_crc_plan_participant"] is False
    again = await call(client, "get_webinar_sip_uri", {"webinarId": webinar, "passcode": "webinar1"})
    assert again["sip_dialing"] == f"{webinar}.webinar1@zoomcrc.com"
    assert [x["participant_identifier_code"] for x in sb.state.sip_dialing[webinar]] == [
        again["participant_identifier_code"]
    ]
    attendees = [{"name": "Ana"}, {"name": "Ben", "disable_audio": True}]
    links = await call(client, "create_webinar_invite_links", {"webinarId": webinar, "attendees": attendees})
    assert [a["name"] for a in links["attendees"]] == ["Ana", "Ben"]
    assert len({a["join_url"] for a in links["attendees"]}) == 2
    kept = sb.state.invite_links[webinar]
    assert [(k["disable_audio"], k["expires_at"]) for k in kept] == [
        (False, "2026-12-15T17:00:00Z"),
        (True, "2026-12-15T17:00:00Z"),
    ]
    await call(client, "create_webinar_invite_links", {"webinarId": 98765432109, "attendees": attendees}, 404)


async def test_a_tsp_users_global_dial_in_url(client: httpx2.AsyncClient, sb: Sandbox) -> None:
    await call(client, "set_user_tsp_dial_in_url", {"userId": s.SAM_EMAIL, "audio_url": "https://dial.example.com/s"})
    assert sb.state.user_tsp_settings == {s.SAM_ID: {"audio_url": "https://dial.example.com/s"}}
    await call(client, "set_user_tsp_dial_in_url", {"userId": "nobody@example.com", "audio_url": "x"}, 404)
    sb.state.tsp["tsp_enabled"] = False
    off = await call(client, "set_user_tsp_dial_in_url", {"userId": "me", "audio_url": "x"}, 400)
    assert off == {"code": 2024, "message": "Account has not enabled TSP."}


async def test_webinar_branding_name_tags_round_trip(client: httpx2.AsyncClient) -> None:
    webinar = s.WEBINAR_ID

    async def branding() -> Any:
        return await call(client, "get_webinar_branding", {"webinarId": webinar})

    async def panelist() -> Any:
        return (await call(client, "list_webinar_panelists", {"webinarId": webinar}))["panelists"][0]

    assert [t["id"] for t in (await branding())["name_tags"]] == list(TAGS)
    body = {"webinarId": webinar, **NAME_TAG, "is_default": True, "set_default_for_all_panelists": False}
    tag = await call(client, "create_webinar_branding_name_tag", body)
    assert (await panelist())["name_tag_id"] == TAGS[0]  # Sam has a tag, and keeps it
    await call(
        client,
        "update_webinar_branding_name_tag",
        {"webinarId": webinar, "nameTagId": tag["id"], "name": "Guest speaker", "is_default": True},
    )
    assert ((await panelist())["name_tag_id"], (await panelist())["name_tag_name"]) == (tag["id"], "Guest speaker")
    defaults = [(t["id"], t["is_default"]) for t in (await branding())["name_tags"]]
    assert defaults == [(TAGS[0], False), (TAGS[1], False), (tag["id"], True)]
    missing = await call(
        client, "update_webinar_branding_name_tag", {"webinarId": webinar, "nameTagId": "nope", "name": "x"}, 400
    )
    assert missing == {"code": 300, "message": "Name Tag does not exist."}
    delete = "delete_webinar_branding_name_tags"
    bad = await call(client, delete, {"webinarId": webinar, "name_tag_ids": f"{TAGS[0]},nope"}, 400)
    assert bad == {"code": 300, "message": "Invalid parameter: `name_tag_ids`."}
    await call(client, delete, {"webinarId": webinar, "name_tag_ids": f"{TAGS[0]}, {tag['id']}"})
    assert [t["id"] for t in (await branding())["name_tags"]] == [TAGS[1]]
    assert "name_tag_id" not in await panelist()

    plain = await call(client, "create_webinar", {"userId": "me", "topic": "No branding"})
    off = await call(client, "create_webinar_branding_name_tag", {"webinarId": plain["id"], **NAME_TAG}, 400)
    assert off == {"code": 3000, "message": "This webinar does not have session branding enabled."}
    await call(client, "get_webinar_branding", {"webinarId": plain["id"]}, 400)


async def test_webinar_branding_images_round_trip(client: httpx2.AsyncClient, sb: Sandbox) -> None:
    webinar = s.WEBINAR_ID

    async def branding() -> Any:
        return await call(client, "get_webinar_branding", {"webinarId": webinar})

    upload = "add_webinar_branding_virtual_background"
    image = await call(client, upload, {"webinarId": webinar, "file": PNG_1PX})
    assert image["is_default"] is False and image["name"] == f"{image['id']}.png"
    text = base64.b64encode(b"not an image").decode()
    not_image = await call(client, upload, {"webinarId": webinar, "file": text}, 400)
    assert not_image == {"code": 120, "message": "You may only upload JPG/JPEG, GIF, or PNG image files."}
    empty = await call(client, upload, {"webinarId": webinar, "file": ""}, 400)
    assert empty == {"code": 120, "message": "No file uploaded. Verify that a file has been uploaded."}

    await call(client, "set_webinar_branding_default_virtual_background", {"webinarId": webinar, "id": image["id"]})
    defaults = [(b["id"], b["is_default"]) for b in (await branding())["virtual_backgrounds"]]
    assert defaults == [(BACKGROUNDS[0], False), (BACKGROUNDS[1], False), (image["id"], True)]
    assert sb.state.panelists[webinar][0]["virtual_background_id"] == BACKGROUNDS[0]  # Sam keeps his
    unknown = await call(
        client, "set_webinar_branding_default_virtual_background", {"webinarId": webinar, "id": "x"}, 400
    )
    assert unknown == {"code": 300, "message": "Invalid parameter: x"}
    delete = "delete_webinar_branding_virtual_backgrounds"
    assert (await call(client, delete, {"webinarId": webinar}, 400))["message"] == "Invalid parameter: `ids`."
    await call(client, delete, {"webinarId": webinar, "ids": BACKGROUNDS[0]})
    assert [b["id"] for b in (await branding())["virtual_backgrounds"]] == [BACKGROUNDS[1], image["id"]]
    assert "virtual_background_id" not in sb.state.panelists[webinar][0]
    sb.state.webinar_branding[webinar]["virtual_backgrounds"] *= 5
    full = await call(client, upload, {"webinarId": webinar, "file": PNG_1PX}, 400)
    assert full == {"code": 120, "message": "A maximum of 10 files are allowed for a webinar."}

    wallpaper = await call(client, "add_webinar_branding_wallpaper", {"webinarId": webinar, "file": PNG_1PX})
    assert (await branding())["wallpaper"] == {"id": wallpaper["id"]}
    await call(client, "delete_webinar_branding_wallpaper", {"webinarId": webinar})
    assert "wallpaper" not in await branding()
    await call(client, "delete_webinar_branding_wallpaper", {"webinarId": webinar})  # none left: no error


@pytest.mark.parametrize("name", sorted(PLAUSIBLE))
async def test_a_plausible_call_succeeds_against_the_seed(client: httpx2.AsyncClient, name: str) -> None:
    await call(client, name, PLAUSIBLE[name])


def test_every_new_handler_has_a_plausible_call() -> None:
    """Every hand-written handler has a call with seeded IDs: here, or written with its arguments in BY_HAND."""
    assert set(HANDLERS) - set(PLAUSIBLE) - set(BY_HAND) == set()
