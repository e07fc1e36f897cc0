"""The `polls` toolset: meeting polls (create, one or a batch; list, get, update, delete)."""

from __future__ import annotations

from zoom_mcp.sandbox import records
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply
from zoom_mcp.sandbox.state import POLL, Record, find_or_404

MAX_POLLS = 50  # per meeting (Zoom's 4400 "You can only add a maximum of 50 polls.")


def _polls(call: Call) -> list[Record]:
    """The path meeting's polls."""
    meeting = call.state.meetings.get_or_404(call.params["meetingId"])
    return call.state.polls.setdefault(meeting["id"], [])


def _add(call: Call, polls: list[Record]) -> list[Record]:
    existing = _polls(call)
    if len(existing) + len(polls) > MAX_POLLS:
        raise call.error(400, 4400, "You can only add a maximum of 50 polls.")
    created = [records.poll(call.state, p) for p in polls]
    existing.extend(created)
    return created


def create_meeting_poll(call: Call) -> Reply:
    return 201, _add(call, [call.fields])[0]


def create_meeting_polls_batch(call: Call) -> Reply:
    return 201, {"polls": _add(call, call.fields.get("polls") or [])}


def list_meeting_polls(call: Call) -> Reply:
    """Every poll, or with `anonymous=true|false` only those that are (or are not) anonymous."""
    polls = _polls(call)
    anonymous = call.query.get("anonymous")
    if anonymous in ("true", "false"):
        polls = [p for p in polls if bool(p.get("anonymous")) == (anonymous == "true")]
    return 200, {"total_records": len(polls), "polls": polls}


def the_poll(call: Call, polls: list[Record]) -> Record:
    """The path's `pollId` among `polls` (a meeting's or a webinar's)."""
    return find_or_404(polls, POLL, call.params["pollId"], "id")


def remove_poll(call: Call, polls: list[Record]) -> None:
    """Take the path's poll out of `polls`."""
    gone = the_poll(call, polls)
    polls[:] = [p for p in polls if p is not gone]


def get_meeting_poll(call: Call) -> Reply:
    return 200, the_poll(call, _polls(call))


def update_meeting_poll(call: Call) -> Reply:
    """PUT: the poll's title, type and questions are replaced by the body's."""
    the_poll(call, _polls(call)).update(call.fields)
    return 204, None


def delete_meeting_poll(call: Call) -> Reply:
    remove_poll(call, _polls(call))
    return 204, None


HANDLERS: dict[str, Handler] = {
    "create_meeting_poll": create_meeting_poll,
    "create_meeting_polls_batch": create_meeting_polls_batch,
    "list_meeting_polls": list_meeting_polls,
    "get_meeting_poll": get_meeting_poll,
    "update_meeting_poll": update_meeting_poll,
    "delete_meeting_poll": delete_meeting_poll,
}
