"""The confirmation gate: no gated call reaches Zoom unless a person confirmed that exact call.

Three ways through, in this order:
1. `confirmation_token` from an earlier preview, redeemed against this exact call;
2. elicitation, when the client declared it: mid-call `elicitation/create` on protocol
   <= 2025-11-25, an `InputRequiredResult` round on >= 2026-07-28 (its `requestState` is a
   confirmation token too, so an answer cannot be replayed or moved to other arguments);
3. otherwise a `confirmation_required` result carrying the preview and a fresh token.
Decline or cancel returns without a request; a refusal raises `Refused` (the server says why).
"""

from __future__ import annotations

import logging
from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext

from zoom_mcp.api import Operation
from zoom_mcp.api.serialize import ZoomRequest
from zoom_mcp.errors import TokenRefused
from zoom_mcp.safety.approvals import Approvals
from zoom_mcp.safety.audit import AuditLog
from zoom_mcp.safety.human import HumanGate
from zoom_mcp.safety.outcomes import Proceed, Stop, input_required_era, not_done, refused, text_result
from zoom_mcp.safety.preview import Lookup, Preview, build_preview
from zoom_mcp.safety.tokens import ConfirmationTokens

log = logging.getLogger(__name__)

ELICIT_KEY = "confirm"
CONFIRM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"confirm": {"type": "boolean", "title": "Run this call", "description": "true runs it once"}},
    "required": ["confirm"],
}


class Gate:
    def __init__(self, tokens: ConfirmationTokens, audit: AuditLog, approvals: Approvals | None = None) -> None:
        self.tokens = tokens
        self.audit = audit
        self.approvals = approvals
        self.human = HumanGate(approvals, tokens, audit) if approvals is not None else None

    async def check(
        self,
        ctx: ServerRequestContext[Any] | None,
        params: types.CallToolRequestParams | None,
        op: Operation,
        arguments: dict[str, Any],
        token: str | None,
        request: ZoomRequest,
        lookup: Lookup,
        subject: str = "",
    ) -> Proceed | Stop:
        where: dict[str, Any] = {
            "tool": op.name,
            "method": request.method,
            "path": request.path,
            "arguments": arguments,
        }
        if self.human is not None:
            if token is not None:  # under --confirm human only the page counts, never a token
                self.audit.record("refused", **where, reason="token under --confirm human")
                raise refused(op, "under --confirm human a person must approve this call on its approval page")
            return await self.human.check(ctx, params, op, arguments, request, lookup, subject)
        if token is not None:
            try:
                await self.tokens.redeem(token, op.name, arguments, subject)
            except TokenRefused as exc:
                self.audit.record("refused", **where, reason=str(exc))
                raise refused(op, str(exc)) from exc
            self.audit.record("accepted", **where, via="confirmation_token")
            return Proceed("confirmation_token")

        if params is not None and params.request_state and params.input_responses:
            return await self._resume(params, op, arguments, subject, where)

        preview = await build_preview(op, arguments, request, lookup)
        if ctx is not None and _can_elicit(ctx):
            if input_required_era(ctx):
                state = self.tokens.issue(op.name, arguments, subject)
                self.audit.record("confirmation_asked", **where, via="elicitation")
                request_ = types.ElicitRequest(
                    params=types.ElicitRequestFormParams(message=_message(preview), requested_schema=CONFIRM_SCHEMA)
                )
                return Stop(types.InputRequiredResult(input_requests={ELICIT_KEY: request_}, request_state=state))
            self.audit.record("confirmation_asked", **where, via="elicitation")
            try:
                answer = await ctx.session.elicit_form(_message(preview), CONFIRM_SCHEMA, ctx.request_id)
            except Exception as exc:  # a client that claims elicitation but cannot answer gets the token path
                log.warning("elicitation failed (%s); falling back to a confirmation token", exc)
            else:
                return self._decide(answer, op, preview, where)

        confirmation = self.tokens.issue(op.name, arguments, subject)
        self.audit.record("confirmation_asked", **where, via="confirmation_token")
        return Stop(confirmation_required(preview, confirmation, self.tokens.ttl))

    async def _resume(
        self,
        params: types.CallToolRequestParams,
        op: Operation,
        arguments: dict[str, Any],
        subject: str,
        where: dict[str, Any],
    ) -> Proceed | Stop:
        try:
            await self.tokens.redeem(params.request_state or "", op.name, arguments, subject)
        except TokenRefused as exc:
            self.audit.record("refused", **where, reason=f"elicitation state: {exc}")
            raise refused(op, f"the confirmation round is not valid for this call: {exc}") from exc
        answer = (params.input_responses or {}).get(ELICIT_KEY)
        if not isinstance(answer, types.ElicitResult):
            self.audit.record("refused", **where, reason="no elicitation answer")
            raise refused(op, "the confirmation answer is missing")
        preview = Preview(op.name, where["method"], where["path"], {}, arguments, "")
        return self._decide(answer, op, preview, where)

    def _decide(
        self, answer: types.ElicitResult, op: Operation, preview: Preview, where: dict[str, Any]
    ) -> Proceed | Stop:
        confirmed = answer.action == "accept" and bool((answer.content or {}).get(ELICIT_KEY))
        if confirmed:
            self.audit.record("accepted", **where, via="elicitation")
            return Proceed("elicitation")
        self.audit.record("declined", **where, answer=answer.action)
        return Stop(not_done(op, preview, "declined" if answer.action != "cancel" else "cancelled"))


def _can_elicit(ctx: ServerRequestContext[Any]) -> bool:
    capabilities = ctx.session.client_capabilities
    elicitation = capabilities.elicitation if capabilities is not None else None
    # A bare `elicitation: {}` (before modes existed) means form support; url-only does not.
    return elicitation is not None and (elicitation.form is not None or elicitation.url is None)


def _message(preview: Preview) -> str:
    return f"Confirm this Zoom call?\n{preview.text()}"


def confirmation_required(preview: Preview, token: str, ttl: float) -> types.CallToolResult:
    minutes = max(1, round(ttl / 60))
    text = (
        "CONFIRMATION REQUIRED - nothing was sent to Zoom.\n"
        f"{preview.text()}\n"
        "Show this to the user and ask for their approval. Only if they approve, call the same tool again "
        f"with exactly the same arguments plus confirmation_token (single use, valid {minutes} min):\n{token}"
    )
    return text_result(
        text,
        {
            "status": "confirmation_required",
            "message": "Nothing was sent. Show the preview to the user; "
            "re-call with confirmation_token only after they approve.",
            "preview": preview.as_dict(),
            "confirmation_token": token,
            "expires_in_seconds": int(ttl),
        },
    )
