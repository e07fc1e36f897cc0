"""Date windows: Zoom answers at most a month (or seven days) of `from`/`to` per request.

An operation's `date_range` in `tools.yaml` says how long a window may be and whether answers
for consecutive windows can be merged (`split: true`) or a longer range must be refused. `split`
returns the windows a range needs; callers pass "today" from the injected clock, the default end.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from zoom_mcp.errors import RangeRefused

if TYPE_CHECKING:
    from zoom_mcp.api.catalog import Operation

Window = tuple[str, str]  # (from, to), inclusive, formatted as the range was given


def split(op: Operation, arguments: dict[str, Any], today: date) -> list[Window] | None:
    """The windows a from/to range must be split into, or None when one request will do.

    Raises RangeRefused when the range is longer than one window and the operation's figures
    cannot be added up across windows.
    """
    rule = op.date_range
    if not rule or "from" not in arguments:
        return None
    start_text, end_text = str(arguments["from"]), str(arguments.get("to") or today.isoformat())
    with_time = "T" in start_text
    try:
        start, end = _parse(start_text), _parse(end_text)
    except ValueError:
        return None  # not a date Zoom would accept either: let Zoom's answer say so
    if end < start:
        return None  # let Zoom say what it thinks of a reversed range
    step = rule.get("window", "month")
    cuts = _cuts(start, end, step, with_time)
    if len(cuts) <= 1:
        return None
    if not rule.get("split", True):
        raise RangeRefused(
            f"Refused, nothing was sent to Zoom: {op.name} covers at most {_describe(step)} per request, and its "
            f"figures cannot be added up across windows; ask for {_describe(step)} or less (from {start_text} to "
            f"{end_text} is longer)."
        )
    return [(_format(a, with_time), _format(b, with_time)) for a, b in cuts]


def _describe(step: str) -> str:
    return "one month" if step == "month" else f"{step[:-1]} days"


def _parse(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00")) if "T" in text else datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _format(moment: datetime, with_time: bool) -> str:
    if with_time:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.date().isoformat()


def _cuts(start: datetime, end: datetime, step: str, with_time: bool) -> list[tuple[datetime, datetime]]:
    """Consecutive windows covering start..end (inclusive): calendar months, or N days ("7d")."""
    cuts = []
    current = start
    while current <= end:
        nxt = _add_month(current) if step == "month" else current + timedelta(days=int(step[:-1]))
        cuts.append((current, min(end, nxt - (timedelta(seconds=1) if with_time else timedelta(days=1)))))
        current = nxt
    return cuts


def _add_month(moment: datetime) -> datetime:
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
