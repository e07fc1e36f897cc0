"""Who is calling, and how to tell them about progress: the parts of a request context we use."""

from __future__ import annotations

import hashlib
from typing import Any

from mcp.server.context import ServerRequestContext

from zoom_mcp.client.paginate import Progress
from zoom_mcp.server.people import bearer_user


def client_identity(ctx: ServerRequestContext[Any] | None) -> str:
    """Who a confirmation token, an approval or a dynamic toolset belongs to, so another client cannot use it.

    Over HTTP: the MCP session (streamable HTTP's Mcp-Session-Id, SSE's session_id); without a
    session (stateless mode), the credential the client presents. Under --auth oauth, the person and
    their session (stateless: their client), so nothing of one person's is another's. On stdio there
    is one client.
    """
    request = getattr(ctx, "request", None)
    headers = getattr(request, "headers", None)
    if headers is None:
        return ""
    query = getattr(request, "query_params", {})
    session = headers.get("mcp-session-id") or query.get("session_id")
    user = bearer_user(ctx)
    if user is not None and user.access_token.subject:
        basis = f"{user.access_token.subject}\0{session or user.access_token.client_id}"
    else:
        basis = session or headers.get("authorization") or ""
    return hashlib.sha256(basis.encode()).hexdigest()[:32] if basis else ""


def progress_reporter(ctx: ServerRequestContext[Any] | None) -> Progress:
    """Progress notifications for the caller, when it asked for them (a no-op otherwise)."""

    async def report(progress: float, total: float | None, message: str | None) -> None:
        if ctx is not None:
            await ctx.session.report_progress(progress, total, message)

    return report
