"""The pages between an MCP client's /authorize and its code: our consent page, Zoom's, and the way back.

    client -> /authorize (SDK) -> /oauth/consent (ours: names the client, asks the person)
           -> Zoom's consent page (the General app; PKCE and state towards Zoom too)
           -> /oauth/zoom/callback (code exchanged, GET /users/me: who it is; the person's one grant kept)
           -> the client's redirect URI with our code (never Zoom's)

The spec asks a proxy with one upstream client ID to get consent per client: the consent page names
the client (its name, its client ID: for a metadata document the URL's host, for a registered client
"registered itself here"), where the browser goes back to, and what it may do. A person already signed in
here (the browser session below) may allow without going to Zoom again, which keeps their one Zoom grant
(Zoom revokes a person's earlier tokens when they authorize again); "another Zoom account" goes to Zoom.

Cookies, set only on this server's own pages, never in anything an MCP client receives:
- the browser session (`__Host-zoom-mcp-session`): set when the person comes back from Zoom, and what
  the approval pages (`--confirm human`) check besides the passkey;
- the sign-in binding (`__Host-zoom-mcp-signin`): set when the browser leaves for Zoom, checked when it
  comes back, so a Zoom callback started in another browser (a login CSRF) is refused.
Both are Secure, HttpOnly, SameSite=Lax, Path=/, hold a random value whose SHA-256 names the record.
Posts must come from our own page (exact `Origin`, the form's CSRF token).
"""

from __future__ import annotations

import html
import logging
import re
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from mcp.client.auth.oauth2 import PKCEParameters
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from zoom_mcp.client import ZoomClient
from zoom_mcp.client.people import GrantStore
from zoom_mcp.client.store import Records, digest
from zoom_mcp.errors import LoginError
from zoom_mcp.transport.approval_page import page, same_origin
from zoom_mcp.transport.oauth.issuer import CONSENT_PATH, READ, WRITE, Issuer

log = logging.getLogger(__name__)

SESSION_COOKIE = "__Host-zoom-mcp-session"
FLOW_COOKIE = "__Host-zoom-mcp-signin"
CALLBACK_PATH = "/oauth/zoom/callback"
SIGNIN_PATH = "/oauth/signin"
NEXT = re.compile(r"/approvals/[A-Za-z0-9_-]{1,100}")  # where a browser-only sign-in may return to
SCOPE_TEXT = {
    READ: "read your meetings, recordings, transcripts, summaries and reports",
    WRITE: "make changes in your Zoom account: create, update and delete (each destructive call still "
    "asks you to confirm it)",
}


@dataclass(frozen=True)
class ZoomApp:
    """The General (user-managed) app people sign in to Zoom with."""

    authorize_url: str
    client_id: str


class BrowserSessions:
    """Who a browser is signed in as: the session cookie's record."""

    def __init__(self, records: Records, ttl: float) -> None:
        self.records = records
        self.ttl = ttl

    async def start(self, person: str, email: str) -> str:
        value = secrets.token_urlsafe(32)
        await self.records.put("session", digest(value), {"person": person, "email": email}, self.ttl)
        return value

    async def of(self, request: Request) -> tuple[str, str] | None:
        """(Zoom user ID, e-mail) of the person this browser is signed in as, or None."""
        value = request.cookies.get(SESSION_COOKIE, "")
        if not value:
            return None
        found = await self.records.get("session", digest(value))
        return (found["person"], found["email"]) if found else None

    async def person_of(self, request: Request) -> str | None:
        found = await self.of(request)
        return found[0] if found else None

    def sign_in_url(self, next_path: str) -> str:
        return f"{SIGNIN_PATH}?{urlencode({'next': next_path})}"


def _cookie(response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", secure=True, httponly=True, samesite="lax")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        return f"{parts.scheme}://{parts.netloc}"
    return f"{parts.scheme}:"


class SignIn:
    """The consent page, the trip to Zoom and back, and the browser-only sign-in of the approval pages."""

    def __init__(
        self, issuer: Issuer, client: ZoomClient, grants: GrantStore, sessions: BrowserSessions, zoom: ZoomApp
    ) -> None:
        self.issuer = issuer
        self.records = issuer.records
        self.client = client
        self.grants = grants
        self.sessions = sessions
        self.zoom = zoom
        self.base = issuer.config.base_url
        self.flow_ttl = issuer.config.flow_ttl

    def routes(self) -> list[Route]:
        return [
            Route(CONSENT_PATH, self.show_consent, methods=["GET"]),
            Route(CONSENT_PATH, self.decide, methods=["POST"]),
            Route(CALLBACK_PATH, self.callback, methods=["GET"]),
            Route(SIGNIN_PATH, self.browser_sign_in, methods=["GET"]),
        ]

    # --- our consent page ---------------------------------------------------------------------------------

    async def show_consent(self, request: Request) -> Response:
        pending_id = request.query_params.get("request", "")
        pending = await self.records.get("pending", pending_id) if pending_id else None
        if pending is None:
            return _problem("This sign-in link has expired or was already used. Start again from your MCP client.")
        signed_in = await self._signed_in(request)
        return self._consent_page(pending_id, pending, signed_in)

    def _consent_page(self, pending_id: str, pending: dict[str, Any], signed_in: tuple[str, str] | None) -> Response:
        name = pending["client_name"] or "An MCP client"
        if pending["cimd"]:
            who = f"client ID <code id=client-id>{html.escape(pending['client_id'])}</code> (published at " + (
                f"<b id=client-host>{html.escape(urlsplit(pending['client_id']).hostname or '')}</b>)"
            )
        else:
            who = "a client that registered itself with this server (its name is its own claim)"
        back = _origin(pending["redirect_uri"])
        scopes = pending["scopes"]
        rows = f"<li>{SCOPE_TEXT[READ]}</li>"
        if WRITE in scopes:
            rows += (
                f"<li><label><input type=checkbox name=write id=write value=1 checked> {SCOPE_TEXT[WRITE]}</label></li>"
            )
        if signed_in is not None:
            account = (
                f"<p id=signed-in>You are signed in to this server as <b>{html.escape(signed_in[1])}</b>.</p>"
                "<button id=allow name=choice value=allow>Allow</button>"
                "<button id=zoom name=choice value=zoom>Use another Zoom account</button>"
            )
        else:
            account = "<button id=zoom name=choice value=zoom>Continue to Zoom</button>"
        body = (
            f"<h1>Connect <span id=client-name>{html.escape(name)}</span> to Zoom?</h1>"
            f"<p>{who} asks to use your Zoom account through zoom-mcp at <b>{html.escape(self.base)}</b>, as you."
            f" Afterwards your browser goes back to <b id=redirect>{html.escape(back)}</b>.</p>"
            f"<form method=post action='{CONSENT_PATH}'><p>It may:</p><ul>{rows}</ul>"
            f"<input type=hidden name=request value='{html.escape(pending_id)}'>"
            f"<input type=hidden name=csrf value='{html.escape(pending['csrf'])}'>"
            f"{account}<button id=deny name=choice value=deny>Cancel</button></form>"
            "<p class=note>Only allow clients you started connecting yourself.</p>"
        )
        actions = " ".join(dict.fromkeys(["'self'", _origin(self.zoom.authorize_url), back]))
        return page("Connect to Zoom", body, script=False, form_action=actions, referrer="same-origin")

    async def decide(self, request: Request) -> Response:
        form = await request.form()
        pending_id = str(form.get("request", ""))
        pending = await self.records.get("pending", pending_id) if pending_id else None
        if pending is None:
            return _problem("This sign-in link has expired or was already used. Start again from your MCP client.")
        if not same_origin(request, _origin(self.base)) or not secrets.compare_digest(
            str(form.get("csrf", "")).encode(), str(pending["csrf"]).encode()
        ):
            return _problem("Decisions come from this server's own consent page only.", 403)
        choice = str(form.get("choice", ""))
        scopes = [READ, *([WRITE] if WRITE in pending["scopes"] and form.get("write") else [])]
        if choice == "deny":
            await self.records.delete("pending", pending_id)
            return _redirect(self.issuer.redirect_back(pending, error="access_denied"))
        if choice == "allow":
            signed_in = await self._signed_in(request)
            if signed_in is None:
                return self._consent_page(pending_id, pending, None)
            if await self.records.take("pending", pending_id) is None:
                return _problem("This sign-in was already completed.")
            return _redirect(await self.issuer.issue_code(pending, signed_in[0], signed_in[1], scopes))
        if choice != "zoom":
            return _problem("Choose Allow, Continue to Zoom or Cancel.")
        await self.records.put("pending", pending_id, {**pending, "granted": scopes}, self.flow_ttl)
        return await self._to_zoom(pending_id, None)

    async def _signed_in(self, request: Request) -> tuple[str, str] | None:
        """The browser's session, when its person still has a Zoom grant here."""
        found = await self.sessions.of(request)
        if found is None or await self.grants.load(found[0]) is None:
            return None
        return found

    # --- to Zoom and back ------------------------------------------------------------------------------------

    async def _to_zoom(self, pending_id: str | None, next_path: str | None) -> Response:
        pkce = PKCEParameters.generate()
        state, binding = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        flow = {"pending": pending_id, "next": next_path, "verifier": pkce.code_verifier, "binding": digest(binding)}
        await self.records.put("zoom-flow", digest(state), flow, self.flow_ttl)
        query = {
            "response_type": "code",
            "client_id": self.zoom.client_id,
            "redirect_uri": self.base + CALLBACK_PATH,
            "state": state,
            "code_challenge": pkce.code_challenge,
            "code_challenge_method": "S256",
        }
        response = _redirect(f"{self.zoom.authorize_url}?{urlencode(query)}")
        _cookie(response, FLOW_COOKIE, binding, int(self.flow_ttl))
        return response

    async def callback(self, request: Request) -> Response:
        state = request.query_params.get("state", "")
        flow = await self.records.take("zoom-flow", digest(state)) if state else None
        if flow is None:
            return _problem("This sign-in was not started here, or it expired. Start again from your MCP client.")
        binding = request.cookies.get(FLOW_COOKIE, "")
        if not secrets.compare_digest(digest(binding).encode(), str(flow["binding"]).encode()):
            return _problem("This sign-in was started in another browser; nothing was signed in.", 403)
        pending = await self.records.take("pending", flow["pending"]) if flow["pending"] else None
        if flow["pending"] and pending is None:
            return _problem("This sign-in has expired. Start again from your MCP client.")
        if "error" in request.query_params or not request.query_params.get("code"):
            if pending is not None:
                return _clear(_redirect(self.issuer.redirect_back(pending, error="access_denied")))
            return _clear(_problem("Zoom did not sign you in; nothing changed."))
        try:
            person = await self.client.sign_in(
                request.query_params["code"], self.base + CALLBACK_PATH, str(flow["verifier"])
            )
        except LoginError as exc:
            log.warning("a sign-in failed: %s", exc)
            if pending is not None:
                answer = self.issuer.redirect_back(pending, error="server_error", error_description=str(exc))
                return _clear(_redirect(answer))
            return _clear(_problem(str(exc)))
        session = await self.sessions.start(person.id, person.email)
        if pending is not None:
            scopes = pending.get("granted") or [READ]
            response = _redirect(await self.issuer.issue_code(pending, person.id, person.email, scopes))
        else:
            response = _redirect(self.base + str(flow["next"]))
        _cookie(response, SESSION_COOKIE, session, int(self.sessions.ttl))
        return _clear(response)

    async def browser_sign_in(self, request: Request) -> Response:
        """A sign-in for this browser only (no client gets a token): the approval pages send people here."""
        next_path = request.query_params.get("next", "")
        if not NEXT.fullmatch(next_path):
            return _problem("Nothing to sign in for.")
        return await self._to_zoom(None, next_path)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=302, headers={"Cache-Control": "no-store"})


def _clear(response: Response) -> Response:
    response.delete_cookie(FLOW_COOKIE, path="/", secure=True, httponly=True, samesite="lax")
    return response


def _problem(text: str, status: int = 400) -> HTMLResponse:
    return page("Sign-in", f"<h1>Sign-in</h1><p id=problem>{html.escape(text)}</p>", status, script=False)
