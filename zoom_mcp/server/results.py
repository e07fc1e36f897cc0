"""Turning answers and failures into tool results: the one place errors become text.

Every `ZoomMcpError` carries its own complete message (what failed, that nothing was sent when
nothing was); `error_text` adds the hint for Zoom's common statuses, and `error_result` makes it
the tool error the model reads. Anything else escaping a call is a fault of ours, not the
model's: it is logged with its traceback and answered with a short, fixed text.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import mcp_types as types

from zoom_mcp.api import Operation
from zoom_mcp.api.serialize import ZoomRequest
from zoom_mcp.client import ZoomResponse
from zoom_mcp.errors import ZoomAPIError, ZoomMcpError

log = logging.getLogger(__name__)


def compact(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def error_text(exc: ZoomMcpError) -> str:
    text = str(exc)
    if isinstance(exc, ZoomAPIError):
        hint = _HINTS.get(exc.status)
        if hint:
            text = f"{text}\n{hint}"
    return text


def error_result(exc: ZoomMcpError) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(text=error_text(exc))], is_error=True)


def internal_error_result() -> types.CallToolResult:
    """A fault of ours (logged with its traceback where it was caught); the text gives nothing away."""
    text = "zoom-mcp failed while handling this call (an internal error, logged on the server)."
    return types.CallToolResult(content=[types.TextContent(text=text)], is_error=True)


def meta_result(structured: dict[str, Any], lead: str) -> types.CallToolResult:
    """A result about the call rather than from Zoom (dry run, confirmation): text plus structure."""
    return types.CallToolResult(
        content=[types.TextContent(text=f"{lead}\n{compact(structured)}")], structured_content=structured
    )


_HINTS = {
    400: "Zoom refused the arguments; fix them using the message above.",
    401: "The credentials were refused; check the ZOOM_* settings.",
    403: "The credentials lack permission or a scope for this call.",
    404: "Check the IDs: Zoom could not find what they point at.",
    429: "Zoom's rate limit was hit; wait a moment before retrying.",
}


def success_result(op: Operation, request: ZoomRequest, response: ZoomResponse) -> types.CallToolResult:
    data = response.data
    if data is None:
        text = f"Done: {request.method} {request.path} answered HTTP {response.status} with no content."
        structured: Any = {} if op.output_schema is not None else None
        return types.CallToolResult(content=[types.TextContent(text=text)], structured_content=structured)
    text = compact(data)
    if op.output_schema is None:
        return types.CallToolResult(content=[types.TextContent(text=text)])
    structured = conform(op, data) if isinstance(data, dict) else {"result": data}
    return types.CallToolResult(content=[types.TextContent(text=text)], structured_content=structured)


def conform(op: Operation, data: dict[str, Any]) -> dict[str, Any]:
    """Return data that satisfies the published output schema, whatever Zoom sent.

    The lenient schema accepts every answer seen so far; should Zoom send something new,
    the offending values are left out of the structured copy (the text keeps them all) rather
    than make the client reject the whole result.
    """
    from zoom_mcp.api.validate import problems_in, validator_for  # late: jsonschema loads at the first call

    schema = op.output_schema
    assert schema is not None
    if not problems_in(schema, data):
        return data
    validator = validator_for(schema)
    errors = list(validator.iter_errors(data))
    repaired = json.loads(json.dumps(data))
    dropped = 0
    while errors and dropped < 1000:
        for error in errors:
            _drop(repaired, list(error.absolute_path))
            dropped += 1
        errors = list(validator.iter_errors(repaired))
    if errors:
        repaired = {}
    log.warning(
        "%s: Zoom's answer broke the published output schema; %d value(s) left out of structured content",
        op.name,
        dropped,
    )
    return repaired


def _drop(document: Any, path: list[Any]) -> None:
    if not path:
        document.clear() if isinstance(document, dict) else None
        return
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if isinstance(parent, dict):
        parent.pop(last, None)
    elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        parent[last] = None
