"""Zoom's user OAuth in the sandbox: the consent page and the code and refresh-token grants.

So `zoom-mcp login` runs end to end without Zoom: `GET /oauth/authorize` approves at once as the
account owner and redirects to the loopback `redirect_uri` with a code; `POST /oauth/token`
exchanges it (checking the PKCE verifier and the redirect URI) and rotates refresh tokens, as
Zoom does, so a refresh token works once.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

if TYPE_CHECKING:
    from zoom_mcp.sandbox import Sandbox

CODE_LIFETIME = 300.0
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass
class UserOAuthState:
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> challenge, redirect_uri, expiry
    refresh_tokens: set[str] = field(default_factory=set)
    authorizations: int = 0


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
        "expires": sandbox.clock() + CODE_LIFETIME,
    }
    state.authorizations += 1
    back = {"code": code, **({"state": query["state"]} if "state" in query else {})}
    return 302, None, {"Location": f"{redirect}{'&' if parts.query else '?'}{urlencode(back)}"}


def user_grant(sandbox: Sandbox, state: UserOAuthState, form: dict[str, str]) -> tuple[int, Any]:
    """`authorization_code` and `refresh_token` grants (the client is already authenticated)."""
    if form.get("grant_type") == "authorization_code":
        found = state.codes.pop(form.get("code", ""), None)  # single use, even when it fails below
        if found is None or sandbox.clock() > found["expires"]:
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
    sandbox.tokens[access] = sandbox.clock() + sandbox.token_lifetime
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
