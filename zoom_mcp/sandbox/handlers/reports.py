"""The `reports` toolset: reports built from past meetings (recorded ones and those ended through the API).

Date ranges are `from` / `to` (days, `to` inclusive); like Zoom, a range may span at most a month.
Reports the state cannot back cheaply (billing, telephone, sign-in activity, ...) keep the default answer.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

from zoom_mcp.sandbox.dates import iso, midnight, parse_time
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.engine.gateway import complete, item_schema
from zoom_mcp.sandbox.engine.pagination import paginate
from zoom_mcp.sandbox.state import Record


def _window(call: Call) -> tuple[datetime, datetime, dict[str, str]]:
    """The report's days: from..to (default the last 30 days and today), at most a month; and as answered."""
    today = midnight(call.now())
    start = call.day(call.query.get("from"), today - timedelta(days=30), "from")
    end = call.day(call.query.get("to"), today, "to") + timedelta(days=1)
    if end <= start:
        raise ZoomHTTPError(400, 300, "The end date must not be before the start date.")
    if end - start > timedelta(days=32):
        raise ZoomHTTPError(400, 300, "The date range must not exceed one month.")
    return start, end, {"from": start.date().isoformat(), "to": (end - timedelta(days=1)).date().isoformat()}


def _instances(call: Call, start: datetime | None = None, end: datetime | None = None) -> list[Record]:
    """Past instances that started in start..end (either open), newest first."""
    chosen = [
        p
        for p in call.state.instances().values()
        if (start is None or start <= parse_time(p["start_time"]))
        and (end is None or parse_time(p["start_time"]) < end)
    ]
    return sorted(chosen, key=lambda p: p["start_time"], reverse=True)


def _host(call: Call, past: Record) -> Record:
    """The instance's host (blank names for a host no longer in the account)."""
    found = call.state.users.get(past["host_id"])
    return found or {"first_name": "", "last_name": "", "email": ""}


def _row(call: Call, past: Record) -> Record:
    """One past meeting as the report APIs describe it."""
    people = call.state.participants.get(past["uuid"], [])
    host = _host(call, past)
    files = {f["file_type"] for f in past.get("recording_files") or []}
    return {
        "uuid": past["uuid"],
        "id": past["id"],
        "type": int(past["type"]),
        "topic": past["topic"],
        "user_name": f"{host['first_name']} {host['last_name']}".strip(),
        "user_email": host["email"],
        "start_time": past["start_time"],
        "end_time": iso(parse_time(past["start_time"]) + timedelta(minutes=int(past["duration"]))),
        "duration": int(past["duration"]),
        "total_minutes": sum(p["duration"] for p in people) // 60,
        "participants_count": len(people),
        "has_recording": bool(files),
        "has_chat": "CHAT" in files,
        "has_screen_share": "MP4" in files,
        "source": "Zoom",
        "dept": "",
        "custom_keys": [],
        "tracking_fields": [],
    }


def get_user_meetings_report(call: Call) -> Reply:
    """Meetings the user hosted or attended in the range, newest first."""
    state = call.state
    user = state.users.get_or_404(call.params["userId"])
    start, end, window = _window(call)
    rows = []
    for past in _instances(call, start, end):
        mine = [p for p in state.participants.get(past["uuid"], []) if p["id"] == user["id"]]
        if past["host_id"] != user["id"] and not mine:
            continue
        row = _row(call, past)
        if mine:
            row.update(join_time=mine[0]["join_time"], leave_time=mine[0]["leave_time"])
        rows.append(row)
    return 200, paginate(call, complete(item_schema(call, "meetings"), rows), "meetings", **window)


def get_meeting_details_report(call: Call) -> Reply:
    return 200, _row(call, call.state.past(call.params["meetingId"]))


def get_meeting_participants_report(call: Call) -> Reply:
    """A past instance's participants, with their user IDs as the report names them."""
    state = call.state
    past = state.past(call.params["meetingId"])
    rows = [
        {**p, "participant_user_id": p["id"], "id": p["id"], "customer_key": "", "bo_mtg_id": ""}
        for p in state.participants.get(past["uuid"], [])
    ]
    return 200, paginate(call, rows, "participants")


def _answers(call: Call, rows: dict[str, list[Record]]) -> tuple[Record, list[Record]]:
    """The path's past instance and its rows (Q&A or poll answers)."""
    past = call.state.past(call.params["meetingId"])
    return past, rows.get(past["uuid"], [])


def get_meeting_polls_report(call: Call) -> Reply:
    """Poll answers per person, with first and last names split."""
    past, rows = _answers(call, call.state.past_polls)
    people = [{**r, "first_name": r["name"].split(" ")[0], "last_name": r["name"].partition(" ")[2]} for r in rows]
    return 200, {"id": past["id"], "uuid": past["uuid"], "start_time": past["start_time"], "questions": people}


def get_meeting_qa_report(call: Call) -> Reply:
    """Questions per asker, each with an ID, its answer and whether it was answered."""
    past, rows = _answers(call, call.state.past_qa)
    users = {u["email"]: u["id"] for u in call.state.users.values()}
    questions = [
        {
            "name": r["name"],
            "email": r["email"],
            "user_id": users.get(r["email"], ""),
            "question_details": [
                {
                    "question": d["question"],
                    "answer": d.get("answer", ""),
                    "question_id": f"{past['id']}-q{i + 1}",
                    "question_status": "answered" if d.get("answer") else "open",
                    "create_time": past["start_time"],
                }
                for i, d in enumerate(r["question_details"])
            ],
        }
        for r in rows
    ]
    return 200, {"id": past["id"], "uuid": past["uuid"], "start_time": past["start_time"], "questions": questions}


def get_active_inactive_hosts_report(call: Call) -> Reply:
    """`type=active` (default): users who hosted in the range, with totals; `inactive`: everyone else."""
    state = call.state
    start, end, window = _window(call)
    hosted: dict[str, list[Record]] = {}
    for past in _instances(call, start, end):
        hosted.setdefault(past["host_id"], []).append(_row(call, past))
    kind = call.query.get("type") or "active"
    users = []
    for user in state.users.values():
        rows = hosted.get(user["id"], [])
        if (kind == "active") != bool(rows):
            continue
        users.append(
            {
                "id": user["id"],
                "email": user["email"],
                "user_name": f"{user['first_name']} {user['last_name']}",
                "type": user["type"],
                "dept": "",
                "meetings": len(rows),
                "participants": sum(r["participants_count"] for r in rows),
                "meeting_minutes": sum(r["duration"] for r in rows),
            }
        )
    totals = {
        "total_meetings": sum(u["meetings"] for u in users),
        "total_participants": sum(u["participants"] for u in users),
        "total_meeting_minutes": sum(u["meeting_minutes"] for u in users),
    }
    return 200, paginate(call, users, "users", **window, **totals)


def get_daily_usage_report(call: Call) -> Reply:
    """Per day of `year`/`month` (default this month): meetings, participants, minutes."""
    now = call.now()
    try:
        year = int(call.query.get("year") or now.year)
        month = int(call.query.get("month") or now.month)
        days = calendar.monthrange(year, month)[1]
    except (ValueError, calendar.IllegalMonthError) as exc:
        raise ZoomHTTPError(400, 300, "Invalid parameter: year or month.") from exc
    dates = []
    for day in range(1, days + 1):
        first = datetime(year, month, day, tzinfo=now.tzinfo)
        rows = [_row(call, p) for p in _instances(call, first, first + timedelta(days=1))]
        dates.append(
            {
                "date": first.date().isoformat(),
                "new_users": 0,
                "meetings": len(rows),
                "participants": sum(r["participants_count"] for r in rows),
                "meeting_minutes": sum(r["duration"] for r in rows),
            }
        )
    return 200, {"year": year, "month": month, "dates": dates}


def get_meeting_history_report(call: Call) -> Reply:
    """Past meetings in the range, optionally those whose topic or ID contains `search_key`."""
    start, end, _ = _window(call)
    key = (call.query.get("search_key") or "").lower()
    rows = []
    for past in _instances(call, start, end):
        row = _row(call, past)
        if key and key not in row["topic"].lower() and key not in str(row["id"]):
            continue
        rows.append(
            {
                "meeting_uuid": row["uuid"],
                "meeting_id": row["id"],
                "type": "Meeting",
                "host_display_name": row["user_name"],
                "host_email": row["user_email"],
                "start_time": row["start_time"],
                "end_time": row["end_time"],
                "topic": row["topic"],
                "participants": row["participants_count"],
                "duration": row["duration"],
                "total_participant_minutes": row["total_minutes"],
                "department": "",
                "group": [],
                "source": "Zoom",
                "create_time": row["start_time"],
                "custom_fields": [],
                "tracking_fields": [],
            }
        )
    return 200, paginate(call, complete(item_schema(call, "history_meetings"), rows), "history_meetings")


HANDLERS: dict[str, Handler] = {
    "get_user_meetings_report": get_user_meetings_report,
    "get_meeting_details_report": get_meeting_details_report,
    "get_meeting_participants_report": get_meeting_participants_report,
    "get_meeting_polls_report": get_meeting_polls_report,
    "get_meeting_qa_report": get_meeting_qa_report,
    "get_active_inactive_hosts_report": get_active_inactive_hosts_report,
    "get_daily_usage_report": get_daily_usage_report,
    "get_meeting_history_report": get_meeting_history_report,
}
