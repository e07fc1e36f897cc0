"""Zoom's OAuth in the sandbox: the token endpoint, the user consent page, who a token belongs to.

`POST /oauth/token` serves the Server-to-Server `account_credentials` grant and the user grants.
So `zoom-mcp login` and the per-person sign-ins of `--auth oauth` run end to end without Zoom:
`GET /oauth/authorize` is the sign-in page, where the person picks which of the account's users they
are (`sandbox_user`, a link per user); it redirects to the loopback `redirect_uri` with a code. The
token endpoint exchanges it (checking the PKCE verifier and the redirect URI) for tokens of that user,
with that user's scopes (`fixtures.people.USER_SCOPES`), and rotates refresh tokens, as Zoom does, so
a refresh token works once. `GET /v2/users/me` says whose token it is. Token expiry follows the
sandbox's clock.
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from zoom_mcp.api import Operation
from zoom_mcp.api.scopes import authorized as scopes_allow
from zoom_mcp.sandbox.fixtures.people import ROLES, USER_SCOPES
from zoom_mcp.sandbox.identity import STATIC_TOKEN

if TYPE_CHECKING:
    from zoom_mcp.sandbox.sandbox import Sandbox

CODE_LIFETIME = 300.0
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass
class UserOAuthState:
    """Authorization codes handed out and not yet exchanged, and the refresh tokens still valid."""

    codes: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> challenge, redirect_uri, user, expiry
    refresh_tokens: set[str] = field(default_factory=set)
    refresh_users: dict[str, str] = field(default_factory=dict)  # refresh token -> its user (default: the owner)
    authorizations: int = 0


def token_endpoint(
    sandbox: Sandbox, state: UserOAuthState, headers: dict[str, str], query: dict[str, str], body: bytes
) -> tuple[int, Any]:
    """`POST /oauth/token`: the client authenticates with Basic auth; the grant is in the form or the query.

    Zoom documents the Server-to-Server parameters in the query string; clients also form-post them.
    """
    sandbox.token_requests += 1
    creds = sandbox.credentials
    form = {**query, **dict(parse_qsl(body.decode("utf-8", "replace")))}
    scheme, _, encoded = headers.get("authorization", "").partition(" ")
    try:
        client_id, _, secret = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except ValueError:
        client_id, secret = "", ""
    if scheme.lower() != "basic" or (client_id, secret) != (creds.client_id, creds.client_secret):
        return 401, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
    grant = form.get("grant_type")
    if grant in ("authorization_code", "refresh_token"):
        return user_grant(sandbox, state, form)
    if grant != "account_credentials":
        reason = "Missing grant_type" if not grant else "Unsupported grant_type"
        return 400, {"reason": reason, "error": "invalid_request"}
    if form.get("account_id") != creds.account_id:
        reason = "Missing account_id" if not form.get("account_id") else "Invalid account_id"
        return 400, {"reason": reason, "error": "invalid_request"}
    token = secrets.token_urlsafe(24)
    sandbox.tokens[token] = sandbox.clock.time() + sandbox.token_lifetime
    scopes = sorted(sandbox.granted_scopes())
    if sandbox.scopes is not None:  # only narrowed tokens are checked per call
        sandbox.token_scopes[token] = sandbox.scopes
    return 200, {
        "access_token": token,
        "token_type": "bearer",
        "expires_in": sandbox.token_lifetime,
        "scope": " ".join(scopes),
        "api_url": "https://api.zoom.us",
    }


def authorize(sandbox: Sandbox, state: UserOAuthState, query: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
    """The sign-in page (the person picks a user), then a redirect back with a code; a 400 saying what is wrong."""
    redirect = query.get("redirect_uri", "")
    parts = urlsplit(redirect)
    problems = []
    if query.get("response_type") != "code":
        problems.append("response_type must be code")
    if query.get("client_id") != sandbox.credentials.client_id:
        problems.append("unknown client_id")
    if parts.scheme != "http" or parts.hostname not in LOOPBACK:
        problems.append("redirect_uri must be a loopback http URL in the sandbox")
    if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
        problems.append("PKCE with code_challenge_method=S256 is required")
    user = query.get("sandbox_user")
    if user is not None and user not in sandbox.state.users:
        problems.append("no such sandbox user")
    if problems:
        return 400, {"error": "invalid_request", "reason": "; ".join(problems)}, {}
    if user is None:
        return 200, sign_in_page(sandbox, query), {"Content-Type": "text/html; charset=utf-8"}
    code = secrets.token_urlsafe(24)
    state.codes[code] = {
        "challenge": query["code_challenge"],
        "redirect_uri": redirect,
        "user": user,
        "expires": sandbox.clock.time() + CODE_LIFETIME,
    }
    state.authorizations += 1
    back = {"code": code, **({"state": query["state"]} if "state" in query else {})}
    return 302, None, {"Location": f"{redirect}{'&' if parts.query else '?'}{urlencode(back)}"}


def sign_in_page(sandbox: Sandbox, query: dict[str, str]) -> bytes:
    """Zoom's sign-in, as the sandbox has it: one link per user of the account, each with what it may do."""
    rows = []
    for user in sandbox.state.users.values():
        scopes = USER_SCOPES.get(user["id"])
        what = "every scope" if scopes is None else ", ".join(scopes)
        link = "?" + urlencode({**query, "sandbox_user": user["id"]})
        name = html.escape(f"{user['first_name']} {user['last_name']}")
        rows.append(
            f"<li><a id='as-{html.escape(user['id'])}' href='{html.escape(link)}'>Sign in as {name}</a> "
            f"({html.escape(user['email'])}, {ROLES.get(user['id'], 'Member')}: {html.escape(what)})</li>"
        )
    return (
        "<!doctype html><html lang=en><meta charset=utf-8><title>Zoom sandbox: sign in</title>"
        "<h1>Sign in to the Zoom sandbox</h1><p>Fake Zoom, made-up people: choose who you are.</p>"
        f"<ul>{''.join(rows)}</ul></html>"
    ).encode()


def scopes_of(sandbox: Sandbox, user: str) -> frozenset[str] | None:
    """What a user's own sign-in may do; None: every scope (the owner, unless the sandbox narrowed scopes)."""
    narrowed = USER_SCOPES.get(user)
    if narrowed is None:
        return sandbox.scopes
    return frozenset(narrowed)


def user_grant(sandbox: Sandbox, state: UserOAuthState, form: dict[str, str]) -> tuple[int, Any]:
    """`authorization_code` and `refresh_token` grants (the client is already authenticated)."""
    owner = next(iter(sandbox.state.users), "")
    if form.get("grant_type") == "authorization_code":
        found = state.codes.pop(form.get("code", ""), None)  # single use, even when it fails below
        if found is None or sandbox.clock.time() > found["expires"]:
            return 400, {"error": "invalid_grant", "reason": "Invalid authorization code"}
        if form.get("redirect_uri") != found["redirect_uri"]:
            return 400, {"error": "invalid_grant", "reason": "Redirect URI mismatch"}
        verifier = form.get("code_verifier", "")
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        if not secrets.compare_digest(digest, found["challenge"]):
            return 400, {"error": "invalid_grant", "reason": "Invalid code_verifier"}
        user = str(found.get("user") or owner)
    else:
        old = form.get("refresh_token", "")
        if old not in state.refresh_tokens:
            return 400, {"error": "invalid_grant", "reason": "Invalid Token!"}
        state.refresh_tokens.discard(old)  # rotated: a refresh token works once
        user = state.refresh_users.pop(old, owner)
    access = secrets.token_urlsafe(24)
    sandbox.tokens[access] = sandbox.clock.time() + sandbox.token_lifetime
    sandbox.token_users[access] = user
    scopes = scopes_of(sandbox, user)
    if scopes is not None:
        sandbox.token_scopes[access] = scopes
    refresh = secrets.token_urlsafe(32)
    state.refresh_tokens.add(refresh)
    state.refresh_users[refresh] = user
    return 200, {
        "access_token": access,
        "token_type": "bearer",
        "refresh_token": refresh,
        "expires_in": sandbox.token_lifetime,
        "scope": " ".join(sorted(sandbox.granted_scopes() if scopes is None else scopes)),
        "api_url": "https://api.zoom.us",
    }


def whose(sandbox: Sandbox, headers: dict[str, str]) -> str | None:
    """The user a bearer token was issued to (None: the app's own, Server-to-Server or the static token)."""
    token = headers.get("authorization", "").partition(" ")[2].strip()
    return sandbox.token_users.get(token)


def users_me(sandbox: Sandbox, headers: dict[str, str]) -> tuple[int, Any]:
    """`GET /v2/users/me` (Zoom's Users API; not a Meetings operation): who the token belongs to."""
    if not authorized(sandbox, headers):
        return 401, {"code": 124, "message": "Invalid access token."}
    token = headers.get("authorization", "").partition(" ")[2].strip()
    granted = sandbox.token_scopes.get(token)
    wanted = ("user:read", "user:read:user", "user:read:admin", "user:read:user:admin")
    if granted is not None and granted.isdisjoint(wanted):
        return 400, {"code": 4711, "message": "Invalid access token, does not contain scopes:[user:read:user]."}
    user = sandbox.state.users.get_or_404(whose(sandbox, headers) or "me")
    role = ROLES.get(user["id"], "Member")
    return 200, {**user, "account_id": sandbox.credentials.account_id, "role_name": role, "status": "active"}


def authorized(sandbox: Sandbox, headers: dict[str, str], query_token: str | None = None) -> bool:
    """Whether the request carries a token the sandbox issued and that has not expired (or the static one).

    `query_token` is the `?access_token=` Zoom also accepts on downloads.
    """
    scheme, _, token = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        token = query_token or ""
    token = token.strip()
    if not token:
        return False
    if token == STATIC_TOKEN:
        return True
    expires = sandbox.tokens.get(token)
    return expires is not None and sandbox.clock.time() < expires


def missing_scopes(sandbox: Sandbox, headers: dict[str, str], op: Operation) -> str:
    """The operation's scopes, comma-separated, when the token holds none of them; "" when it may call."""
    token = headers.get("authorization", "").partition(" ")[2].strip()
    granted = sandbox.token_scopes.get(token)
    if granted is None or scopes_allow(op, granted):  # the static token, tokens with every scope
        return ""
    return ", ".join(op.granular_scopes or op.scopes)
