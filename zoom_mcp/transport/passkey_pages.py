"""The one-time pages of `zoom-mcp approvals enroll` and `remove`: a button that asks the browser for
a passkey (an enrolled one first where needed, then the new one) and posts the result. Same headers,
script and same-origin check as the approval page."""

from __future__ import annotations

import html
import secrets

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from zoom_mcp.errors import PasskeyRefused
from zoom_mcp.safety.enrollment import Ceremony
from zoom_mcp.safety.passkeys import short_id
from zoom_mcp.transport.approval_page import not_found, page, refused_page, same_origin, webauthn_data

TITLES = {"enroll": "Enrol a passkey for zoom-mcp approvals", "remove": "Remove a passkey from zoom-mcp approvals"}


def _body(ceremony: Ceremony, problem: str = "") -> str:
    rp = html.escape(ceremony.rp.rp_id)
    if ceremony.kind == "enroll":
        what = (
            f"<p id=what>The new passkey will approve zoom-mcp calls on pages at <b>{rp}</b>. "
            "It stays on your device or security key; the server keeps only its public key.</p>"
        )
        button = "Create passkey"
    else:
        target = ceremony.target
        assert target is not None
        what = f"<p id=what>Remove passkey <b>{html.escape(short_id(target.id))}</b> ({html.escape(target.name)}).</p>"
        button = "Remove with passkey"
    first = (
        "<p class=passkey>First confirm with a passkey that is already enrolled; then your browser asks for the "
        "new one.</p>"
        if ceremony.needs_authorization and ceremony.kind == "enroll"
        else ""
    )
    error = f"<p id=problem role=alert>{html.escape(problem)}</p>" if problem else ""
    return (
        f"<h1>{TITLES[ceremony.kind]}</h1>{what}{first}<form method=post>{error}"
        f"<input type=hidden name=csrf value='{html.escape(ceremony.csrf)}'>"
        f"<button class=approve id=go name=decision value=go data-passkey=1>{button}</button></form>"
        "<p id=status role=status></p>" + webauthn_data(ceremony.options())
    )


def routes(holder: list[Ceremony]) -> list[Route]:
    """`holder` has the command's one ceremony (it is made once the port is known)."""

    def current(request: Request) -> Ceremony | None:
        token = request.path_params["token"]
        found = holder[0] if holder else None
        if found is None or found.kind != request.path_params["kind"] or found.outcome is not None:
            return None
        return found if secrets.compare_digest(token.encode(), found.token.encode()) else None

    async def show(request: Request) -> HTMLResponse:
        ceremony = current(request)
        return not_found() if ceremony is None else page(TITLES[ceremony.kind], _body(ceremony))

    async def post(request: Request) -> HTMLResponse:
        ceremony = current(request)
        if ceremony is None:
            return not_found()
        if not same_origin(request, ceremony.rp.origin):
            return refused_page()
        form = await request.form()
        try:
            outcome = ceremony.complete(
                str(form.get("csrf", "")), str(form.get("assertion", "")), str(form.get("attestation", ""))
            )
        except PasskeyRefused as exc:
            return page(TITLES[ceremony.kind], _body(ceremony, f"Nothing was changed: {exc}."), 403)
        return page("Done", f"<h1 id=outcome>{html.escape(outcome)}</h1><p>You can close this page.</p>")

    return [
        Route("/{kind}/{token}", show, methods=["GET"]),
        Route("/{kind}/{token}", post, methods=["POST"]),
    ]
