"""`--confirm human`: a gated call runs only after a person approved that exact call on the page.

Approving takes the person's passkey (see `passkeys`), which the model does not hold: knowing the
page's address is not enough to approve, so the address may be shown to the model. With URL
elicitation the address goes to the client (shown to the person) and the call waits for the
decision; without it, the result carries the address for the person and the call runs when
re-called after approval. Confirmation tokens are not accepted in this mode.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext

from zoom_mcp.api import Operation
from zoom_mcp.api.serialize import ZoomRequest
from zoom_mcp.errors import TokenRefused
from zoom_mcp.safety.approvals import Approval, Approvals
from zoom_mcp.safety.audit import AuditLog
from zoom_mcp.safety.outcomes import Proceed, Stop, input_required_era, not_done, refused
from zoom_mcp.safety.preview import Lookup, Preview, build_preview, choose, fill
from zoom_mcp.safety.tokens import ConfirmationTokens

log = logging.getLogger(__name__)
APPROVAL_KEY = "approval"


class HumanGate:
    def __init__(self, approvals: Approvals, tokens: ConfirmationTokens, audit: AuditLog) -> None:
        self.approvals = approvals
        self.tokens = tokens
        self.audit = audit

    async def check(
        self,
        ctx: ServerRequestContext[Any] | None,
        params: types.CallToolRequestParams | None,
        op: Operation,
        arguments: dict[str, Any],
        request: ZoomRequest,
        lookup: Lookup,
        subject: str,
    ) -> Proceed | Stop:
        """Proceed once this exact call was approved on its page; otherwise what to tell the client."""
        where: dict[str, Any] = {
            "tool": op.name,
            "method": request.method,
            "path": request.path,
            "arguments": arguments,
        }
        if params is not None and params.request_state and params.input_responses:
            try:  # the modern round trip: the state proves this is the same call, not the decision
                await self.tokens.redeem(params.request_state, op.name, arguments, subject)
            except TokenRefused as exc:
                self.audit.record("refused", **where, reason=f"approval state: {exc}")
                raise refused(op, f"the approval round is not valid for this call: {exc}") from exc
            approval = await self.approvals.for_call(op.name, arguments, subject)
            if approval is None:
                raise refused(op, "no approval exists for this call")
            return await self._settle(op, approval, await self.approvals.wait(approval), where)

        approval = await self.approvals.for_call(op.name, arguments, subject)
        again = approval is not None
        if approval is not None and approval.state != "pending":
            return await self._settle(op, approval, approval.state, where)
        if approval is None:
            preview = await build_preview(op, arguments, request, lookup)
            approval = await self.approvals.create(op.name, arguments, subject, preview, _typed_target(op, preview))
            self.audit.record("confirmation_asked", **where, via="approval_page", approval=approval.ref)
        url = self.approvals.url(approval)
        message = f"Approve or deny in your browser: {approval.preview.tool} ({approval.preview.call})"
        if ctx is not None and _can_open_urls(ctx):
            if input_required_era(ctx):
                state = self.tokens.issue(op.name, arguments, subject)
                ask = types.ElicitRequest(params=types.ElicitRequestURLParams(message=message, url=url))
                return Stop(types.InputRequiredResult(input_requests={APPROVAL_KEY: ask}, request_state=state))
            elicitation_id = secrets.token_urlsafe(16)
            try:
                answer = await ctx.session.elicit_url(message, url, elicitation_id, ctx.request_id)
            except Exception as exc:  # a client that claims URL elicitation but cannot answer: the link path
                log.warning("URL elicitation failed (%s); returning the approval link instead", exc)
            else:
                if answer.action != "accept":
                    await self.approvals.decide(approval.id, approval.csrf, "deny", "")
                    return await self._settle(op, approval, "denied", where)
                state = await self.approvals.wait(approval)
                if state == "approved":
                    try:
                        await ctx.session.send_elicit_complete(elicitation_id, ctx.request_id)
                    except Exception as exc:
                        log.info("could not send the elicitation completion (%s)", exc)
                return await self._settle(op, approval, state, where)
        return Stop(waiting(approval, url, self.approvals.ttl, again))

    async def _settle(self, op: Operation, approval: Approval, state: str, where: dict[str, Any]) -> Proceed | Stop:
        if state == "approved" and await self.approvals.consume(approval):
            await self.approvals.forget(approval)
            self.audit.record("accepted", **where, via="approval_page", approval=approval.ref)
            return Proceed("approval_page", approval.ref)
        if state == "pending":
            return Stop(waiting(approval, self.approvals.url(approval), self.approvals.ttl, True))
        await self.approvals.forget(approval)  # denied or expired: the next call starts a new approval
        self.audit.record("declined", **where, answer=state, approval=approval.ref)
        outcome = "denied it on the approval page" if state == "denied" else "did not approve it in time"
        return Stop(not_done(op, approval.preview, outcome))


def _can_open_urls(ctx: ServerRequestContext[Any]) -> bool:
    capabilities = ctx.session.client_capabilities
    elicitation = capabilities.elicitation if capabilities is not None else None
    return elicitation is not None and elicitation.url is not None


def _typed_target(op: Operation, preview: Preview) -> str | None:
    """What the person must type for the most destructive calls: a name, else the ID it names."""
    template = choose(op.confirm.get("type_to_confirm") or {}, preview.arguments)
    if template is None:
        return None
    text = fill(template, {**preview.facts, **preview.arguments}).strip()
    if text and "?" not in text:
        return text
    ids = [str(v) for v in preview.arguments.values() if isinstance(v, str | int) and not isinstance(v, bool)]
    return ids[0] if ids else None


def waiting(approval: Approval, url: str, ttl: float, again: bool = False) -> types.CallToolResult:
    minutes = max(1, round(ttl / 60))
    lead = "STILL WAITING FOR APPROVAL" if again else "APPROVAL REQUIRED"
    text = (
        f"{lead} - nothing was sent to Zoom.\n"
        f"{approval.preview.text()}\n"
        f"Show this link to the user so they can approve or deny it in their browser (valid {minutes} min):\n{url}\n"
        "You cannot approve it yourself: approving takes the user's passkey. After the user says they approved, "
        "call the same tool again with exactly the same arguments; until then it reports that it is still waiting."
    )
    structured = {
        "status": "waiting_for_approval" if again else "approval_required",
        "message": "Nothing was sent. A person must approve this call on the approval page with their passkey.",
        "approval_url": url,
        "preview": approval.preview.as_dict(),
    }
    return types.CallToolResult(content=[types.TextContent(text=text)], structured_content=structured)
