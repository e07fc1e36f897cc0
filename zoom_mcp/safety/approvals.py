"""Approvals a model cannot give itself (`--confirm human`): a person decides on a web page, with a passkey.

Each gated call gets one approval: an unguessable single-use ID (the page URL), a CSRF token that
only the page carries, the exact tool and arguments it is bound to, the client it was issued to,
a WebAuthn challenge derived from that call, and an expiry. Approving needs a passkey assertion
over that challenge from a passkey the person enrolled (`passkeys`), plus, for the most
destructive calls, the target typed by the person. The page ID, the CSRF token, the typed name and
the same-origin checks are defence in depth: an agent that can fetch the page has all of them.
The assertion is the guarantee. Denying needs no passkey: a denial sends nothing to Zoom.

Approvals expire after their lifetime whether pending or approved-but-unused, and an approved
call runs once: `consume` spends it. They live in a `Store` (`client.store`): in this process by
default, in Redis with ZOOM_MCP_REDIS_URL, so that any replica shows the page, takes the decision and
releases the call. Under --auth oauth an approval belongs to the person whose call it is
(`person`): its page also needs that person's browser session (`transport.approval_page`), and the
call it binds to carries the person in its subject, so one person's approval never releases another's.
Each approval is a sealed record named by a hash of its ID (the ID is the page's
address), plus one-step markers that make every transition single-use across replicas: the decision
(approved, denied or expired: the first to be set wins, with SET NX) and the release (SET NX again).
The audit log names an approval by `ref` (a hash of its ID),
never by the ID, so a reader of the log cannot rebuild the page's address.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import anyio

from zoom_mcp.client.people import acting
from zoom_mcp.client.store import MemoryStore, Sealer, Store, digest
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
POLL = 0.2  # seconds between looks at the store while a call waits for a decision taken elsewhere
RECORD, CALL, DECISION, USED = "approval", "approval-call", "approval-decision", "approval-used"


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
    expires_at: float  # the clock's time(): every replica agrees on it
    nonce: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    state: State = "pending"
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
    def key(self) -> str:
        """How the store names it: a hash of the ID (the ID is the page's address)."""
        return digest(f"approval:{self.id}")

    @property
    def audit_fields(self) -> dict[str, Any]:
        p = self.preview
        who = {"person": self.person, "email": self.email} if self.person else {}
        return {"tool": p.tool, "method": p.method, "path": p.path, "approval": self.ref, **who}

    def record(self) -> dict[str, Any]:
        p = self.preview
        return {
            "id": self.id,
            "tool": self.tool,
            "digest": self.digest,
            "preview": [p.tool, p.method, p.path, p.query, p.arguments, p.consequence, p.facts],
            "csrf": self.csrf,
            "type_to_confirm": self.type_to_confirm,
            "expires_at": self.expires_at,
            "nonce": base64.b64encode(self.nonce).decode(),
            "person": self.person,
            "email": self.email,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Approval:
        tool, method, path, query, arguments, consequence, facts = record["preview"]
        return cls(
            id=record["id"],
            tool=record["tool"],
            digest=record["digest"],
            preview=Preview(tool, method, path, query, arguments, consequence, facts),
            csrf=record["csrf"],
            type_to_confirm=record["type_to_confirm"],
            expires_at=float(record["expires_at"]),
            nonce=base64.b64decode(record["nonce"]),
            person=record.get("person"),
            email=record.get("email", ""),
        )


class Approvals:
    def __init__(
        self,
        audit: AuditLog,
        passkeys: PasskeyStore,
        *,
        ttl: float = DEFAULT_TTL,
        clock: Clock = SYSTEM_CLOCK,
        public_url: str | None = None,
        store: Store | None = None,
        sealer: Sealer | None = None,
    ) -> None:
        self.audit = audit
        self.passkeys = passkeys
        self.ttl = ttl
        self._clock = clock
        self.store: Store = store or MemoryStore(clock)
        self._sealer = sealer or Sealer.ephemeral()
        self._events: dict[str, anyio.Event] = {}  # decisions taken in this process wake its waiters at once
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

    @property
    def _kept_until(self) -> float:
        """Records outlive their approval by one lifetime, so a late look says `expired`, not `unknown`."""
        return self._clock.time() + 2 * self.ttl

    async def create(
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
            expires_at=self._clock.time() + self.ttl,
            person=person.id if person is not None else None,
            email=person.email if person is not None else "",
        )
        until = self._kept_until
        await self.store.put(RECORD, approval.key, self._sealer.seal_json(approval.record()), until)
        await self.store.put(CALL, approval.digest, self._sealer.seal_json({"id": approval.id}), until)
        self.audit.record("approval_created", **approval.audit_fields)
        if self.on_created is not None:
            self.on_created(approval)
        return approval

    async def get(self, approval_id: str) -> Approval | None:
        """The approval with this ID and its current state, wherever it was created; None if unknown."""
        record = self._sealer.open_json(await self.store.get(RECORD, digest(f"approval:{approval_id}")))
        if record is None or record.get("id") != approval_id:
            return None
        approval = Approval.from_record(record)
        await self._refresh(approval)
        return approval

    async def for_call(self, tool: str, arguments: dict[str, Any], subject: str) -> Approval | None:
        """The newest approval for exactly this call that is not used yet, if any."""
        found = self._sealer.open_json(await self.store.get(CALL, call_digest(tool, arguments, subject)))
        if found is None:
            return None
        approval = await self.get(str(found["id"]))
        return approval if approval is not None and approval.state != "used" else None

    async def decide(
        self, approval_id: str, csrf: str, decision: str, typed: str, assertion: str = ""
    ) -> tuple[bool, str]:
        """A person's decision from the page. (False, why) when it is not accepted.

        Deny needs the CSRF token only: it sends nothing. Approve needs, in this order, the typed
        target (for the worst calls) and a passkey assertion over this approval's challenge."""
        approval = await self.get(approval_id)
        if approval is None:
            return False, "This approval does not exist."
        if not secrets.compare_digest(csrf.encode(), approval.csrf.encode()):
            self.audit.record("approval_rejected", **approval.audit_fields, reason="csrf")
            return False, "This form is not the one the page served; nothing was decided."
        if approval.state != "pending":
            return False, f"This approval is already {approval.state}."
        if decision == "deny":
            if not await self._settle(approval, "denied"):
                return False, f"This approval is already {approval.state}."
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
        if not await self._settle(approval, "approved", passkey=short_id(passkey.id)):
            return False, f"This approval is already {approval.state}."
        return True, "Approved with your passkey. The call runs once; you can return to your assistant."

    async def consume(self, approval: Approval) -> bool:
        """Spend an approved approval: True exactly once, in whichever replica gets here first."""
        await self._refresh(approval)
        if approval.state != "approved":
            return False
        if not await self.store.add(USED, approval.key, b"1", self._kept_until):
            approval.state = "used"
            return False
        approval.state = "used"
        return True

    async def forget(self, approval: Approval) -> None:
        """Once used, denied or expired and reported: its page is gone too (the markers stay until they expire)."""
        await self.store.delete(CALL, approval.digest)
        await self.store.delete(RECORD, approval.key)
        self._events.pop(approval.id, None)

    async def wait(self, approval: Approval) -> State:
        """Until the person decides (on any replica's page) or the approval expires."""
        event = self._events.setdefault(approval.id, anyio.Event())
        with anyio.move_on_after(max(0.0, approval.expires_at - self._clock.time())):
            while True:
                await self._refresh(approval)
                if approval.state != "pending":
                    break
                with anyio.move_on_after(POLL):
                    await event.wait()
        await self._refresh(approval)
        return approval.state

    async def _refresh(self, approval: Approval) -> None:
        """Read the approval's state from the store. Past its lifetime an approval is expired, pending or
        approved-but-unused alike."""
        if await self.store.get(USED, approval.key) is not None:
            approval.state = "used"
            return
        decided = self._sealer.open_json(await self.store.get(DECISION, approval.key))
        state: State = decided["state"] if decided else "pending"
        if state in ("pending", "approved") and self._clock.time() >= approval.expires_at:
            if state == "pending":
                await self._settle(approval, "expired")
                await self._refresh(approval)
                return
            state = "expired"
        approval.state = state

    async def _settle(self, approval: Approval, state: State, **fields: Any) -> bool:
        """Take the decision if nobody took one first (on any replica); False when someone did."""
        sealed = self._sealer.seal_json({"state": state})
        if not await self.store.add(DECISION, approval.key, sealed, self._kept_until):
            await self._refresh(approval)
            return False
        approval.state = state
        event = {"approved": "approval_approved", "denied": "approval_denied", "expired": "approval_expired"}[state]
        self.audit.record(event, **approval.audit_fields, **fields)
        self._events.setdefault(approval.id, anyio.Event()).set()
        return True
