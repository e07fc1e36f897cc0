"""Long result sets for the agent: following next_page_token, and splitting date ranges.

List tools (those with Zoom's `next_page_token` parameter) also take `all_pages: true` and
`max_records`; the server then follows the pages itself, up to the cap, reporting progress.
Operations whose `tools.yaml` entry has a `date_range` (Zoom allows one month, or seven days,
per request) accept longer `from`/`to` ranges: the range is split into windows, each window's
pages are followed, and the lists are merged, unless the entry says merging would be wrong,
in which case the call is refused with the reason.
"""

from __future__ import annotations

import calendar
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from zoom_mcp.api import Operation
from zoom_mcp.api.serialize import ZoomRequest, build_request
from zoom_mcp.zoom import ZoomClient, ZoomResponse

ALL_PAGES = "all_pages"
MAX_RECORDS = "max_records"
DEFAULT_MAX_RECORDS = 1000
HARD_CAP = 10_000
MAX_PAGE_SIZE = 300  # Zoom's largest page; fewer round trips when following pages

Progress = Callable[[float, float | None, str | None], Awaitable[None]]


class RangeRefused(Exception):
    """The range is longer than Zoom allows and merging windows would give a wrong answer."""


def is_list(op: Operation) -> bool:
    return any(p.name == "next_page_token" for p in op.parameters)


def list_keys(op: Operation) -> list[str]:
    """Top-level array fields of the answer: what is concatenated across pages and windows."""
    properties = (op.response_schema or {}).get("properties", {})
    return [name for name, schema in properties.items() if schema.get("type") == "array"]


def control_schema(op: Operation) -> dict[str, Any]:
    if not is_list(op):
        return {}
    return {
        ALL_PAGES: {"type": "boolean", "description": "fetch every page, up to max_records"},
        MAX_RECORDS: {"type": "integer", "minimum": 1, "maximum": HARD_CAP, "default": DEFAULT_MAX_RECORDS},
    }


@dataclass(frozen=True)
class Window:
    start: str
    end: str


def windows(op: Operation, arguments: dict[str, Any], today: date) -> list[Window] | None:
    """The windows a from/to range must be split into, or None when one request will do."""
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
            f"{op.name} covers at most {_describe(step)} per request, and its figures cannot be added up across "
            f"windows; ask for {_describe(step)} or less (from {start_text} to {end_text} is longer)"
        )
    return [Window(_format(a, with_time), _format(b, with_time)) for a, b in cuts]


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


async def collect(
    client: ZoomClient,
    op: Operation,
    arguments: dict[str, Any],
    spans: list[Window] | None,
    max_records: int,
    progress: Progress,
) -> tuple[ZoomRequest, ZoomResponse]:
    """Follow pages (in each window) and merge them into one answer shaped like Zoom's."""
    keys = list_keys(op)
    merged: dict[str, Any] | None = None
    pages = attempts = 0
    truncated = False
    last_request: ZoomRequest | None = None
    spans_or_one: list[Window | None] = list(spans) if spans else [None]
    for index, span in enumerate(spans_or_one):
        args = dict(arguments)
        if span is not None:
            args.update({"from": span.start, "to": span.end})
        if is_list(op):
            args.setdefault("page_size", MAX_PAGE_SIZE)
        token = ""
        while True:
            if token:
                args["next_page_token"] = token
            last_request = build_request(op, args)
            response = await client.send(last_request)
            pages += 1
            attempts += response.attempts
            data = response.data if isinstance(response.data, dict) else {}
            if merged is None:
                merged = {k: v for k, v in data.items() if k not in keys} | {k: [] for k in keys}
            for key in keys:
                merged[key].extend(data.get(key) or [])
            count = sum(len(merged[k]) for k in keys)
            await progress(count, None, f"{count} records from {pages} page(s)")
            token = str(data.get("next_page_token") or "") if is_list(op) else ""
            if count >= max_records:
                truncated = count > max_records or bool(token) or index < len(spans_or_one) - 1
                break
            if not token:
                break
        if truncated:
            break
    assert merged is not None and last_request is not None
    for key in keys:
        if len(merged[key]) > max_records:
            merged[key] = merged[key][:max_records]
    if spans:
        merged["from"], merged["to"] = spans[0].start, spans[-1].end
    if "next_page_token" in merged:
        merged["next_page_token"] = ""
    if "total_records" in merged and not truncated:
        merged["total_records"] = sum(len(merged[k]) for k in keys)
    note = {"pages": pages, "windows": len(spans or [None]), "max_records": max_records, "truncated": truncated}
    if truncated:
        note["message"] = (
            f"Stopped at max_records={max_records}: there are more records. Narrow the query, or raise max_records "
            f"(at most {HARD_CAP})."
        )
    merged["pagination"] = note
    return last_request, ZoomResponse(200, merged, attempts)
