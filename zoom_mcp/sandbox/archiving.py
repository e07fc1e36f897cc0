"""Compliance archives and meetings in progress (chat messages, in-meeting controls)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from zoom_mcp.sandbox.app import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.state import State, as_int, missing_meeting, now_utc, paginate


def _state(call: Call) -> State:
    return call.sandbox.state


def _archive(call: Call) -> dict[str, Any]:
    found = _state(call).archives.get(call.params["meetingUUID"])
    if found is None:
        raise call.error(404, 3001, "Meeting does not exist: {meetingUUID}.")
    return found


def list_archived_files(call: Call) -> Reply:
    now = now_utc(call)
    window = {
        "from": call.query.get("from") or (now - timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "to": call.query.get("to") or now.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return 200, paginate(call, list(_state(call).archives.values()), "meetings", **window)


def get_archived_file_statistics(call: Call) -> Reply:
    """Counts by extension and status, in the reference's `<ext>_file_count` / `<status>_file_count` names."""
    archives = list(_state(call).archives.values())
    files = [f for a in archives for f in a["archive_files"]]
    by_ext = {f"{ext}_file_count": 0 for ext in ("json", "m4a", "mp4", "txt", "vtt")}
    by_status = {f"{status}_file_count": 0 for status in ("completed", "failed", "processing")}
    for f in files:
        ext_key = f"{f['file_extension'].lower()}_file_count"
        by_ext[ext_key] = by_ext.get(ext_key, 0) + 1
        by_status[f"{f['status']}_file_count"] = by_status.get(f"{f['status']}_file_count", 0) + 1
    now = now_utc(call)
    return 200, {
        "from": call.query.get("from") or (now - timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "to": call.query.get("to") or now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "total_records": len(archives),
        "statistic_by_file_extension": by_ext,
        "statistic_by_file_status": by_status,
    }


def get_meeting_archived_files(call: Call) -> Reply:
    return 200, _archive(call)


def delete_meeting_archived_files(call: Call) -> Reply:
    del _state(call).archives[_archive(call)["uuid"]]
    return 204, None


def update_archived_file_auto_delete(call: Call) -> Reply:
    for archive in _state(call).archives.values():
        for f in archive["archive_files"]:
            if f["id"] == call.params["fileId"]:
                f["auto_delete"] = bool((call.body or {}).get("auto_delete"))
                return 204, None
    raise ZoomHTTPError(404, 3301, f"Archived file does not exist: {call.params['fileId']}.")


def _live(call: Call) -> dict[str, Any]:
    """A meeting in progress; others (ended, scheduled, unknown) answer as Zoom does for a missing meeting."""
    meeting_id = as_int(call.params["meetingId"])
    found = _state(call).live.get(meeting_id) if meeting_id is not None else None
    if found is None:
        raise missing_meeting(call, call.params["meetingId"])
    return found


def _message(call: Call) -> dict[str, Any]:
    found = _live(call)["messages"].get(call.params["messageId"])
    if found is None:
        raise ZoomHTTPError(404, 3001, f"Message does not exist: {call.params['messageId']}.")
    return found


def update_live_meeting_chat_message(call: Call) -> Reply:
    _message(call)["message_content"] = (call.body or {}).get("message_content", "")
    return 204, None


def delete_live_meeting_chat_message(call: Call) -> Reply:
    del _live(call)["messages"][_message(call)["message_id"]]
    return 204, None


def control_live_meeting(call: Call) -> Reply:
    live = _live(call)
    method = (call.body or {}).get("method")
    if not method:
        raise ZoomHTTPError(400, 300, "Invalid parameter: method.")
    live["events"].append({"method": method, "params": (call.body or {}).get("params")})
    if method.startswith("recording."):
        live["recording"] = {"start": "started", "resume": "started", "stop": "stopped", "pause": "paused"}.get(
            method.split(".", 1)[1], live.get("recording", "stopped")
        )
    return 202, None


HANDLERS: dict[str, Handler] = {
    "list_archived_files": list_archived_files,
    "get_archived_file_statistics": get_archived_file_statistics,
    "get_meeting_archived_files": get_meeting_archived_files,
    "delete_meeting_archived_files": delete_meeting_archived_files,
    "update_archived_file_auto_delete": update_archived_file_auto_delete,
    "update_live_meeting_chat_message": update_live_meeting_chat_message,
    "delete_live_meeting_chat_message": delete_live_meeting_chat_message,
    "control_live_meeting": control_live_meeting,
}
