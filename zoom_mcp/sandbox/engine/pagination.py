"""Zoom's next_page_token pagination, for every list a handler answers."""

from __future__ import annotations

import base64
from typing import Any

from zoom_mcp.sandbox.engine.calls import Call, ZoomHTTPError

TOKEN_PREFIX = "sbx:"


def paginate(call: Call, items: list[Any], key: str, **extra: Any) -> dict[str, Any]:
    """One page of `items` under `key`, with Zoom's paging fields; the next_page_token is opaque, '' on the last page.

    page_size defaults to 30 and is capped at 300, as Zoom does; the legacy page_number is honoured
    when no token is given. Fields the operation's schema does not name are dropped later (the gateway).
    """
    try:
        size = min(300, max(1, int(call.query.get("page_size") or 30)))
    except ValueError as exc:
        raise ZoomHTTPError(400, 300, "Invalid parameter: page_size.") from exc
    token = call.query.get("next_page_token") or ""
    try:
        if token:
            start = int(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode().removeprefix(TOKEN_PREFIX))
        else:
            start = (max(1, int(call.query.get("page_number") or 1)) - 1) * size
        if start < 0:
            raise ValueError(token)
    except ValueError as exc:
        raise ZoomHTTPError(400, 300, "Invalid parameter: next_page_token.") from exc
    page = items[start : start + size]
    following = start + size
    next_token = (
        base64.urlsafe_b64encode(f"{TOKEN_PREFIX}{following}".encode()).decode().rstrip("=")
        if following < len(items)
        else ""
    )
    return {
        "page_size": size,
        "total_records": len(items),
        "page_count": -(-len(items) // size),
        "page_number": start // size + 1,
        "next_page_token": next_token,
        key: page,
        **extra,
    }
