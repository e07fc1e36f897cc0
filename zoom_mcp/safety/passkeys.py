"""Passkeys (WebAuthn) for `--confirm human`: the one thing on the approval page an agent cannot produce.

An agent that can fetch URLs can read the approval page, its CSRF token and the name to type, and
can send any header it likes: none of those prove a person was there. A WebAuthn assertion does.
The browser puts the page's real origin and the challenge into `clientDataJSON`, the authenticator
signs it after verifying the person (fingerprint, face, PIN or the security key's PIN), and only a
key the person enrolled verifies. The agent has neither the private key (it never leaves the
authenticator) nor a way to make the person's browser sign.

- The server stores public keys only: `passkeys.json` in the config directory, owner-only, written
  atomically (a temporary file, then `os.replace`), refused when others may write it.
- Each credential is bound to one RP ID (`localhost` for local pages, the host of `--public-url`
  for a deployed server), as WebAuthn binds it; a passkey enrolled for one does not work on the other.
- Verification is py_webauthn's (`webauthn`): challenge, origin, RP ID hash, user presence and
  verification, signature, and the sign count (a count that does not grow where one is kept
  means a cloned authenticator, and is refused). Nothing here parses CBOR or checks a signature.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import secrets
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from zoom_mcp.clock import SYSTEM_CLOCK, Clock
from zoom_mcp.errors import ConfigError, PasskeyRefused

if TYPE_CHECKING:
    from webauthn.helpers.structs import PublicKeyCredentialDescriptor

# WEBAUTHN: py_webauthn (and the cryptography it loads) takes about 0.3 s to import, so it is imported
# where a passkey is checked or enrolled, never at server start-up.
RP_NAME = "zoom-mcp approvals"
TIMEOUT_MS = 120_000
FILE_NAME = "passkeys.json"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class RelyingParty:
    """Where the pages are served, as WebAuthn sees it: the exact origin and its RP ID (the host)."""

    origin: str  # scheme://host[:port], what the browser writes into clientDataJSON
    rp_id: str

    @classmethod
    def at(cls, url: str) -> RelyingParty:
        """`http://localhost:PORT`, or an `https://` public URL. Browsers allow WebAuthn only in a secure
        context: https, or http on localhost. An IP address is never a valid RP ID."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not host:
            raise ConfigError(f"approval pages need an http(s) URL; got {url!r}")
        if parts.scheme == "http" and host != "localhost":
            raise ConfigError(
                f"approval pages at {url} would not be a secure context, where browsers refuse passkeys: "
                "use https://, or http://localhost for a server on this machine"
            )
        if host.replace(".", "").isdigit() or ":" in host:
            raise ConfigError(f"passkeys need a host name, not an IP address; got {url!r}")
        port = f":{parts.port}" if parts.port else ""
        return cls(f"{parts.scheme}://{host}{port}", host)

    @property
    def host(self) -> str:
        """The `Host` header a browser sends to this origin."""
        return urlsplit(self.origin).netloc


LOCAL_RP_ID = "localhost"


@dataclass(frozen=True)
class Passkey:
    """One enrolled credential: its ID and public key (COSE), never anything secret."""

    id: str  # base64url credential ID
    public_key: str  # base64url COSE public key
    sign_count: int
    rp_id: str
    name: str
    created: float
    aaguid: str = ""

    @property
    def descriptor(self) -> PublicKeyCredentialDescriptor:
        from webauthn.helpers.structs import PublicKeyCredentialDescriptor  # late: see WEBAUTHN

        return PublicKeyCredentialDescriptor(id=unb64url(self.id))


class PasskeyStore:
    """The enrolled passkeys, in one owner-only JSON file."""

    def __init__(self, path: Path, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.path = path
        self._clock = clock

    @classmethod
    def in_dir(cls, directory: Path, *, clock: Clock = SYSTEM_CLOCK) -> PasskeyStore:
        return cls(directory / FILE_NAME, clock=clock)

    def all(self) -> list[Passkey]:
        if not self.path.exists():
            return []
        mode = self.path.stat().st_mode
        if mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise ConfigError(f"{self.path} may be written by other users; make it owner-only (chmod 600)")
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return [Passkey(**entry) for entry in data["passkeys"]]
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"{self.path} is not a passkey file zoom-mcp wrote: {exc}") from exc

    def for_rp(self, rp_id: str) -> list[Passkey]:
        return [p for p in self.all() if p.rp_id == rp_id]

    def find(self, credential_id: str) -> Passkey | None:
        return next((p for p in self.all() if p.id == credential_id), None)

    def add(self, passkey: Passkey) -> None:
        with self._locked():
            keys = [p for p in self.all() if p.id != passkey.id]
            self._write([*keys, passkey])

    def remove(self, credential_id: str) -> bool:
        with self._locked():
            keys = self.all()
            kept = [p for p in keys if p.id != credential_id]
            self._write(kept)
            return len(kept) < len(keys)

    def count_used(self, credential_id: str, sign_count: int) -> None:
        with self._locked():
            self._write([replace(p, sign_count=sign_count) if p.id == credential_id else p for p in self.all()])

    def new_passkey(self, verified: Any, rp: RelyingParty, name: str) -> Passkey:
        return Passkey(
            id=b64url(verified.credential_id),
            public_key=b64url(verified.credential_public_key),
            sign_count=verified.sign_count,
            rp_id=rp.rp_id,
            name=name,
            created=round(self._clock.time(), 3),
            aaguid=str(verified.aaguid),
        )

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time across processes (the enrol command and a server counting a use)."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                import fcntl  # late: POSIX only; elsewhere the atomic replace still keeps the file whole
            except ImportError:
                fcntl = None  # type: ignore[assignment]
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _write(self, keys: list[Passkey]) -> None:
        text = json.dumps({"version": 1, "passkeys": [asdict(k) for k in keys]}, indent=2) + "\n"
        fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".passkeys.", suffix=".tmp")  # created 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise


def approval_challenge(nonce: bytes, call_digest: str) -> bytes:
    """The challenge an approval's assertion signs: a fresh nonce and the digest of the exact call
    (tool, arguments, client). The signature therefore commits to that call, not just to a page."""
    return hashlib.sha256(b"zoom-mcp approval v1\x00" + nonce + bytes.fromhex(call_digest)).digest()


def assertion_options(rp: RelyingParty, passkeys: list[Passkey], challenge: bytes) -> str:
    """What `navigator.credentials.get` is asked, as JSON; user verification is required."""
    from webauthn import generate_authentication_options, options_to_json  # late: see WEBAUTHN
    from webauthn.helpers.structs import UserVerificationRequirement

    options = generate_authentication_options(
        rp_id=rp.rp_id,
        challenge=challenge,
        timeout=TIMEOUT_MS,
        allow_credentials=[p.descriptor for p in passkeys],
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return options_to_json(options)


def registration_options(rp: RelyingParty, existing: list[Passkey], challenge: bytes, name: str) -> str:
    """What `navigator.credentials.create` is asked: a discoverable passkey, user verification required."""
    from webauthn import generate_registration_options, options_to_json  # late: see WEBAUTHN
    from webauthn.helpers.structs import (
        AuthenticatorSelectionCriteria,
        ResidentKeyRequirement,
        UserVerificationRequirement,
    )

    options = generate_registration_options(
        rp_id=rp.rp_id,
        rp_name=RP_NAME,
        user_name=name,
        user_id=secrets.token_bytes(16),
        challenge=challenge,
        timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED, user_verification=UserVerificationRequirement.REQUIRED
        ),
        exclude_credentials=[p.descriptor for p in existing],
    )
    return options_to_json(options)


def verify_assertion(store: PasskeyStore, rp: RelyingParty, challenge: bytes, credential: str) -> Passkey:
    """The enrolled passkey that signed this challenge on this origin with the person verified; its new
    sign count is saved. Raises PasskeyRefused (the reason is for the audit log, not for the page)."""
    from webauthn import verify_authentication_response  # late: see WEBAUTHN
    from webauthn.helpers import parse_authentication_credential_json
    from webauthn.helpers.exceptions import WebAuthnException

    try:
        parsed = parse_authentication_credential_json(credential)
    except (WebAuthnException, ValueError, TypeError) as exc:
        raise PasskeyRefused(f"not a WebAuthn assertion: {exc}") from exc
    passkey = store.find(parsed.id)
    if passkey is None or passkey.rp_id != rp.rp_id:
        raise PasskeyRefused("the passkey is not enrolled for these approval pages")
    try:
        verified = verify_authentication_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=rp.origin,
            credential_public_key=unb64url(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, TypeError) as exc:
        raise PasskeyRefused(f"the assertion does not verify: {exc}") from exc
    store.count_used(passkey.id, verified.new_sign_count)
    return passkey


def verify_enrollment(store: PasskeyStore, rp: RelyingParty, challenge: bytes, credential: str, name: str) -> Passkey:
    """A new passkey from `navigator.credentials.create`, verified (user verification required), stored."""
    from webauthn import verify_registration_response  # late: see WEBAUTHN
    from webauthn.helpers.exceptions import WebAuthnException

    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=rp.origin,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, TypeError) as exc:
        raise PasskeyRefused(f"the new passkey does not verify: {exc}") from exc
    passkey = store.new_passkey(verified, rp, name)
    if store.find(passkey.id) is not None:
        raise PasskeyRefused("this passkey is already enrolled")
    store.add(passkey)
    return passkey


def short_id(credential_id: str) -> str:
    """How `zoom-mcp approvals list` names a passkey (and `remove` accepts): the ID's first 12 characters."""
    return credential_id[:12]


def ref(secret_value: str) -> str:
    """A stable reference to a capability for logs: its SHA-256, shortened; the value cannot be rebuilt."""
    return hashlib.sha256(secret_value.encode()).hexdigest()[:16]
