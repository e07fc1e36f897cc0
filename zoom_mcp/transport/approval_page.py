"""The approval page: one page per pending call, with Approve (your passkey) and Deny.

GET shows the preview and never changes anything. Approve asks the browser for a passkey
assertion over the approval's challenge (`navigator.credentials.get`, user verification
required) and posts it with the page's CSRF token and, for the most destructive calls, the
target typed by the person; the server verifies it (`safety.approvals`). Deny posts the CSRF
token only. Both posts must come from the page's own origin, exactly.

Under --auth oauth a decision also needs the browser session of the person whose call it is (the
HttpOnly cookie set when they signed in, which no MCP client ever sees): another browser, or another
person's, sees the preview and a sign-in link, and its posts are refused.

Pages are not cacheable (`Cache-Control: no-store`), cannot be framed, load nothing from
elsewhere and send no referrer (`Referrer-Policy: no-referrer`): the page's one script posts
with `referrerPolicy: 'same-origin'` so that the browser still sends the `Origin` header the
server checks (a plain form post under no-referrer would send `Origin: null`).
"""

from __future__ import annotations

import html
import json
import secrets
from typing import Protocol

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from zoom_mcp.safety.approvals import Approval, Approvals

CSP = (
    "default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem}.call{font-family:ui-monospace,monospace;background:#f3f3f3;padding:.5rem;border-radius:4px}
.consequence{border-left:4px solid #c62828;padding:.5rem 1rem;background:#fff4f4}
pre{background:#f3f3f3;padding:.5rem;overflow:auto}button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem}
.approve{background:#c62828;color:#fff;border:0}.deny{background:#fff;border:1px solid #555}
input[type=text]{font-size:1rem;padding:.3rem;width:100%}.note{color:#555;font-size:.9rem}
.passkey{background:#eef4ff;border-left:4px solid #1a56c4;padding:.5rem 1rem}#status{color:#a01010}
"""
# WebAuthn in the page: base64url <-> bytes, the ceremonies, and the post. Buttons with data-passkey run
# `get` (an assertion from an enrolled passkey) and/or `create` (a new passkey), as the page's options say.
SCRIPT = """
const b64 = s => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), c => c.charCodeAt(0));
const enc = b => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\\+/g, '-').replace(/\\//g, '_')
  .replace(/=+$/, '');
const ids = list => (list || []).map(c => ({...c, id: b64(c.id)}));
function common(c) {
  return {id: c.id, rawId: enc(c.rawId), type: c.type, clientExtensionResults: c.getClientExtensionResults(),
          authenticatorAttachment: c.authenticatorAttachment};
}
async function assertion(o) {
  const c = await navigator.credentials.get(
    {publicKey: {...o, challenge: b64(o.challenge), allowCredentials: ids(o.allowCredentials)}});
  const r = c.response;
  return JSON.stringify({...common(c), response: {clientDataJSON: enc(r.clientDataJSON),
    authenticatorData: enc(r.authenticatorData), signature: enc(r.signature),
    userHandle: r.userHandle ? enc(r.userHandle) : null}});
}
async function attestation(o) {
  const c = await navigator.credentials.create({publicKey: {...o, challenge: b64(o.challenge),
    user: {...o.user, id: b64(o.user.id)}, excludeCredentials: ids(o.excludeCredentials)}});
  const r = c.response;
  return JSON.stringify({...common(c), response: {clientDataJSON: enc(r.clientDataJSON),
    attestationObject: enc(r.attestationObject), transports: r.getTransports ? r.getTransports() : []}});
}
async function post(form, fields) {
  const body = new URLSearchParams(new FormData(form));
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  const answer = await fetch(location.href, {method: 'POST', body, referrerPolicy: 'same-origin'});
  const page = new DOMParser().parseFromString(await answer.text(), 'text/html');
  document.body.replaceWith(document.adoptNode(page.body));
}
document.addEventListener('click', async event => {
  const button = event.target.closest('button[name=decision]');
  if (!button) return;
  event.preventDefault();
  const status = document.getElementById('status');
  const fields = {decision: button.value};
  try {
    if (button.dataset.passkey) {
      const options = JSON.parse(document.getElementById('webauthn').textContent);
      status.textContent = 'Waiting for your passkey...';
      if (options.get) fields.assertion = await assertion(options.get);
      if (options.create) fields.attestation = await attestation(options.create);
    }
    await post(button.form, fields);
  } catch (error) {
    status.textContent = 'No passkey was given (' + error.name + '): nothing was decided. Try again.';
  }
});
"""


class BrowserSession(Protocol):
    """Who a browser is signed in as (`transport.oauth.signin.BrowserSessions`)."""

    async def person_of(self, request: Request) -> str | None: ...

    def sign_in_url(self, next_path: str) -> str: ...


def page(
    title: str,
    body: str,
    status: int = 200,
    *,
    script: bool = True,
    form_action: str = "'self'",
    referrer: str = "no-referrer",
) -> HTMLResponse:
    """A page with the headers above and the one script, allowed by a fresh CSP nonce.

    The sign-in pages (`oauth.signin`) have no script, post plain forms that redirect onward (to Zoom, to
    the client: `form_action` lists those origins, as CSP applies it to the redirect too) and keep the
    referrer on this origin so the browser sends the `Origin` the server checks.
    """
    nonce = secrets.token_urlsafe(16)
    code = f"<script nonce='{nonce}'>{SCRIPT}</script>" if script else ""
    document = (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{html.escape(title)}</title>"
        f"<meta name=viewport content='width=device-width'><style>{STYLE}</style>"
        f"{code}</head><body>{body}</body></html>"
    )
    policy = CSP.format(nonce=nonce).replace("form-action 'self'", f"form-action {form_action}")
    headers = {**HEADERS, "Referrer-Policy": referrer, "Content-Security-Policy": policy}
    return HTMLResponse(document, status_code=status, headers=headers)


def webauthn_data(options: dict[str, str]) -> str:
    """The ceremonies' options for the script, as a data block (never executed; `<` escaped)."""
    data = json.dumps({name: json.loads(text) for name, text in options.items()}).replace("<", "\\u003c")
    return f"<script type=application/json id=webauthn>{data}</script>"


def same_origin(request: Request, origin: str) -> bool:
    """The post came from the page itself: `Origin` is exactly the pages' origin and, where the browser
    says, the fetch was same-origin. Defence in depth: a non-browser client sets these as it likes."""
    if request.headers.get("origin") != origin:
        return False
    return request.headers.get("sec-fetch-site", "same-origin") == "same-origin"


def not_found() -> HTMLResponse:
    return page("Not found", "<h1>No such page</h1><p>The link is wrong, used or expired.</p>", 404)


def refused_page() -> HTMLResponse:
    return page("Refused", "<h1>Refused</h1><p>Decisions come from this page only.</p>", 403)


def _preview(approval: Approval) -> str:
    p = approval.preview
    arguments = html.escape(json.dumps(p.arguments, indent=2, ensure_ascii=False, default=str))
    return (
        f"<p class=call id=call>{html.escape(p.tool)}: {html.escape(p.call)}</p>"
        f"<p class=consequence id=consequence>{html.escape(p.consequence)}</p>"
        f"<details><summary>Arguments</summary><pre id=arguments>{arguments}</pre></details>"
    )


def _form(approvals: Approvals, approval: Approval, problem: str = "") -> str:
    typed = ""
    if approval.type_to_confirm is not None:
        target = html.escape(approval.type_to_confirm)
        typed = (
            f"<p><label for=typed>To approve, type <b id=target>{target}</b>:</label>"
            "<input type=text id=typed name=typed autocomplete=off></p>"
        )
    error = f"<p id=problem role=alert>{html.escape(problem)}</p>" if problem else ""
    return (
        f"<form method=post>{error}{typed}"
        f"<input type=hidden name=csrf value='{html.escape(approval.csrf)}'>"
        "<p class=passkey id=passkey-step>Approving takes <b>your passkey</b>: your browser will ask for it "
        "(fingerprint, face, PIN or security key). Your assistant cannot give it.</p>"
        "<button class=approve id=approve name=decision value=approve data-passkey=1>Approve with passkey</button>"
        "<button class=deny id=deny name=decision value=deny>Deny</button></form>"
        "<p id=status role=status></p>"
        + webauthn_data({"get": approvals.request_options(approval)})
        + "<p class=note>Denying needs no passkey: it sends nothing. This page expires in a few minutes.</p>"
    )


def _sign_in_first(sessions: BrowserSession, approval: Approval) -> str:
    link = html.escape(sessions.sign_in_url(f"/approvals/{approval.id}"))
    return (
        "<p id=session-needed role=alert>Deciding needs this browser signed in to zoom-mcp as the person who made "
        f"this call{' (' + html.escape(approval.email) + ')' if approval.email else ''}. "
        f"<a id=sign-in href='{link}'>Sign in with Zoom</a>, then decide here.</p>"
    )


def routes(approvals: Approvals, sessions: BrowserSession | None = None) -> list[Route]:
    """The pages; with `sessions` (--auth oauth), deciding also takes the call's person's browser session."""

    def origin() -> str:
        assert approvals.rp is not None, "the pages are served before any approval exists"
        return approvals.rp.origin

    async def signed_in(request: Request, approval: Approval) -> bool:
        return sessions is None or (
            approval.person is not None and await sessions.person_of(request) == approval.person
        )

    async def show(request: Request) -> HTMLResponse:
        approval = await approvals.get(request.path_params["approval_id"])
        if approval is None:
            return not_found()
        approvals.audit.record("approval_viewed", **approval.audit_fields)
        body = "<h1>Approve this Zoom call?</h1>" + _preview(approval)
        if approval.state != "pending":
            body += f"<p id=state>This approval is {html.escape(approval.state)}.</p>"
        elif sessions is not None and not await signed_in(request, approval):
            body += _sign_in_first(sessions, approval)
        else:
            body += _form(approvals, approval)
        return page("Approve a Zoom call", body)

    async def decide(request: Request) -> HTMLResponse:
        approval = await approvals.get(request.path_params["approval_id"])
        if approval is None:
            return not_found()
        if not same_origin(request, origin()):
            approvals.audit.record("approval_rejected", **approval.audit_fields, reason="origin")
            return refused_page()
        if sessions is not None and not await signed_in(request, approval):
            approvals.audit.record("approval_rejected", **approval.audit_fields, reason="browser session")
            body = "<h1>Approve this Zoom call?</h1>" + _preview(approval) + _sign_in_first(sessions, approval)
            return page("Approve a Zoom call", body, 403)
        form = await request.form()
        ok, message = await approvals.decide(
            approval.id,
            str(form.get("csrf", "")),
            str(form.get("decision", "")),
            str(form.get("typed", "")),
            str(form.get("assertion", "")),
        )
        if not ok:
            status = 403 if "form is not the one" in message or "passkey" in message else 400
            body = "<h1>Approve this Zoom call?</h1>" + _preview(approval)
            pending = approval.state == "pending"
            body += _form(approvals, approval, message) if pending else f"<p id=state>{html.escape(message)}</p>"
            return page("Approve a Zoom call", body, status)
        return page("Decided", f"<h1 id=outcome>{html.escape(message)}</h1>" + _preview(approval))

    return [
        Route("/approvals/{approval_id}", show, methods=["GET"]),
        Route("/approvals/{approval_id}", decide, methods=["POST"]),
    ]
