"""The `archiving` toolset: compliance archives of meetings, their statistics, local archiving tokens."""

from __future__ import annotations

from datetime import timedelta

from zoom_mcp.sandbox import records
from zoom_mcp.sandbox.dates import iso
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply
from zoom_mcp.sandbox.engine.pagination import paginate
from zoom_mcp.sandbox.state import ARCHIVED_FILE, Record, find_or_404


def _window(call: Call) -> dict[str, str]:
    """`from` / `to` as given, by default the last seven days."""
    now = call.now()
    return {"from": call.query.get("from") or iso(now - timedelta(days=7)), "to": call.query.get("to") or iso(now)}


def list_archived_files(call: Call) -> Reply:
    return 200, paginate(call, list(call.state.archives.values()), "meetings", **_window(call))


def get_archived_file_statistics(call: Call) -> Reply:
    """Counts by extension and status, in the reference's `<ext>_file_count` / `<status>_file_count` names."""
    archives = list(call.state.archives.values())
    files = [f for a in archives for f in a["archive_files"]]
    by_ext = {f"{ext}_file_count": 0 for ext in ("json", "m4a", "mp4", "txt", "vtt")}
    by_status = {f"{status}_file_count": 0 for status in ("completed", "failed", "processing")}
    for f in files:
        ext_key = f"{f['file_extension'].lower()}_file_count"
        by_ext[ext_key] = by_ext.get(ext_key, 0) + 1
        by_status[f"{f['status']}_file_count"] = by_status.get(f"{f['status']}_file_count", 0) + 1
    return 200, {
        **_window(call),
        "total_records": len(archives),
        "statistic_by_file_extension": by_ext,
        "statistic_by_file_status": by_status,
    }


def get_meeting_archived_files(call: Call) -> Reply:
    return 200, call.state.archives.get_or_404(call.params["meetingUUID"])


def delete_meeting_archived_files(call: Call) -> Reply:
    del call.state.archives[call.state.archives.get_or_404(call.params["meetingUUID"])["uuid"]]
    return 204, None


def _archived_file(call: Call) -> Record:
    every = [f for archive in call.state.archives.values() for f in archive["archive_files"]]
    return find_or_404(every, ARCHIVED_FILE, call.params["fileId"], "id")


def update_archived_file_auto_delete(call: Call) -> Reply:
    _archived_file(call)["auto_delete"] = bool(call.fields.get("auto_delete"))
    return 204, None


def get_local_archiving_token(call: Call) -> Reply:
    call.state.meetings.get_or_404(call.params["meetingId"])
    return 200, records.join_token(call.state)


HANDLERS: dict[str, Handler] = {
    "list_archived_files": list_archived_files,
    "get_archived_file_statistics": get_archived_file_statistics,
    "get_meeting_archived_files": get_meeting_archived_files,
    "delete_meeting_archived_files": delete_meeting_archived_files,
    "update_archived_file_auto_delete": update_archived_file_auto_delete,
    "get_local_archiving_token": get_local_archiving_token,
}
