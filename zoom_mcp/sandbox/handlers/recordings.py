"""The `recordings` toolset: cloud recordings, trash, recovery, settings, on-demand registrants, analytics, transcripts.

A recorded instance keeps its live files in `recording_files` and trashed ones in `trashed_files`
(a sandbox-only field: answers never show it, the trash listing shows them as the files). Trashing,
deleting and recovering send Zoom's webhooks (`recording.trashed`, `.deleted`, `.recovered`) when the
sandbox has a webhook URL.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from zoom_mcp.sandbox import records
from zoom_mcp.sandbox.dates import iso, midnight, parse_time
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.engine.pagination import paginate
from zoom_mcp.sandbox.recording import event
from zoom_mcp.sandbox.state import RECORDING, TRANSCRIPT, Record, State, as_int, find_or_404, sees

INTERNAL = ("trashed_files",)


def public(instance: Record, files: str = "recording_files") -> Record:
    """A recorded instance as answers show it, listing its live files (or, with `trashed_files`, its trash)."""
    out = {k: v for k, v in instance.items() if k not in INTERNAL}
    out["recording_files"] = list(instance[files])
    return out


def list_user_recordings(call: Call) -> Reply:
    """The user's recorded instances that started in from..to (days, default yesterday and today), newest first."""
    state = call.state
    user = state.users.get_or_404(call.params["userId"])
    if not sees(state.users, user["id"]):  # a member lists only their own recordings
        raise ZoomHTTPError(400, 200, "No permission.")
    today = midnight(call.now())
    start = call.day(call.query.get("from"), today - timedelta(days=1), "from")
    end = call.day(call.query.get("to"), today, "to") + timedelta(days=1)
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
        and start <= parse_time(m["start_time"]) < end
        and (wanted_id is None or m["id"] == wanted_id)
    ]
    window = {"from": start.date().isoformat(), "to": (end - timedelta(days=1)).date().isoformat()}
    return 200, paginate(call, meetings, "meetings", **window)


def get_meeting_recordings(call: Call) -> Reply:
    instance = call.state.recording(call.params["meetingId"])
    if not sees(call.state.users, instance["host_id"]):  # another's recording: a member is told there is none
        raise RECORDING.missing(call.params["meetingId"])
    out = public(instance)
    if "download_access_token" in (call.query.get("include_fields") or ""):
        out["download_access_token"] = "sandbox-token"
    return 200, out


def _remove(call: Call, instance: Record, files: list[Record]) -> None:
    """`action=trash` (Zoom's default) keeps the files recoverable for 30 days; `action=delete` is final."""
    action = call.query.get("action") or "trash"
    if action not in ("trash", "delete"):
        raise ZoomHTTPError(400, 300, "Invalid parameter: action.")
    gone = {f["id"] for f in files}
    instance["recording_files"] = [f for f in instance["recording_files"] if f["id"] not in gone]
    if action == "trash":
        stamp = iso(call.now())
        instance["trashed_files"] += [{**f, "deleted_time": stamp} for f in files]
    else:
        for file_id in gone:
            call.state.file_content.pop(file_id, None)
    records.refresh_totals(instance)
    name = "recording.trashed" if action == "trash" else "recording.deleted"
    call.sandbox.emit(event(call.sandbox, name, instance, files))


def delete_meeting_recordings(call: Call) -> Reply:
    instance = call.state.recording(call.params["meetingId"])
    _remove(call, instance, list(instance["recording_files"]))
    return 204, None


def delete_recording_file(call: Call) -> Reply:
    instance = call.state.recording(call.params["meetingId"])
    found = find_or_404(instance["recording_files"], RECORDING, call.params["recordingId"], "id")
    _remove(call, instance, [found])
    return 204, None


def _trashed(call: Call, key: str) -> Record:
    """The instance to recover files of: by UUID, or the first instance of a meeting ID with trashed files."""
    state = call.state
    value = call.params[key]
    instance = state.recordings.get(value)
    if instance is None and as_int(value) is not None:
        candidates = [m for m in state.recordings.values() if m["id"] == as_int(value) and m["trashed_files"]]
        instance = candidates[0] if candidates else None
    if instance is None:
        raise RECORDING.missing(value)
    if call.fields.get("action", "recover") != "recover":
        raise ZoomHTTPError(400, 300, "Invalid parameter: action.")
    return instance


def _restore(call: Call, instance: Record, files: list[Record]) -> None:
    """Files back from the trash, in their original order."""
    back = []
    for f in files:
        restored = {k: v for k, v in f.items() if k != "deleted_time"}
        back.append({**restored, "status": "completed"})
    instance["recording_files"] += back
    instance["trashed_files"] = [f for f in instance["trashed_files"] if f not in files]
    instance["recording_files"].sort(key=_seq)
    records.refresh_totals(instance)
    call.sandbox.emit(event(call.sandbox, "recording.recovered", instance, back))


def _seq(recording_file: Record) -> int:
    """Seeded file IDs end in their sequence number; restoring puts files back in that order."""
    tail = recording_file["id"].rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def recover_meeting_recordings(call: Call) -> Reply:
    instance = _trashed(call, "meetingUUID")
    if not instance["trashed_files"]:
        raise RECORDING.missing(call.params["meetingUUID"])
    _restore(call, instance, list(instance["trashed_files"]))
    return 200, None


def recover_recording_file(call: Call) -> Reply:
    instance = _trashed(call, "meetingId")
    found = find_or_404(instance["trashed_files"], RECORDING, call.params["recordingId"], "id")
    _restore(call, instance, [found])
    return 204, None


def get_recording_settings(call: Call) -> Reply:
    instance = call.state.recording(call.params["meetingId"])
    return 200, call.state.recording_settings[instance["uuid"]]


def update_recording_settings(call: Call) -> Reply:
    instance = call.state.recording(call.params["meetingId"])
    call.state.recording_settings[instance["uuid"]].update(call.fields)
    return 204, None


def _questions(call: Call) -> Record:
    """A recording's registration questions (Zoom's default until they are set)."""
    instance = call.state.recording(call.params["meetingId"])
    default = {"questions": [{"field_name": "last_name", "required": False}], "custom_questions": []}
    return call.state.recording_questions.setdefault(instance["uuid"], default)


def get_recording_registration_questions(call: Call) -> Reply:
    return 200, _questions(call)


def update_recording_registration_questions(call: Call) -> Reply:
    _questions(call).update(call.fields)
    return 204, None


def _recorded_meeting_id(call: Call) -> int:
    """The path's meeting ID, when some instance of it has a recording."""
    meeting_id = as_int(call.params["meetingId"])
    if meeting_id is None or not any(m["id"] == meeting_id for m in call.state.recordings.values()):
        raise RECORDING.missing(call.params["meetingId"])
    return meeting_id


def list_recording_registrants(call: Call) -> Reply:
    """Registrants with `status` (default approved), in one page."""
    people = call.state.recording_registrants.get(_recorded_meeting_id(call), [])
    status = call.query.get("status") or "approved"
    page = paginate(call, [p for p in people if p["status"] == status], "registrants")
    page.update(page_count=1, page_number=1)
    return 200, page


def add_recording_registrant(call: Call) -> Reply:
    """Pending when the latest instance's settings want manual approval (approval_type 1), else approved."""
    state = call.state
    meeting_id = _recorded_meeting_id(call)
    body = call.fields
    if not body.get("email") or not body.get("first_name"):
        raise ZoomHTTPError(400, 300, "Validation failed: email and first_name are required.")
    settings = state.recording_settings.get(_latest_uuid(state, meeting_id), {})
    registrant = records.recording_registrant(state, body, settings.get("approval_type") != 1, call.now())
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
    """approve / deny the listed registrants (by `id`), or all of them when none are listed."""
    people = call.state.recording_registrants.get(_recorded_meeting_id(call), [])
    new_status = {"approve": "approved", "deny": "denied"}.get(call.fields.get("action", ""))
    if new_status is None:
        raise ZoomHTTPError(400, 300, "Invalid parameter: action.")
    ids = {r.get("id") for r in call.fields.get("registrants") or []}
    for person in people:
        if not ids or person["id"] in ids:
            person["status"] = new_status
    return 204, None


def get_recording_analytics_summary(call: Call) -> Reply:
    """A fixed day of views and downloads, on the recording's day."""
    instance = call.state.recording(call.params["meetingId"])
    day = instance["start_time"][:10]
    return 200, {
        "from": call.query.get("from") or day,
        "to": call.query.get("to") or day,
        "analytics_summary": [{"date": day, "views_total_count": 12, "downloads_total_count": 3}],
    }


def get_recording_analytics_details(call: Call) -> Reply:
    """Who viewed (`by_view`: one viewer, with duration) or downloaded (`by_download`: two people)."""
    instance = call.state.recording(call.params["meetingId"])
    kind = call.query.get("type") or "by_view"
    rows = [
        {
            "date_time": instance["start_time"],
            "name": name,
            "email": email,
            "duration": seconds if kind == "by_view" else 0,
        }
        for name, email, seconds in (
            ("Pat Lee", "pat.lee@example.com", 300),
            ("Jamie Chen", "jamie.chen@example.com", 1260),
        )
    ][: 1 if kind == "by_view" else 2]
    day = instance["start_time"][:10]
    return 200, paginate(
        call, rows, "analytics_details", **{"from": call.query.get("from") or day, "to": call.query.get("to") or day}
    )


def _transcript_instance(call: Call) -> Record:
    """The instance whose transcript is asked for: a UUID, or a meeting ID's latest instance (trash included)."""
    state = call.state
    value = call.params["meetingId"]
    found = state.recordings.get(value) or state.latest(value, state.recordings.values())
    if found is None:
        raise TRANSCRIPT.missing(value)
    return found


def get_meeting_transcript(call: Call) -> Reply:
    """Where the audio transcript is and whether it can be fetched; a trashed one cannot (Zoom says why)."""
    instance = _transcript_instance(call)
    live = [f for f in instance["recording_files"] if f["file_type"] == "TRANSCRIPT"]
    trashed = [f for f in instance["trashed_files"] if f["file_type"] == "TRANSCRIPT"]
    if not live and not trashed:
        raise TRANSCRIPT.missing(call.params["meetingId"])
    found = (live or trashed)[0]
    settings = call.state.recording_settings.get(instance["uuid"], {})
    out: dict[str, Any] = {
        "meeting_id": instance["uuid"],  # Zoom answers with the instance UUID here
        "account_id": instance.get("account_id", call.sandbox.credentials.account_id),
        "meeting_topic": instance["topic"],
        "host_id": instance["host_id"],
        "transcript_created_time": found.get("recording_end") or instance["start_time"],
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
    instance = _transcript_instance(call)
    removed = [f for f in instance["recording_files"] if f["file_type"] == "TRANSCRIPT"]
    gone = {f["id"] for f in removed}
    if not gone:
        raise TRANSCRIPT.missing(call.params["meetingId"])
    instance["recording_files"] = [f for f in instance["recording_files"] if f["id"] not in gone]
    for file_id in gone:
        call.state.file_content.pop(file_id, None)
    records.refresh_totals(instance)
    call.sandbox.emit(event(call.sandbox, "recording.deleted", instance, removed))
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
    "get_meeting_transcript": get_meeting_transcript,
    "delete_meeting_transcript": delete_meeting_transcript,
}
