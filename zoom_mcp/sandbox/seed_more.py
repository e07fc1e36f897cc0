"""More seeded data: who attended the past meetings, registration, webinars, account settings.

Kept apart from `seed.py` (which owns the original IDs); everything here is added on top and
named by fixed IDs too, so tests and examples can point at it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from zoom_mcp.sandbox.state import State, days_ago, iso

OWNER_ID = "KDcuGIm1QgePTO8WbOqwIQ"  # the same people as seed.py (kept literal to avoid an import cycle)
OWNER_EMAIL = "alex.rivera@example.com"
SAM_ID = "z8yCxjabQ6qD2dVx5rqGhg"
SAM_EMAIL = "sam.okafor@example.com"
JAMIE_ID = "q4T2vLmNR0WcXyZ9AbCdEf"
JAMIE_EMAIL = "jamie.chen@example.com"

WORKSHOP_MEETING_ID = 86123456789  # registration on, manual approval: registrants, a poll, a survey
WORKSHOP_REGISTRANT_IDS = ("wsRegApproved0000000001", "wsRegPending00000000002")
WORKSHOP_POLL_ID = "wsPoll0000000000000001"
WEBINAR_ID = 91122334455
WEBINAR_PANELIST_ID = "pnl-0001"
WEBINAR_REGISTRANT_ID = "wbReg00000000000000001"
WEBINAR_POLL_ID = "wbPoll000000000000001"
WEBINAR_TEMPLATE_ID = "wbTpl0000000000000001"
SAM_TEMPLATE_ID = "mtTpl0000000000000001"
TRACKING_FIELD_ID = "tf-department"
SIP_PHONE_ID = "sip-0001"
TSP_ACCOUNT_ID = "1"

PEOPLE = (
    ("Alex Rivera", OWNER_EMAIL, OWNER_ID, True),
    ("Sam Okafor", SAM_EMAIL, SAM_ID, True),
    ("Jamie Chen", JAMIE_EMAIL, JAMIE_ID, True),
    ("Pat Lee", "pat.lee@example.com", "", False),
)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def participants_for(meeting: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """`count` attendees of a past instance: the host first, on time; others join a little later."""
    start, minutes = _at(meeting["start_time"]), int(meeting["duration"])
    host = next((p for p in PEOPLE if p[2] == meeting["host_id"]), PEOPLE[0])
    chosen = [host, *[p for p in PEOPLE if p is not host][: count - 1]]
    out = []
    for i, person in enumerate(chosen):
        joined = start + timedelta(minutes=2 * i)
        left = start + timedelta(minutes=minutes - (1 if i == len(chosen) - 1 and i else 0))
        out.append(attendee(i, person, joined, left))
    return out


def attendee(i: int, person: tuple[str, str, str, bool], joined: datetime, left: datetime) -> dict[str, Any]:
    """One past-meeting participant record, the `i`-th to join."""
    name, email, user_id, internal = person
    return {
        "id": user_id,
        "user_id": str(16778240 + 1024 * i),
        "name": name,
        "user_email": email,
        "join_time": iso(joined),
        "leave_time": iso(left),
        "duration": int((left - joined).total_seconds()),
        "failover": False,
        "status": "in_meeting",
        "internal_user": internal,
        "registrant_id": "",
    }


def seed_more(state: State, now: datetime, budget_uuid: str) -> None:
    for i, meeting in enumerate(sorted(state.recordings.values(), key=lambda m: m["start_time"])):
        state.participants[meeting["uuid"]] = participants_for(meeting, 2 + i % 3)
    budget_start = state.recordings[budget_uuid]["start_time"]
    state.past_qa[budget_uuid] = [
        {
            "name": "Sam Okafor",
            "email": SAM_EMAIL,
            "question_details": [
                {"question": "Does the 110k include the events budget?", "answer": "No, events stay separate."}
            ],
        }
    ]
    state.past_polls[budget_uuid] = [
        {
            "name": "Jamie Chen",
            "email": JAMIE_EMAIL,
            "question_details": [
                {
                    "question": "Approve 110,000 for marketing?",
                    "answer": "Yes",
                    "polling_id": "pollBudget000000000001",
                    "date_time": budget_start,
                }
            ],
        }
    ]
    _summaries(state)
    _workshop(state, now)
    _webinar(state, now)
    _account(state)


def _summaries(state: State) -> None:
    texts = {
        "Q3 budget planning": (
            "The team agreed a Q3 marketing budget of 110,000 dollars, to be revisited in October.",
            ["Jamie Chen sends the revised numbers by Friday."],
        ),
        "Launch retro": (
            "The launch slipped to March 3rd because of the billing migration; scope freezes earlier next time.",
            ["Freeze scope two weeks before the next launch."],
        ),
    }
    for summary in state.summaries:
        overview, steps = texts.get(summary["meeting_topic"], ("", []))
        summary.setdefault("summary_title", f"Meeting summary for {summary['meeting_topic']}")
        summary.setdefault("summary_overview", overview)
        summary.setdefault("summary_details", [{"label": "Decisions", "summary": overview}])
        summary.setdefault("next_steps", steps)


def _workshop(state: State, now: datetime) -> None:
    from zoom_mcp.sandbox.seed import new_meeting  # late: seed.py imports this module

    meeting = new_meeting(
        state,
        WORKSHOP_MEETING_ID,
        state.users[OWNER_ID],
        {
            "topic": "Customer onboarding workshop",
            "type": 2,
            "start_time": iso(days_ago(now, -5, hour=16)),
            "duration": 90,
            "agenda": "Hands-on setup session for new customers",
            "settings": {"approval_type": 1, "registration_type": 1},
        },
        now,
    )
    created = iso(days_ago(now, 1))
    state.registrants[WORKSHOP_MEETING_ID] = [
        {
            "id": WORKSHOP_MEETING_ID,
            "registrant_id": rid,
            "email": email,
            "first_name": first,
            "last_name": last,
            "org": org,
            "status": status,
            "create_time": created,
            "join_url": f"https://zoom.us/w/{WORKSHOP_MEETING_ID}?tk={rid}",
            "participant_pin_code": 482913 + i,
            "topic": meeting["topic"],
            "start_time": meeting["start_time"],
            "occurrences": [],
        }
        for i, (rid, email, first, last, org, status) in enumerate(
            (
                (WORKSHOP_REGISTRANT_IDS[0], "dana.kim@acme.example.com", "Dana", "Kim", "Acme", "approved"),
                (WORKSHOP_REGISTRANT_IDS[1], "lee.park@globex.example.com", "Lee", "Park", "Globex", "pending"),
            )
        )
    ]
    state.polls[WORKSHOP_MEETING_ID] = [
        {
            "id": WORKSHOP_POLL_ID,
            "title": "Setup check",
            "status": "notstart",
            "anonymous": False,
            "poll_type": 1,
            "questions": [{"name": "Is your account set up?", "type": "single", "answers": ["Yes", "Not yet"]}],
        }
    ]
    state.registration_questions[WORKSHOP_MEETING_ID] = {
        "questions": [{"field_name": "org", "required": True}],
        "custom_questions": [{"title": "What do you want to learn?", "type": "short", "required": False}],
    }
    state.surveys[WORKSHOP_MEETING_ID] = {
        "show_in_the_browser": True,
        "custom_survey": {
            "title": "How was the workshop?",
            "anonymous": True,
            "numbered_questions": False,
            "show_question_type": False,
            "feedback": "Thanks for joining!",
            "questions": [
                {
                    "name": "Rate the session",
                    "type": "rating_scale",
                    "rating_min_value": 1,
                    "rating_max_value": 5,
                    "answer_required": False,
                }
            ],
        },
    }


def _webinar(state: State, now: datetime) -> None:
    from zoom_mcp.sandbox.webinars import new_webinar  # late: webinars imports the state helpers

    new_webinar(
        state,
        WEBINAR_ID,
        state.users[OWNER_ID],
        {
            "topic": "Product launch webinar",
            "start_time": iso(days_ago(now, -7, hour=17)),
            "duration": 60,
            "agenda": "What is new this quarter",
        },
        now,
    )
    state.panelists[WEBINAR_ID] = [
        {
            "id": WEBINAR_PANELIST_ID,
            "name": "Sam Okafor",
            "email": SAM_EMAIL,
            "join_url": f"https://zoom.us/w/{WEBINAR_ID}?tk=pnl0001",
        }
    ]
    state.webinar_registrants[WEBINAR_ID] = [
        {
            "id": WEBINAR_REGISTRANT_ID,
            "email": "morgan.diaz@example.com",
            "first_name": "Morgan",
            "last_name": "Diaz",
            "status": "approved",
            "create_time": iso(days_ago(now, 2)),
            "join_url": f"https://zoom.us/w/{WEBINAR_ID}?tk={WEBINAR_REGISTRANT_ID}",
        }
    ]
    state.webinar_polls[WEBINAR_ID] = [
        {
            "id": WEBINAR_POLL_ID,
            "title": "Which feature matters most?",
            "status": "notstart",
            "anonymous": True,
            "poll_type": 1,
            "questions": [{"name": "Pick one", "type": "single", "answers": ["Reports", "Webinars", "Devices"]}],
        }
    ]
    state.webinar_templates[OWNER_ID] = [{"id": WEBINAR_TEMPLATE_ID, "name": "Quarterly launch"}]
    state.templates[SAM_ID] = [{"id": SAM_TEMPLATE_ID, "name": "Customer call", "type": 1}]


def _account(state: State) -> None:
    state.tracking_fields = {
        TRACKING_FIELD_ID: {
            "id": TRACKING_FIELD_ID,
            "field": "Department",
            "required": False,
            "visible": True,
            "recommended_values": ["Sales", "Engineering", "Support"],
        }
    }
    state.tsp = {
        "dial_in_number_unrestricted": True,
        "dial_in_numbers": [{"code": "1", "number": "+1 555 0100", "type": "toll"}],
        "enable": True,
        "master_account_setting_extended": False,
        "modify_credential_forbidden": False,
        "tsp_bridge": "US_TSP_TB",
        "tsp_enabled": True,
        "tsp_provider": "Sandbox Conferencing",
    }
    state.user_tsp[OWNER_ID] = [
        {
            "id": TSP_ACCOUNT_ID,
            "conference_code": "4567890",
            "leader_pin": "1234",
            "tsp_bridge": "US_TSP_TB",
            "dial_in_numbers": [{"code": "1", "number": "5550100", "country_label": "US_TSP_TB", "type": "toll"}],
        }
    ]
    state.sip_phones = {
        SIP_PHONE_ID: {
            "phone_id": SIP_PHONE_ID,
            "user_email": JAMIE_EMAIL,
            "user_name": "jamie",
            "password": "sip-secret",
            "domain": "sip.example.com",
            "server": {"register_server": "192.0.2.50", "proxy_server": "192.0.2.50", "transport_protocol": "UDP"},
            "display_number": "+1 555 0142",
            "registration_expire_time": 60,
            "authorization_name": "jamie",
            "voice_mail": "*97",
        }
    }
