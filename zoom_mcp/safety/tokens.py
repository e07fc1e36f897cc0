"""Confirmation tokens: single-use, expiring, HMAC-bound to one tool and its exact arguments.

A token proves the caller saw the preview of exactly this call. Changing any argument,
calling another tool, replaying a used token, waiting past the expiry or forging one all fail.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

from zoom_mcp.clock import SYSTEM_CLOCK, Clock
from zoom_mcp.errors import TokenRefused
from zoom_mcp.safety.used_tokens import MemoryUsedTokens, UsedTokens


def arguments_digest(tool: str, arguments: dict[str, Any]) -> str:
    canonical = json.dumps([tool, arguments], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Claims:
    tool: str
    digest: str
    expires_at: float
    nonce: str
    subject: str


class ConfirmationTokens:
    def __init__(
        self,
        secret: bytes | None = None,
        *,
        ttl: float = 300.0,
        clock: Clock = SYSTEM_CLOCK,
        used: UsedTokens | None = None,
    ) -> None:
        self._key = secret or secrets.token_bytes(32)
        self.ttl = ttl
        self._clock = clock
        self._used = used or MemoryUsedTokens(clock)

    def issue(self, tool: str, arguments: dict[str, Any], subject: str = "") -> str:
        payload = {
            "t": tool,
            "d": arguments_digest(tool, arguments),
            "e": round(self._clock.time() + self.ttl, 3),
            "n": secrets.token_urlsafe(12),
            "s": subject,
        }
        body = _b64(json.dumps(payload, separators=(",", ":")).encode())
        return f"{body}.{_b64(self._sign(body))}"

    async def redeem(self, token: str, tool: str, arguments: dict[str, Any], subject: str = "") -> Claims:
        """Check the token against this exact call and spend it; raise TokenRefused otherwise."""
        claims = self._verify(token)
        if claims.tool != tool:
            raise TokenRefused(f"the confirmation token was issued for {claims.tool}, not {tool}")
        if claims.subject != subject:
            raise TokenRefused("the confirmation token was issued to another client")
        if not hmac.compare_digest(claims.digest, arguments_digest(tool, arguments)):
            raise TokenRefused("the arguments differ from the ones that were previewed and confirmed")
        if self._clock.time() > claims.expires_at:
            raise TokenRefused("the confirmation token has expired; call again without it for a new preview")
        if not await self._used.spend(claims.nonce, claims.expires_at):
            raise TokenRefused("the confirmation token was already used; each token runs one call")
        return claims

    def _verify(self, token: str) -> Claims:
        try:
            body, signature = token.split(".")
            valid = hmac.compare_digest(_unb64(signature), self._sign(body))
            data = json.loads(_unb64(body)) if valid else None
            if not isinstance(data, dict):
                raise ValueError
            return Claims(str(data["t"]), str(data["d"]), float(data["e"]), str(data["n"]), str(data.get("s", "")))
        except (ValueError, KeyError, TypeError) as exc:
            raise TokenRefused("the confirmation token is not valid (malformed or not issued by this server)") from exc

    def _sign(self, body: str) -> bytes:
        return hmac.new(self._key, body.encode(), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
