"""Approvals a model cannot give itself (`--confirm human`): a person decides on a web page, with a passkey.

Each gated call gets one approval: an unguessable single-use ID (the page URL), a CSRF token that
only the page carries, the exact tool and arguments it is bound to, the client it was issued to,
a WebAuthn challenge derived from that call, and an expiry. Approving needs a passkey assertion
over that challenge from a passkey the person enrolled (`passkeys`), plus, for the most
destructive calls, the target typed by the person. The page ID, the CSRF token, the typed name and
the same-origin checks are defence in depth: an agent that can fetch the page has all of them.
The assertion is the guarantee. Denying needs no passkey: a denial sends nothing to Zoom.

Approvals expire after their lifetime whether pending or approved-but-unused, and an approved
call runs once: `consume` spends it. Under --auth oauth an approval belongs to the person whose call it
is (`person`): its page also needs that person's browser session (`transport.approval_page`), and the
call it binds to carries the person in its subject, so one person's approval never releases another's.
The audit log names an approval by `ref` (a hash of its ID), never by the ID, so a reader of the log
cannot rebuild the page's address.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import anyio

from zoom_mcp.client.people import acting
from zoom_mcp.clock import SYSTEM_CLOCK, Clock
from zoom_mcp.errors import PasskeyRefused
from zoom_mcp.safety.audit import AuditLog
from zoom_mcp.safety.passkeys import (
    LOCAL_RP_ID,
    PasskeyStore,
    RelyingParty,
    approval_challenge,
    assertion_options,
    ref,
    short_id,
    verify_assertion,
)
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
    nonce: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    state: State = "pending"
    decided: anyio.Event = field(default_factory=anyio.Event)
    person: str | None = None  # --auth oauth: the Zoom user ID of the person whose call this is
    email: str = ""

    @property
    def challenge(self) -> bytes:
        """The WebAuthn challenge: single-use with this approval, and bound to its exact call."""
        return approval_challenge(self.nonce, self.digest)

    @property
    def ref(self) -> str:
        """How the audit log names this approval: a hash of the ID, which cannot be turned back into it."""
        return ref(self.id)

    @property
    def audit_fields(self) -> dict[str, Any]:
        p = self.preview
        who = {"person": self.person, "email": self.email} if self.person else {}
        return {"tool": p.tool, "method": p.method, "path": p.path, "approval": self.ref, **who}


class Approvals:
    def __init__(
        self,
        audit: AuditLog,
        passkeys: PasskeyStore,
        *,
        ttl: float = DEFAULT_TTL,
        clock: Clock = SYSTEM_CLOCK,
        public_url: str | None = None,
    ) -> None:
        self.audit = audit
        self.passkeys = passkeys
        self.ttl = ttl
        self._clock = clock
        self._by_id: dict[str, Approval] = {}
        self.public_url = public_url.rstrip("/") if public_url else None
        self.base_url = ""  # every link starts here: the public URL, else http://localhost:PORT once served
        self.rp: RelyingParty | None = None
        self.on_created: Callable[[Approval], None] | None = None  # e.g. open the page in a browser

    @property
    def rp_id(self) -> str:
        """The RP ID passkeys must be enrolled for: the public URL's host, else `localhost`."""
        return RelyingParty.at(self.public_url).rp_id if self.public_url else LOCAL_RP_ID

    def serve_at(self, port: int, *, local: bool = False) -> str:
        """Called by whoever serves the pages once it listens. Links use the public URL if one is
        configured (and the pages are not the stdio server's own), else `http://localhost:PORT`:
        a secure context for WebAuthn, unlike http://127.0.0.1, and a valid RP ID."""
        self.base_url = (None if local else self.public_url) or f"http://localhost:{port}"
        self.rp = RelyingParty.at(self.base_url)
        return self.base_url

    def url(self, approval: Approval) -> str:
        return f"{self.base_url}/approvals/{approval.id}"

    def request_options(self, approval: Approval) -> str:
        """The page's `navigator.credentials.get` options (JSON), over this approval's challenge."""
        assert self.rp is not None, "serve_at() first"
        return assertion_options(self.rp, self.passkeys.for_rp(self.rp.rp_id), approval.challenge)

    def create(
        self, tool: str, arguments: dict[str, Any], subject: str, preview: Preview, type_to_confirm: str | None
    ) -> Approval:
        person = acting()
        approval = Approval(
            id=secrets.token_urlsafe(32),
            tool=tool,
            digest=call_digest(tool, arguments, subject),
            preview=preview,
            csrf=secrets.token_urlsafe(32),
            type_to_confirm=type_to_confirm,
            expires_at=self._clock.monotonic() + self.ttl,
            person=person.id if person is not None else None,
            email=person.email if person is not None else "",
        )
        self._purge()
        self._by_id[approval.id] = approval
        self.audit.record("approval_created", **approval.audit_fields)
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

    def decide(self, approval_id: str, csrf: str, decision: str, typed: str, assertion: str = "") -> tuple[bool, str]:
        """A person's decision from the page. (False, why) when it is not accepted.

        Deny needs the CSRF token only: it sends nothing. Approve needs, in this order, the typed
        target (for the worst calls) and a passkey assertion over this approval's challenge."""
        approval = self.get(approval_id)
        if approval is None:
            return False, "This approval does not exist."
        if not secrets.compare_digest(csrf.encode(), approval.csrf.encode()):
            self.audit.record("approval_rejected", **approval.audit_fields, reason="csrf")
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
            self.audit.record("approval_rejected", **approval.audit_fields, reason="typed")
            return False, f"To approve, type exactly: {wanted}"
        if self.rp is None:
            return False, "The approval pages are not being served."
        try:
            passkey = verify_assertion(self.passkeys, self.rp, approval.challenge, assertion)
        except PasskeyRefused as exc:
            self.audit.record("approval_rejected", **approval.audit_fields, reason=f"passkey: {exc}")
            return False, "Approving needs your passkey: nothing was approved. Use the Approve button in your browser."
        self._settle(approval, "approved", passkey=short_id(passkey.id))
        return True, "Approved with your passkey. The call runs once; you can return to your assistant."

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
        """Past its lifetime an approval is expired, pending or approved-but-unused alike."""
        if approval.state in ("pending", "approved") and self._clock.monotonic() >= approval.expires_at:
            self._settle(approval, "expired")

    def _settle(self, approval: Approval, state: State, **fields: Any) -> None:
        approval.state = state
        event = {"approved": "approval_approved", "denied": "approval_denied", "expired": "approval_expired"}[state]
        self.audit.record(event, **approval.audit_fields, **fields)
        approval.decided.set()
