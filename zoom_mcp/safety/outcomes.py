"""Results the safety layer returns instead of a Zoom answer, shared by the token and approval gates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp_types.version import is_version_at_least

from zoom_mcp.api import Operation
from zoom_mcp.errors import Refused, TokenRefused
from zoom_mcp.safety.preview import Preview


@dataclass(frozen=True)
class Proceed:
    """The call may run: how it was confirmed, and the approval it spends (--confirm human), by its ref."""

    via: str
    approval_ref: str | None = None


@dataclass(frozen=True)
class Stop:
    """Return this to the client instead of calling Zoom."""

    result: types.CallToolResult | types.InputRequiredResult


def input_required_era(ctx: ServerRequestContext[Any]) -> bool:
    return bool(ctx.protocol_version) and is_version_at_least(ctx.protocol_version, "2026-07-28")


def text_result(text: str, structured: dict[str, Any], *, error: bool = False) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(text=text)], structured_content=structured, is_error=error)


def not_done(op: Operation, preview: Preview, outcome: str) -> types.CallToolResult:
    text = f"Nothing was done: the user {outcome} {op.name} ({preview.call})."
    return text_result(text, {"status": outcome, "message": text})


def refused(op: Operation, reason: str) -> Refused:
    """The error a refused gated call raises; the server turns it into the tool error."""
    return TokenRefused(f"Refused {op.name}, nothing was sent to Zoom: {reason}.")
