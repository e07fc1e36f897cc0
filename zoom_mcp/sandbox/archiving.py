"""Compliance archives and meetings in progress (chat messages, in-meeting controls)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from zoom_mcp.sandbox.app import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.state import State, as_int, now_utc, paginate


def _state(call: Call) -> State:
    return call.sandbox.state


def _archive(call: Call) -> dict[str, Any]:
    found = _state(call).archives.get(call.params["meetingUUID"])
    if found is None:
        raise call.error(404, 3001, "Meeting does not exist: {meetingUUID}.", meetingUUId=call.params["meetingUUID"])
    return found


def list_archived_files(call: Call) -> Reply:
    now = now_utc(call)
    window = {
        "from": call.query.get("from") or (now - timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "to": call.query.get("to") or now.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return 200, paginate(call, list(_state(call).archives.values()), "meetings", **window)


def get_archived_file_statistics(call: Call) -> Reply:
    archives = list(_state(call).archives.values())
    files = [f for a in archives for f in a["archive_files"]]
    by_ext: dict[str, int] = {}
    for f in files:
        by_ext[f["file_extension"]] = by_ext.get(f["file_extension"], 0) + 1
    return 200, {
        "from": call.query.get("from", ""),
        "to": call.query.get("to", ""),
        "total_records": len(archives),
        "statistic_by_file_extension": {f"{k.lower()}_files": v for k, v in by_ext.items()},
        "statistic_by_file_status": {"completed_files": len(files)},
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
    meeting_id = as_int(call.params["meetingId"])
    found = _state(call).live.get(meeting_id) if meeting_id is not None else None
    if found is None:
        raise ZoomHTTPError(404, 3001, f"Meeting does not exist: {call.params['meetingId']}.")
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
