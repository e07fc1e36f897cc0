"""Following pages and date windows: one implementation for endpoint tools and task-level tools.

An operation's `pagination` (catalog facts) names the token that asks for the next page, the
answer's field that carries it, and the arrays that are concatenated. `collect` follows the pages
of each window (see `api.windows`) up to `max_records` and merges them into one answer shaped like
Zoom's, with a `pagination` note saying how many pages and windows it took and whether it stopped
at the cap.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from zoom_mcp.api.serialize import ZoomRequest, build_request
from zoom_mcp.client.response import ZoomResponse

if TYPE_CHECKING:
    from zoom_mcp.api import Operation

HARD_CAP = 10_000  # records one merged answer may hold
MAX_PAGE_SIZE = 300  # Zoom's largest page; fewer round trips when following pages

Progress = Callable[[float, float | None, str | None], Awaitable[None]]
Send = Callable[[ZoomRequest], Awaitable[ZoomResponse]]


async def collect(
    send: Send,
    op: Operation,
    arguments: dict[str, Any],
    windows: list[tuple[str, str]] | None,
    max_records: int,
    progress: Progress | None = None,
) -> tuple[ZoomRequest, ZoomResponse]:
    """Follow pages (in each window) and merge them into one answer shaped like Zoom's; `send` is
    `ZoomClient.send`, so every page is paced, retried and authenticated like any request."""
    paging = op.pagination
    keys = list(paging.result_keys) if paging else _array_keys(op)
    merged: dict[str, Any] | None = None
    pages = attempts = 0
    truncated = False
    last_request: ZoomRequest | None = None
    spans: list[tuple[str, str] | None] = list(windows) if windows else [None]
    for index, span in enumerate(spans):
        args = dict(arguments)
        if span is not None:
            args.update({"from": span[0], "to": span[1]})
        if paging is not None and paging.limit_key:
            args.setdefault(paging.limit_key, min(MAX_PAGE_SIZE, paging.max_page_size or MAX_PAGE_SIZE))
        token = ""
        while True:
            if token and paging is not None:
                args[paging.input_token] = token
            last_request = build_request(op, args)
            response = await send(last_request)
            pages += 1
            attempts += response.attempts
            data = response.data if isinstance(response.data, dict) else {}
            if merged is None:
                merged = {k: v for k, v in data.items() if k not in keys} | {k: [] for k in keys}
            for key in keys:
                merged[key].extend(data.get(key) or [])
            count = sum(len(merged[k]) for k in keys)
            if progress is not None:
                await progress(count, None, f"{count} records from {pages} page(s)")
            token = str(data.get(paging.output_token) or "") if paging and paging.output_token else ""
            if count >= max_records:
                truncated = count > max_records or bool(token) or index < len(spans) - 1
                break
            if not token:
                break
        if truncated:
            break
    assert merged is not None and last_request is not None
    for key in keys:
        if len(merged[key]) > max_records:
            merged[key] = merged[key][:max_records]
    if windows:
        merged["from"], merged["to"] = windows[0][0], windows[-1][1]
    if paging is not None and paging.output_token and paging.output_token in merged:
        merged[paging.output_token] = ""
    if "total_records" in merged and not truncated:
        merged["total_records"] = sum(len(merged[k]) for k in keys)
    note: dict[str, Any] = {
        "pages": pages,
        "windows": len(windows or [None]),
        "max_records": max_records,
        "truncated": truncated,
    }
    if truncated:
        note["message"] = (
            f"Stopped at max_records={max_records}: there are more records. Narrow the query, or raise max_records "
            f"(at most {HARD_CAP})."
        )
    merged["pagination"] = note
    return last_request, ZoomResponse(200, merged, attempts)


def _array_keys(op: Operation) -> list[str]:
    """For a windowed operation that does not page: the arrays to concatenate across windows."""
    properties = (op.response_schema or {}).get("properties", {})
    return [name for name, schema in properties.items() if schema.get("type") == "array"]
