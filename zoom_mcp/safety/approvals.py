"""Approvals a model cannot give itself (`--confirm human`): a person decides on a web page.

Each gated call gets one pending approval: an unguessable single-use ID (the page URL), a CSRF
token that only the page carries, the exact tool and arguments it is bound to, the client it was
issued to, and an expiry. The page (see `approval_page`) is the only way to decide; a decision is
a POST with the CSRF token and, for the most destructive calls, the target typed by the person.
An approved call runs once: `consume` spends it.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import anyio

from zoom_mcp.clock import SYSTEM_CLOCK, Clock
from zoom_mcp.safety.audit import AuditLog
from zoom_mcp.safety.preview import Preview

State = Literal["pending", "approved", "denied", "expired", "used"]
DEFAULT_TTL = 300.0


def call_digest(tool: str, arguments: dict[str, Any], subject: str) -> str:
    canonical = json.dumps([tool, arguments, subject], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class Approval:
    id: str
    tool: str
    digest: str
    preview: Preview
    csrf: str
    type_to_confirm: str | None
    expires_at: float
    state: State = "pending"
    decided: anyio.Event = field(default_factory=anyio.Event)

    @property
    def audit_fields(self) -> dict[str, Any]:
        return {"tool": self.preview.tool, "method": self.preview.method, "path": self.preview.path}


class Approvals:
    def __init__(self, audit: AuditLog, *, ttl: float = DEFAULT_TTL, clock: Clock = SYSTEM_CLOCK) -> None:
        self.audit = audit
        self.ttl = ttl
        self._clock = clock
        self._by_id: dict[str, Approval] = {}
        self.base_url = ""  # where the page is served; set when its server starts
        self.on_created: Callable[[Approval], None] | None = None  # e.g. open the page in a browser

    def url(self, approval: Approval) -> str:
        return f"{self.base_url}/approvals/{approval.id}"

    def create(
        self, tool: str, arguments: dict[str, Any], subject: str, preview: Preview, type_to_confirm: str | None
    ) -> Approval:
        approval = Approval(
            id=secrets.token_urlsafe(32),
            tool=tool,
            digest=call_digest(tool, arguments, subject),
            preview=preview,
            csrf=secrets.token_urlsafe(32),
            type_to_confirm=type_to_confirm,
            expires_at=self._clock.monotonic() + self.ttl,
        )
        self._purge()
        self._by_id[approval.id] = approval
        self.audit.record("approval_created", **approval.audit_fields, approval_id=approval.id)
        if self.on_created is not None:
            self.on_created(approval)
        return approval

    def get(self, approval_id: str) -> Approval | None:
        approval = self._by_id.get(approval_id)
        if approval is not None:
            self._expire(approval)
        return approval

    def for_call(self, tool: str, arguments: dict[str, Any], subject: str) -> Approval | None:
        """The newest approval still open or approved for exactly this call, if any."""
        digest = call_digest(tool, arguments, subject)
        found = [a for a in self._by_id.values() if a.digest == digest]
        for approval in sorted(found, key=lambda a: a.expires_at, reverse=True):
            self._expire(approval)
            if approval.state in ("pending", "approved", "denied", "expired"):
                return approval
        return None

    def decide(self, approval_id: str, csrf: str, decision: str, typed: str) -> tuple[bool, str]:
        """A person's decision from the page. (False, why) when it is not accepted."""
        approval = self.get(approval_id)
        if approval is None:
            return False, "This approval does not exist."
        if not secrets.compare_digest(csrf.encode(), approval.csrf.encode()):
            self.audit.record("approval_rejected", **approval.audit_fields, approval_id=approval.id, reason="csrf")
            return False, "This form is not the one the page served; nothing was decided."
        if approval.state != "pending":
            return False, f"This approval is already {approval.state}."
        if decision == "deny":
            self._settle(approval, "denied")
            return True, "Denied. Nothing will be sent to Zoom."
        if decision != "approve":
            return False, "Choose Approve or Deny."
        wanted = approval.type_to_confirm
        if wanted is not None and typed.strip() != wanted:
            self.audit.record("approval_rejected", **approval.audit_fields, approval_id=approval.id, reason="typed")
            return False, f"To approve, type exactly: {wanted}"
        self._settle(approval, "approved")
        return True, "Approved. The call runs once; you can return to your assistant."

    def consume(self, approval: Approval) -> bool:
        """Spend an approved approval: True exactly once."""
        self._expire(approval)
        if approval.state != "approved":
            return False
        approval.state = "used"
        return True

    def forget(self, approval: Approval) -> None:
        self._by_id.pop(approval.id, None)

    async def wait(self, approval: Approval) -> State:
        """Until the person decides or the approval expires."""
        with anyio.move_on_after(max(0.0, approval.expires_at - self._clock.monotonic())):
            await approval.decided.wait()
        self._expire(approval)
        return approval.state

    def _purge(self) -> None:
        """Forget approvals long past their expiry, so a server that runs for weeks stays small."""
        cutoff = self._clock.monotonic() - self.ttl
        for stale in [a for a in self._by_id.values() if a.expires_at < cutoff]:
            self._expire(stale)
            del self._by_id[stale.id]

    def _expire(self, approval: Approval) -> None:
        if approval.state == "pending" and self._clock.monotonic() >= approval.expires_at:
            self._settle(approval, "expired")

    def _settle(self, approval: Approval, state: State) -> None:
        approval.state = state
        event = {"approved": "approval_approved", "denied": "approval_denied", "expired": "approval_expired"}[state]
        self.audit.record(event, **approval.audit_fields, approval_id=approval.id)
        approval.decided.set()
