"""Enrolling and removing passkeys: only from the terminal (`zoom-mcp approvals enroll|remove`), never
through an MCP call.

The command starts one ceremony and serves its one-time page; the page's address (an unguessable
token) is printed on the person's terminal and dies with the command. The first passkey for an
RP ID needs only that terminal. A further one, and every removal, also needs an assertion from a
passkey already enrolled for that RP ID: whoever reaches a page without holding an enrolled
passkey cannot add theirs or take the person's away. (A program running as the same user can
edit `passkeys.json` directly; no local mechanism stops that, see the README's threat model.)
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Literal

import anyio

from zoom_mcp.clock import SYSTEM_CLOCK, Clock
from zoom_mcp.errors import PasskeyRefused
from zoom_mcp.safety.passkeys import (
    Passkey,
    PasskeyStore,
    RelyingParty,
    assertion_options,
    registration_options,
    short_id,
    verify_assertion,
    verify_enrollment,
)

Kind = Literal["enroll", "remove"]


@dataclass
class Ceremony:
    kind: Kind
    store: PasskeyStore
    rp: RelyingParty
    expires_at: float
    clock: Clock = SYSTEM_CLOCK
    name: str = ""  # enroll: the new passkey's name
    target: Passkey | None = None  # remove: the passkey to remove
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    authorize_challenge: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    create_challenge: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    outcome: str | None = None  # set once it succeeded; the page is then spent
    done: anyio.Event = field(default_factory=anyio.Event)

    @property
    def needs_authorization(self) -> bool:
        """Enrolling a further passkey, and any removal, needs an enrolled passkey's assertion."""
        return self.kind == "remove" or bool(self.store.for_rp(self.rp.rp_id))

    def options(self) -> dict[str, str]:
        """The page's WebAuthn options: `get` from an enrolled passkey, then `create` for a new one."""
        found: dict[str, str] = {}
        if self.needs_authorization:
            found["get"] = assertion_options(self.rp, self.store.for_rp(self.rp.rp_id), self.authorize_challenge)
        if self.kind == "enroll":
            found["create"] = registration_options(
                self.rp, self.store.for_rp(self.rp.rp_id), self.create_challenge, self.name
            )
        return found

    def complete(self, csrf: str, assertion: str, attestation: str) -> str:
        """Verify what the page posted and do it; raise PasskeyRefused otherwise. Single use."""
        if self.outcome is not None:
            raise PasskeyRefused("this page was used already")
        if self.clock.monotonic() >= self.expires_at:
            raise PasskeyRefused("this page has expired; run the command again")
        if not secrets.compare_digest(csrf.encode(), self.csrf.encode()):
            raise PasskeyRefused("this form is not the one the page served")
        if self.needs_authorization:
            verify_assertion(self.store, self.rp, self.authorize_challenge, assertion)
        if self.kind == "enroll":
            added = verify_enrollment(self.store, self.rp, self.create_challenge, attestation, self.name)
            self.outcome = f"Enrolled passkey {short_id(added.id)} ({added.name}) for {self.rp.rp_id}."
        else:
            assert self.target is not None
            self.store.remove(self.target.id)
            self.outcome = f"Removed passkey {short_id(self.target.id)} ({self.target.name})."
        self.done.set()
        return self.outcome


def start(
    kind: Kind,
    store: PasskeyStore,
    rp: RelyingParty,
    *,
    ttl: float,
    clock: Clock = SYSTEM_CLOCK,
    name: str = "",
    target: str = "",
) -> Ceremony:
    """A ceremony for this RP; `target` (remove) is a passkey's ID or its short form from `list`."""
    chosen = None
    if kind == "remove":
        matches = [p for p in store.all() if p.id == target or short_id(p.id) == target]
        if len(matches) != 1:
            raise PasskeyRefused(f"no enrolled passkey is {target!r}; 'zoom-mcp approvals list' shows them")
        chosen = matches[0]
        if not store.for_rp(rp.rp_id):
            raise PasskeyRefused(
                f"removing needs an enrolled passkey for {rp.rp_id} to confirm with; passkey {target} is for "
                f"{chosen.rp_id} (run the command with --public-url https://{chosen.rp_id} if that is where it works)"
            )
    return Ceremony(kind, store, rp, clock.monotonic() + ttl, clock, name=name, target=chosen)
