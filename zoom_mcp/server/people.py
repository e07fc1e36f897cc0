"""Who a request is from: under `--auth oauth`, the person the bearer token was issued to.

The bearer middleware (`transport.oauth`) verified the token and put it on the HTTP request; the
request the SDK hands each handler (`ctx.request`) carries it. `caller` turns it into the `Person` the
call runs as (their Zoom user ID and e-mail, what their Zoom grant allows, whether their sign-in allows
changes); `ZoomServer` runs each handler inside `acting_as(caller)`, so the shared client sends that
person's Zoom token, the audit log names them, and their own index, confirmations and approvals apply.
"""

from __future__ import annotations

from typing import Any

from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.context import ServerRequestContext

from zoom_mcp.client import ZoomClient
from zoom_mcp.client.people import PeopleAuth, Person
from zoom_mcp.inventory.inventories import WRITE_SCOPE


def bearer_user(ctx: ServerRequestContext[Any] | None) -> AuthenticatedUser | None:
    request = getattr(ctx, "request", None)
    scope = getattr(request, "scope", None)
    user = scope.get("user") if scope is not None and hasattr(scope, "get") else None
    return user if isinstance(user, AuthenticatedUser) else None


async def caller(ctx: ServerRequestContext[Any] | None, client: ZoomClient) -> Person | None:
    """The person this request is from; None when it carries no token of ours (stdio, the static token)."""
    user = bearer_user(ctx)
    token = user.access_token if user is not None else None
    if token is None or not token.subject:
        return None
    scopes = await client.auth.scopes(token.subject) if isinstance(client.auth, PeopleAuth) else None
    email = str(getattr(token, "email", "") or "")
    return Person(token.subject, email, scopes, may_write=WRITE_SCOPE in token.scopes)
