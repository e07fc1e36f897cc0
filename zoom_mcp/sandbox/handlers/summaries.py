"""The `summaries` toolset: Zoom's AI Companion meeting summaries (list, read, delete)."""

from __future__ import annotations

from datetime import timedelta

from zoom_mcp.sandbox.dates import iso
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply
from zoom_mcp.sandbox.engine.pagination import paginate
from zoom_mcp.sandbox.state import MEETING, SUMMARY, Record, as_int


def list_meeting_summaries(call: Call) -> Reply:
    """Newest first; from/to (date-times, default the last 30 days) bound the meeting start."""
    now = call.now()
    low = call.query.get("from") or iso(now - timedelta(days=30))
    high = call.query.get("to") or iso(now)
    if len(high) == 10:  # a bare date includes that whole day
        high += "T23:59:59Z"
    summaries = sorted(
        (s for s in call.state.summaries if low <= s["meeting_start_time"] <= high),
        key=lambda s: s["meeting_start_time"],
        reverse=True,
    )
    return 200, paginate(call, summaries, "summaries", **{"from": low, "to": high})


def _summary(call: Call) -> Record:
    """A meeting's summary by instance UUID, or the latest instance's for a meeting ID.

    A meeting the account knows without a summary is "Meeting summary does not exist"; an unknown one
    is the operation's "no such meeting".
    """
    state = call.state
    value = call.params["meetingId"]
    found = [s for s in state.summaries if value in (s["meeting_uuid"], str(s["meeting_id"]))]
    if found:
        return max(found, key=lambda s: s["meeting_start_time"])
    known = as_int(value) in state.meetings or any(
        value in (p["uuid"], str(p["id"])) for p in state.instances().values()
    )
    raise (SUMMARY if known else MEETING).missing(value)


def get_meeting_summary(call: Call) -> Reply:
    """`summary_content` is the Markdown Zoom renders: overview, a section per detail, next steps."""
    summary = _summary(call)
    overview = summary.get("summary_overview", "")
    steps = summary.get("next_steps", [])
    details = "".join(
        f"### {d['label']}\n\n{d['summary']}\n\n"
        for d in summary.get("summary_details", [])
        if d.get("summary") and d["summary"] != overview  # a detail that only repeats the overview is left out
    )
    content = f"## {summary.get('summary_title', '')}\n\n{overview}\n\n{details}### Next steps\n" + "".join(
        f"- {s}\n" for s in steps
    )
    return 200, {**summary, "summary_content": content}


def delete_meeting_summary(call: Call) -> Reply:
    summary = _summary(call)
    call.state.summaries[:] = [s for s in call.state.summaries if s is not summary]
    return 204, None


HANDLERS: dict[str, Handler] = {
    "list_meeting_summaries": list_meeting_summaries,
    "get_meeting_summary": get_meeting_summary,
    "delete_meeting_summary": delete_meeting_summary,
}
