"""A passkey in software for the tests that play the person without a browser: what a security key
does for `navigator.credentials.create` and `.get`, with user presence and verification.

It produces what a real authenticator sends (a "none" attestation, ES256 assertions); the server
verifies it with py_webauthn exactly as it verifies a browser's. The browser tests use Chromium's
virtual authenticator instead. `enrol` stores a passkey the way `zoom-mcp approvals enroll` does,
through the server's own verification.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import struct
from pathlib import Path
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from zoom_mcp.clock import Clock, FixedClock
from zoom_mcp.safety.passkeys import (
    PasskeyStore,
    RelyingParty,
    b64url,
    registration_options,
    unb64url,
    verify_enrollment,
)

UP, UV, AT = 0x01, 0x04, 0x40


class SoftAuthenticator:
    def __init__(self, *, id_prefix: bytes = b"") -> None:
        # A chosen first byte makes an ID whose base64url text starts a certain way (0xF8: with "-").
        self.id_prefix = id_prefix
        self.keys: dict[bytes, tuple[ec.EllipticCurvePrivateKey, str]] = {}  # credential ID -> (key, RP ID)
        self.sign_count = 0

    def create(self, options: dict[str, Any], origin: str) -> str:
        """The JSON the page posts after `navigator.credentials.create(options)`."""
        rp_id = options["rp"]["id"]
        key = ec.generate_private_key(ec.SECP256R1())
        credential_id = self.id_prefix + secrets.token_bytes(32 - len(self.id_prefix))
        self.keys[credential_id] = (key, rp_id)
        numbers = key.public_key().public_numbers()
        cose = cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})
        attested = bytes(16) + struct.pack(">H", len(credential_id)) + credential_id + cose
        auth_data = hashlib.sha256(rp_id.encode()).digest() + bytes([UP | UV | AT]) + struct.pack(">I", 0) + attested
        client_data = _client_data("webauthn.create", options["challenge"], origin)
        return json.dumps(
            {
                "id": b64url(credential_id),
                "rawId": b64url(credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": b64url(client_data),
                    "attestationObject": b64url(cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})),
                    "transports": ["usb"],
                },
                "clientExtensionResults": {},
            }
        )

    def get(self, options: dict[str, Any], origin: str, *, flags: int = UP | UV) -> str:
        """The JSON the page posts after `navigator.credentials.get(options)`: signed by a key of this
        authenticator that the options allow (any of its keys for the RP ID when none is listed)."""
        allowed = {unb64url(c["id"]) for c in options.get("allowCredentials") or []}
        rp_id = options["rpId"]
        mine = [cid for cid, (_, rp) in self.keys.items() if rp == rp_id and (not allowed or cid in allowed)]
        if not mine:  # a browser would find no passkey; sign with any key, as a forger would try
            mine = [cid for cid, (_, rp) in self.keys.items() if rp == rp_id] or list(self.keys)
        if not mine:  # no key at all: a fresh one, never enrolled
            self.create({"rp": {"id": rp_id}, "challenge": ""}, origin)
            mine = list(self.keys)
        credential_id = mine[0]
        key, _ = self.keys[credential_id]
        self.sign_count += 1
        auth_data = hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", self.sign_count)
        client_data = _client_data("webauthn.get", options["challenge"], origin)
        signature = key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return json.dumps(
            {
                "id": b64url(credential_id),
                "rawId": b64url(credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": b64url(client_data),
                    "authenticatorData": b64url(auth_data),
                    "signature": b64url(signature),
                    "userHandle": None,
                },
                "clientExtensionResults": {},
            }
        )


def _client_data(kind: str, challenge: str, origin: str) -> bytes:
    return json.dumps({"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}).encode()


def enrol(
    config_dir: Path, authenticator: SoftAuthenticator, url: str = "http://localhost:9", clock: Clock | None = None
) -> PasskeyStore:
    """Enrol a passkey of this authenticator for the RP of `url`, through the server's verification."""
    store = PasskeyStore.in_dir(config_dir, clock=clock or FixedClock("2026-06-17T15:04:05Z"))
    rp = RelyingParty.at(url)
    challenge = secrets.token_bytes(32)
    options = json.loads(registration_options(rp, store.for_rp(rp.rp_id), challenge, "test passkey"))
    verify_enrollment(store, rp, challenge, authenticator.create(options, rp.origin), "test passkey")
    return store
