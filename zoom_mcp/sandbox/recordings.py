"""Cloud recordings: listing, trash and recovery, settings, on-demand registrants, analytics, summaries, transcripts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from zoom_mcp.sandbox.app import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.seed import refresh_totals
from zoom_mcp.sandbox.state import State, as_int, iso, now_utc, paginate, parse_day

INTERNAL = ("trashed_files",)


def _state(call: Call) -> State:
    return call.sandbox.state


def public(meeting: dict[str, Any], files: str = "recording_files") -> dict[str, Any]:
    out = {k: v for k, v in meeting.items() if k not in INTERNAL}
    out["recording_files"] = list(meeting[files])
    return out


def list_user_recordings(call: Call) -> Reply:
    state = _state(call)
    user = state.user(call, call.params["userId"])
    today = now_utc(call).replace(hour=0, minute=0, second=0, microsecond=0)
    start = parse_day(call.query.get("from"), today - timedelta(days=1), call, "from")
    end = parse_day(call.query.get("to"), today, call, "to") + timedelta(days=1)
    if end - start > timedelta(days=32):
        raise ZoomHTTPError(400, 300, "The date range must not exceed one month.")
    trash = call.query.get("trash") == "true"
    files = "trashed_files" if trash else "recording_files"
    wanted_id = as_int(call.query.get("meeting_id") or "")
    meetings = [
        public(m, files)
        for m in sorted(state.recordings.values(), key=lambda m: m["start_time"], reverse=True)
        if m["host_id"] == user["id"]
        and m[files]
        and start <= _time(m) < end
        and (wanted_id is None or m["id"] == wanted_id)
    ]
    window = {"from": start.date().isoformat(), "to": (end - timedelta(days=1)).date().isoformat()}
    return 200, paginate(call, meetings, "meetings", **window)


def _time(meeting: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(meeting["start_time"].replace("Z", "+00:00"))


def get_meeting_recordings(call: Call) -> Reply:
    meeting = _state(call).recording(call)
    out = public(meeting)
    if "download_access_token" in (call.query.get("include_fields") or ""):
        out["download_access_token"] = "sandbox-token"
    return 200, out


def _remove(call: Call, meeting: dict[str, Any], files: list[dict[str, Any]]) -> None:
    """`action=trash` (Zoom's default) keeps the files recoverable for 30 days; `action=delete` is final."""
    action = call.query.get("action") or "trash"
    if action not in ("trash", "delete"):
        raise ZoomHTTPError(400, 300, "Invalid parameter: action.")
    gone = {f["id"] for f in files}
    meeting["recording_files"] = [f for f in meeting["recording_files"] if f["id"] not in gone]
    if action == "trash":
        stamp = iso(now_utc(call))
        meeting["trashed_files"] += [{**f, "deleted_time": stamp} for f in files]
    else:
        for file_id in gone:
            _state(call).file_content.pop(file_id, None)
    refresh_totals(meeting)


def delete_meeting_recordings(call: Call) -> Reply:
    meeting = _state(call).recording(call)
    _remove(call, meeting, list(meeting["recording_files"]))
    return 204, None


def delete_recording_file(call: Call) -> Reply:
    meeting = _state(call).recording(call)
    found = [f for f in meeting["recording_files"] if f["id"] == call.params["recordingId"]]
    if not found:
        raise call.error(404, 3301, "There is no recording for this meeting.")
    _remove(call, meeting, found)
    return 204, None


def _trashed(call: Call, key: str) -> dict[str, Any]:
    state = _state(call)
    value = call.params[key]
    meeting = state.recordings.get(value)
    if meeting is None and as_int(value) is not None:
        candidates = [m for m in state.recordings.values() if m["id"] == as_int(value) and m["trashed_files"]]
        meeting = candidates[0] if candidates else None
    if meeting is None:
        raise call.error(404, 3301, "There is no recording for this meeting.")
    if (call.body or {}).get("action", "recover") != "recover":
        raise ZoomHTTPError(400, 300, "Invalid parameter: action.")
    return meeting


def _restore(meeting: dict[str, Any], files: list[dict[str, Any]]) -> None:
    for f in files:
        restored = {k: v for k, v in f.items() if k != "deleted_time"}
        meeting["recording_files"].append({**restored, "status": "completed"})
    meeting["trashed_files"] = [f for f in meeting["trashed_files"] if f not in files]
    meeting["recording_files"].sort(key=_seq)
    refresh_totals(meeting)


def _seq(recording_file: dict[str, Any]) -> int:
    """Seeded file IDs end in their sequence number; restoring puts files back in that order."""
    tail = recording_file["id"].rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def recover_meeting_recordings(call: Call) -> Reply:
    meeting = _trashed(call, "meetingUUID")
    if not meeting["trashed_files"]:
        raise call.error(404, 3301, "There is no recording for this meeting.")
    _restore(meeting, list(meeting["trashed_files"]))
    return 200, None


def recover_recording_file(call: Call) -> Reply:
    meeting = _trashed(call, "meetingId")
    files = [f for f in meeting["trashed_files"] if f["id"] == call.params["recordingId"]]
    if not files:
        raise call.error(404, 3301, "There is no recording for this meeting.")
    _restore(meeting, files)
    return 204, None


def get_recording_settings(call: Call) -> Reply:
    meeting = _state(call).recording(call)
    return 200, _state(call).recording_settings[meeting["uuid"]]


def update_recording_settings(call: Call) -> Reply:
    meeting = _state(call).recording(call)
    _state(call).recording_settings[meeting["uuid"]].update(call.body or {})
    return 204, None


def _questions(call: Call) -> dict[str, Any]:
    meeting = _state(call).recording(call)
    default = {"questions": [{"field_name": "last_name", "required": False}], "custom_questions": []}
    return _state(call).recording_questions.setdefault(meeting["uuid"], default)


def get_recording_registration_questions(call: Call) -> Reply:
    return 200, _questions(call)


def update_recording_registration_questions(call: Call) -> Reply:
    _questions(call).update(call.body or {})
    return 204, None


def _recording_meeting_id(call: Call) -> int:
    state = _state(call)
    meeting_id = as_int(call.params["meetingId"])
    if meeting_id is None or not any(m["id"] == meeting_id for m in state.recordings.values()):
        raise call.error(404, 3301, "There is no recording for this meeting.")
    return meeting_id


def list_recording_registrants(call: Call) -> Reply:
    people = _state(call).recording_registrants.get(_recording_meeting_id(call), [])
    status = call.query.get("status") or "approved"
    page = paginate(call, [p for p in people if p["status"] == status], "registrants")
    page.update(page_count=1, page_number=1)
    return 200, page


def add_recording_registrant(call: Call) -> Reply:
    state = _state(call)
    meeting_id = _recording_meeting_id(call)
    body = call.body or {}
    if not body.get("email") or not body.get("first_name"):
        raise ZoomHTTPError(400, 300, "Validation failed: email and first_name are required.")
    settings = state.recording_settings.get(_latest_uuid(state, meeting_id), {})
    registrant = {
        **body,
        "id": state.new_key(),
        "status": "pending" if settings.get("approval_type") == 1 else "approved",  # 1 = manual approval
        "create_time": iso(now_utc(call)),
        "share_url": f"https://zoom.us/rec/share/{state.new_key(10)}",
    }
    state.recording_registrants.setdefault(meeting_id, []).append(registrant)
    topic = next(m["topic"] for m in state.recordings.values() if m["id"] == meeting_id)
    return 201, {
        "id": meeting_id,
        "registrant_id": registrant["id"],
        "share_url": registrant["share_url"],
        "topic": topic,
    }


def _latest_uuid(state: State, meeting_id: int) -> str:
    return max((m for m in state.recordings.values() if m["id"] == meeting_id), key=lambda m: m["start_time"])["uuid"]


def update_recording_registrant_status(call: Call) -> Reply:
    people = _state(call).recording_registrants.get(_recording_meeting_id(call), [])
    body = call.body or {}
    new_status = {"approve": "approved", "deny": "denied"}.get(body.get("action", ""))
    if new_status is None:
        raise ZoomHTTPError(400, 300, "Invalid parameter: action.")
    ids = {r.get("id") for r in body.get("registrants") or []}
    for person in people:
        if not ids or person["id"] in ids:
            person["status"] = new_status
    return 204, None


def get_recording_analytics_summary(call: Call) -> Reply:
    meeting = _state(call).recording(call)
    day = meeting["start_time"][:10]
    return 200, {
        "from": call.query.get("from") or day,
        "to": call.query.get("to") or day,
        "analytics_summary": [{"date": day, "views_total_count": 12, "downloads_total_count": 3}],
    }


def get_recording_analytics_details(call: Call) -> Reply:
    meeting = _state(call).recording(call)
    kind = call.query.get("type") or "by_view"
    rows = [
        {
            "date_time": meeting["start_time"],
            "name": name,
            "email": email,
            "duration": seconds if kind == "by_view" else 0,
        }
        for name, email, seconds in (
            ("Pat Lee", "pat.lee@example.com", 300),
            ("Jamie Chen", "jamie.chen@example.com", 1260),
        )
    ][: 1 if kind == "by_view" else 2]
    day = meeting["start_time"][:10]
    return 200, paginate(
        call, rows, "analytics_details", **{"from": call.query.get("from") or day, "to": call.query.get("to") or day}
    )


def list_meeting_summaries(call: Call) -> Reply:
    """Newest first; from/to (date-times, default the last 30 days) bound the meeting start."""
    now = now_utc(call)
    low = call.query.get("from") or iso(now - timedelta(days=30))
    high = call.query.get("to") or iso(now)
    if len(high) == 10:  # a bare date includes that whole day
        high += "T23:59:59Z"
    summaries = sorted(
        (s for s in _state(call).summaries if low <= s["meeting_start_time"] <= high),
        key=lambda s: s["meeting_start_time"],
        reverse=True,
    )
    return 200, paginate(call, summaries, "summaries", **{"from": low, "to": high})


def _transcript_instance(call: Call) -> dict[str, Any]:
    """The instance whose transcript is asked for: a UUID, or a meeting ID's latest instance (trash included)."""
    state = _state(call)
    value = call.params["meetingId"]
    found = state.recordings.get(value)
    if found is None and as_int(value) is not None:
        instances = [r for r in state.recordings.values() if r["id"] == as_int(value)]
        found = max(instances, key=lambda r: r["start_time"]) if instances else None
    if found is None:
        raise call.error(404, 3322, "This meeting transcript does not exist.")
    return found


def get_meeting_transcript(call: Call) -> Reply:
    """Where the audio transcript is and whether it can be fetched; a trashed one cannot (Zoom says why)."""
    meeting = _transcript_instance(call)
    live = [f for f in meeting["recording_files"] if f["file_type"] == "TRANSCRIPT"]
    trashed = [f for f in meeting["trashed_files"] if f["file_type"] == "TRANSCRIPT"]
    if not live and not trashed:
        raise call.error(404, 3322, "This meeting transcript does not exist.")
    found = (live or trashed)[0]
    settings = _state(call).recording_settings.get(meeting["uuid"], {})
    out = {
        "meeting_id": meeting["uuid"],  # Zoom answers with the instance UUID here
        "account_id": meeting.get("account_id", call.sandbox.credentials.account_id),
        "meeting_topic": meeting["topic"],
        "host_id": meeting["host_id"],
        "transcript_created_time": found.get("recording_end") or meeting["start_time"],
        "can_download": bool(live),
        "auto_delete": bool(settings.get("auto_delete", False)),
        "auto_delete_date": settings.get("auto_delete_date") or "",
    }
    # One or the other, as Zoom documents: the URL when it can be fetched, else the reason it cannot.
    if live:
        out["download_url"] = found["download_url"]
    else:
        out["download_restriction_reason"] = "DELETED_OR_TRASHED"
    return 200, out


def delete_meeting_transcript(call: Call) -> Reply:
    """Removes the audio transcript for good (its bytes too); video, audio, captions and chat stay."""
    meeting = _transcript_instance(call)
    gone = {f["id"] for f in meeting["recording_files"] if f["file_type"] == "TRANSCRIPT"}
    if not gone:
        raise call.error(404, 3322, "This meeting transcript does not exist.")
    meeting["recording_files"] = [f for f in meeting["recording_files"] if f["id"] not in gone]
    for file_id in gone:
        _state(call).file_content.pop(file_id, None)
    refresh_totals(meeting)
    return 204, None


HANDLERS: dict[str, Handler] = {
    "list_user_recordings": list_user_recordings,
    "get_meeting_recordings": get_meeting_recordings,
    "delete_meeting_recordings": delete_meeting_recordings,
    "delete_recording_file": delete_recording_file,
    "recover_meeting_recordings": recover_meeting_recordings,
    "recover_recording_file": recover_recording_file,
    "get_recording_settings": get_recording_settings,
    "update_recording_settings": update_recording_settings,
    "get_recording_registration_questions": get_recording_registration_questions,
    "update_recording_registration_questions": update_recording_registration_questions,
    "list_recording_registrants": list_recording_registrants,
    "add_recording_registrant": add_recording_registrant,
    "update_recording_registrant_status": update_recording_registrant_status,
    "get_recording_analytics_summary": get_recording_analytics_summary,
    "get_recording_analytics_details": get_recording_analytics_details,
    "list_meeting_summaries": list_meeting_summaries,
    "get_meeting_transcript": get_meeting_transcript,
    "delete_meeting_transcript": delete_meeting_transcript,
}
