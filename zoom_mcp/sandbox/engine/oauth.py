"""Zoom's OAuth in the sandbox: the token endpoint, the user consent page, and checking bearer tokens.

`POST /oauth/token` serves the Server-to-Server `account_credentials` grant and the user grants.
So `zoom-mcp login` runs end to end without Zoom: `GET /oauth/authorize` approves at once as the
account owner and redirects to the loopback `redirect_uri` with a code; the token endpoint
exchanges it (checking the PKCE verifier and the redirect URI) and rotates refresh tokens, as
Zoom does, so a refresh token works once. Token expiry follows the sandbox's clock.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from zoom_mcp.api import Operation
from zoom_mcp.api.scopes import authorized as scopes_allow
from zoom_mcp.sandbox.identity import STATIC_TOKEN

if TYPE_CHECKING:
    from zoom_mcp.sandbox.sandbox import Sandbox

CODE_LIFETIME = 300.0
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass
class UserOAuthState:
    """Authorization codes handed out and not yet exchanged, and the refresh tokens still valid."""

    codes: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> challenge, redirect_uri, expiry
    refresh_tokens: set[str] = field(default_factory=set)
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
    """The consent page: a redirect back with a code, or a 400 saying what is wrong."""
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
    if problems:
        return 400, {"error": "invalid_request", "reason": "; ".join(problems)}, {}
    code = secrets.token_urlsafe(24)
    state.codes[code] = {
        "challenge": query["code_challenge"],
        "redirect_uri": redirect,
        "expires": sandbox.clock.time() + CODE_LIFETIME,
    }
    state.authorizations += 1
    back = {"code": code, **({"state": query["state"]} if "state" in query else {})}
    return 302, None, {"Location": f"{redirect}{'&' if parts.query else '?'}{urlencode(back)}"}


def user_grant(sandbox: Sandbox, state: UserOAuthState, form: dict[str, str]) -> tuple[int, Any]:
    """`authorization_code` and `refresh_token` grants (the client is already authenticated)."""
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
    else:
        old = form.get("refresh_token", "")
        if old not in state.refresh_tokens:
            return 400, {"error": "invalid_grant", "reason": "Invalid Token!"}
        state.refresh_tokens.discard(old)  # rotated: a refresh token works once
    access = secrets.token_urlsafe(24)
    sandbox.tokens[access] = sandbox.clock.time() + sandbox.token_lifetime
    refresh = secrets.token_urlsafe(32)
    state.refresh_tokens.add(refresh)
    return 200, {
        "access_token": access,
        "token_type": "bearer",
        "refresh_token": refresh,
        "expires_in": sandbox.token_lifetime,
        "scope": " ".join(sorted(sandbox.granted_scopes())),
        "api_url": "https://api.zoom.us",
    }


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
