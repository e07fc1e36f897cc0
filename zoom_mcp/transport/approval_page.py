"""The approval page: one page per pending call, with Approve and Deny.

GET shows the preview and never changes anything. A decision is a same-origin POST carrying the
page's CSRF token (and, for the most destructive calls, the target typed by the person). Pages
are not cacheable, cannot be framed, load nothing from elsewhere and send no referrer elsewhere.
"""

from __future__ import annotations

import html
import json
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from zoom_mcp.safety.approvals import Approval, Approvals

HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    # same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on the form POST.
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem}.call{font-family:ui-monospace,monospace;background:#f3f3f3;padding:.5rem;border-radius:4px}
.consequence{border-left:4px solid #c62828;padding:.5rem 1rem;background:#fff4f4}
pre{background:#f3f3f3;padding:.5rem;overflow:auto}button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem}
.approve{background:#c62828;color:#fff;border:0}.deny{background:#fff;border:1px solid #555}
input[type=text]{font-size:1rem;padding:.3rem;width:100%}.note{color:#555;font-size:.9rem}
"""


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    document = (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{html.escape(title)}</title>"
        f"<meta name=viewport content='width=device-width'><style>{STYLE}</style></head><body>{body}</body></html>"
    )
    return HTMLResponse(document, status_code=status, headers=HEADERS)


def _not_found() -> HTMLResponse:
    return _page("Not found", "<h1>No such approval</h1><p>The link is wrong, used or expired.</p>", 404)


def _preview(approval: Approval) -> str:
    p = approval.preview
    arguments = html.escape(json.dumps(p.arguments, indent=2, ensure_ascii=False, default=str))
    return (
        f"<p class=call id=call>{html.escape(p.tool)}: {html.escape(p.call)}</p>"
        f"<p class=consequence id=consequence>{html.escape(p.consequence)}</p>"
        f"<details><summary>Arguments</summary><pre id=arguments>{arguments}</pre></details>"
    )


def _form(approval: Approval, problem: str = "") -> str:
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
        "<button class=approve id=approve name=decision value=approve>Approve</button>"
        "<button class=deny id=deny name=decision value=deny>Deny</button></form>"
        "<p class=note>Only you can approve this: your assistant cannot. It expires in a few minutes.</p>"
    )


def routes(approvals: Approvals) -> list[Route]:
    async def show(request: Request) -> HTMLResponse:
        approval = approvals.get(request.path_params["approval_id"])
        if approval is None:
            return _not_found()
        approvals.audit.record("approval_viewed", **approval.audit_fields, approval_id=approval.id)
        body = "<h1>Approve this Zoom call?</h1>" + _preview(approval)
        if approval.state == "pending":
            body += _form(approval)
        else:
            body += f"<p id=state>This approval is {html.escape(approval.state)}.</p>"
        return _page("Approve a Zoom call", body)

    async def decide(request: Request) -> HTMLResponse:
        approval = approvals.get(request.path_params["approval_id"])
        if approval is None:
            return _not_found()
        if not _same_origin(request):
            fields = approval.audit_fields
            approvals.audit.record("approval_rejected", **fields, approval_id=approval.id, reason="origin")
            return _page("Refused", "<h1>Refused</h1><p>Decisions come from this page only.</p>", 403)
        form = await request.form()
        ok, message = approvals.decide(
            approval.id, str(form.get("csrf", "")), str(form.get("decision", "")), str(form.get("typed", ""))
        )
        if not ok:
            status = 403 if "form is not the one" in message else 400
            body = "<h1>Approve this Zoom call?</h1>" + _preview(approval)
            pending = approval.state == "pending"
            body += _form(approval, message) if pending else f"<p id=state>{html.escape(message)}</p>"
            return _page("Approve a Zoom call", body, status)
        return _page("Decided", f"<h1 id=outcome>{html.escape(message)}</h1>" + _preview(approval))

    return [
        Route("/approvals/{approval_id}", show, methods=["GET"]),
        Route("/approvals/{approval_id}", decide, methods=["POST"]),
    ]


def _same_origin(request: Request) -> bool:
    """Browsers send Origin on form POSTs; it must be this page's own origin."""
    origin = request.headers.get("origin")
    if not origin:
        return False
    if request.headers.get("sec-fetch-site", "same-origin") != "same-origin":
        return False  # a browser saying the form came from another site
    parts = urlsplit(origin)
    return parts.netloc == request.headers.get("host", "") and parts.scheme in ("http", "https")
