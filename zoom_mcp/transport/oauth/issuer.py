"""The authorization server's own state: clients, pending sign-ins, codes and tokens (the SDK's provider).

The SDK's handlers (`mcp.server.auth`: /authorize, /token, /register, /revoke) do the protocol: request
validation, client authentication, PKCE (S256, checked by the SDK), redirect URI equality between
/authorize and /token. This provider holds the state behind them, in sealed records (`client.store`):

- Our tokens are opaque random strings (`zmcp_at_…`, `zmcp_rt_…`), stored only as their SHA-256, bound
  to the client, the person (Zoom user ID and e-mail), the scopes and the resource they were issued for
  (RFC 8707). Zoom's tokens never leave the server, and ours are never Zoom's.
- A code is spent the first time it is presented; presenting it again revokes every token it produced.
- Refresh tokens rotate; a rotated one presented again revokes the whole family (the chain of tokens
  from one sign-in), as OAuth 2.1 asks: one of the two presenters is not the client.
- Revoking either token of a family revokes the family.
- Expiry is the injected clock's: each record expires with its token. (The SDK compares expiry with the
  wall clock; the records handed to it say "checked" instead: `math.inf` for codes, None for tokens.)
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from mcp.server.auth.provider import (
    AccessToken,
    AuthorizationCode,
    AuthorizationParams,
    AuthorizeError,
    IdentityAssertionParams,
    RefreshToken,
    RegistrationError,
    TokenError,
)
from mcp.shared.auth import OAuthClientInformationFull, OAuthToken
from pydantic import AnyHttpUrl, ValidationError

from zoom_mcp.client.store import Records, digest
from zoom_mcp.clock import SYSTEM_CLOCK, Clock
from zoom_mcp.errors import ClientRefused
from zoom_mcp.inventory.inventories import WRITE_SCOPE
from zoom_mcp.transport.oauth.clients import MetadataFetcher, ZoomMcpClient, check_redirects

READ, WRITE = "zoom.read", WRITE_SCOPE  # reading; changes (write and destructive tools)
SCOPES = (READ, WRITE)
CONSENT_PATH = "/oauth/consent"
CLIENT_TTL = 365 * 86400.0


@dataclass(frozen=True)
class IssuerConfig:
    base_url: str  # the issuer: https://mcp.example.com, or http://localhost:PORT on this machine
    cimd: bool = True
    dcr: bool = True
    access_ttl: float = 3600.0
    refresh_ttl: float = 30 * 86400.0
    code_ttl: float = 300.0
    flow_ttl: float = 600.0
    endpoints: tuple[str, ...] = ("/mcp", "/sse")

    @property
    def resources(self) -> dict[str, str]:
        """Each MCP endpoint's resource identifier (RFC 8707 / RFC 9728): the endpoint's URL."""
        return {path: self.base_url + path for path in self.endpoints}

    @property
    def default_resource(self) -> str:
        return self.base_url + self.endpoints[0]


class PersonToken(AccessToken):
    """An access token of ours, as the bearer middleware hands it on: whose it is and for what."""

    email: str = ""
    family: str = ""


class IssuedCode(AuthorizationCode):
    email: str = ""
    family: str = ""


class IssuedRefresh(RefreshToken):
    email: str = ""
    family: str = ""


@dataclass
class Issuer:
    """The SDK's `OAuthAuthorizationServerProvider` and `TokenVerifier`, over sealed records."""

    config: IssuerConfig
    records: Records
    fetcher: MetadataFetcher | None = None  # CIMD, when enabled
    clock: Clock = SYSTEM_CLOCK
    revoked: list[str] = field(default_factory=list)  # families revoked since start, why (tests read it)

    # --- clients -----------------------------------------------------------------------------------------

    async def get_client(self, client_id: str) -> OAuthClientInformationFull | None:
        if client_id.startswith("https://"):
            if self.fetcher is None:
                return None
            try:
                return await self.fetcher.client(client_id)
            except ClientRefused:
                return None  # the fetcher logged why; the SDK answers "client not found"
        if not self.config.dcr:
            return None
        found = await self.records.get("client", client_id)
        return ZoomMcpClient.model_validate(found) if found else None

    async def register_client(self, client_info: OAuthClientInformationFull) -> None:
        try:
            check_redirects([str(u) for u in client_info.redirect_uris or []])
        except ClientRefused as exc:
            raise RegistrationError("invalid_redirect_uri", str(exc)) from exc
        await self.records.put("client", client_info.client_id, client_info.model_dump(mode="json"), CLIENT_TTL)

    # --- /authorize: remember the request, show our consent page ------------------------------------------

    def resource_for(self, asked: str | None) -> str:
        """The resource a token will be for: the one asked (if it is one of ours), else the MCP endpoint's."""
        if asked is None:
            return self.config.default_resource
        for resource in self.config.resources.values():
            if _same_url(asked, resource):
                return resource
        raise AuthorizeError("invalid_target", "this authorization server issues tokens only for this MCP server")

    async def authorize(self, client: OAuthClientInformationFull, params: AuthorizationParams) -> str:
        resource = self.resource_for(params.resource)
        asked = params.scopes or list(SCOPES)
        unknown = [s for s in asked if s not in SCOPES]
        if unknown:
            raise AuthorizeError("invalid_scope", f"unknown scope(s): {', '.join(unknown)}")
        pending = secrets.token_urlsafe(32)
        record = {
            "client_id": client.client_id,
            "client_name": client.client_name or "",
            "cimd": client.client_id.startswith("https://"),
            "redirect_uri": str(params.redirect_uri),
            "explicit": params.redirect_uri_provided_explicitly,
            "state": params.state,
            "challenge": params.code_challenge,
            "scopes": [s for s in SCOPES if s in asked or s == READ],
            "resource": resource,
            "csrf": secrets.token_urlsafe(32),
        }
        await self.records.put("pending", pending, record, self.config.flow_ttl)
        return f"{self.config.base_url}{CONSENT_PATH}?{urlencode({'request': pending})}"

    def redirect_back(self, pending: dict[str, Any], **params: str | None) -> str:
        """The client's redirect URI with the answer: a code or an error, its state, and our issuer (RFC 9207)."""
        query = {**{k: v for k, v in params.items() if v is not None}, "iss": self.config.base_url}
        if pending.get("state") is not None:
            query["state"] = pending["state"]
        uri = pending["redirect_uri"]
        return f"{uri}{'&' if urlsplit(uri).query else '?'}{urlencode(query)}"

    async def issue_code(self, pending: dict[str, Any], person: str, email: str, scopes: list[str]) -> str:
        """After the person consented and we know who they are: a single-use code, back to the client."""
        code = "zmcp_ac_" + secrets.token_urlsafe(32)
        record = {
            "client_id": pending["client_id"],
            "redirect_uri": pending["redirect_uri"],
            "explicit": pending["explicit"],
            "challenge": pending["challenge"],
            "scopes": scopes,
            "resource": pending["resource"],
            "person": person,
            "email": email,
            "family": secrets.token_urlsafe(16),
        }
        await self.records.put("code", digest(code), record, self.config.code_ttl)
        return self.redirect_back(pending, code=code)

    # --- /token: codes -------------------------------------------------------------------------------------

    async def load_authorization_code(
        self, client: OAuthClientInformationFull, authorization_code: str
    ) -> IssuedCode | None:
        key = digest(authorization_code)
        found = await self.records.get("code", key)
        if found is None:
            spent = await self.records.get("code-spent", key)
            if spent is not None:  # a replay: whatever the first presentation obtained is revoked
                await self.revoke_family(spent["family"], "authorization code presented twice")
            return None
        if found["client_id"] != client.client_id:
            return None  # another client's code: not spent, so the rightful client can still use it
        if await self.records.take("code", key) is None:
            await self.revoke_family(found["family"], "authorization code presented twice at once")
            return None
        await self.records.put("code-spent", key, {"family": found["family"]}, self.config.refresh_ttl)
        return IssuedCode(
            code=authorization_code,
            scopes=found["scopes"],
            expires_at=math.inf,  # spent now, and its expiry was the record's
            client_id=found["client_id"],
            code_challenge=found["challenge"],
            redirect_uri=found["redirect_uri"],
            redirect_uri_provided_explicitly=found["explicit"],
            resource=found["resource"],
            subject=found["person"],
            email=found["email"],
            family=found["family"],
        )

    async def exchange_authorization_code(
        self, client: OAuthClientInformationFull, authorization_code: IssuedCode
    ) -> OAuthToken:
        code = authorization_code
        return await self._issue(
            code.client_id, code.subject or "", code.email, code.scopes, code.resource or "", code.family
        )

    # --- /token: refresh tokens ---------------------------------------------------------------------------

    async def load_refresh_token(self, client: OAuthClientInformationFull, refresh_token: str) -> IssuedRefresh | None:
        key = digest(refresh_token)
        found = await self.records.get("refresh", key)
        if found is None:
            used = await self.records.get("refresh-used", key)
            if used is not None:
                await self.revoke_family(used["family"], "a rotated refresh token presented again")
            return None
        if await self._family_revoked(found["family"]) or found["client_id"] != client.client_id:
            return None
        return IssuedRefresh(
            token=refresh_token,
            client_id=found["client_id"],
            scopes=found["scopes"],
            expires_at=None,  # the record expires with it
            resource=found["resource"],
            subject=found["person"],
            email=found["email"],
            family=found["family"],
        )

    async def exchange_refresh_token(
        self, client: OAuthClientInformationFull, refresh_token: IssuedRefresh, scopes: list[str]
    ) -> OAuthToken:
        key = digest(refresh_token.token)
        if await self.records.take("refresh", key) is None:
            await self.revoke_family(refresh_token.family, "a refresh token presented twice at once")
            raise TokenError("invalid_grant", "refresh token already used")
        await self.records.put("refresh-used", key, {"family": refresh_token.family}, self.config.refresh_ttl)
        rt = refresh_token
        return await self._issue(rt.client_id, rt.subject or "", rt.email, scopes, rt.resource or "", rt.family)

    async def _issue(
        self, client_id: str, person: str, email: str, scopes: list[str], resource: str, family: str
    ) -> OAuthToken:
        access = "zmcp_at_" + secrets.token_urlsafe(32)
        refresh = "zmcp_rt_" + secrets.token_urlsafe(32)
        record = {
            "client_id": client_id,
            "person": person,
            "email": email,
            "scopes": scopes,
            "resource": resource,
            "family": family,
        }
        await self.records.put("access", digest(access), record, self.config.access_ttl)
        await self.records.put("refresh", digest(refresh), record, self.config.refresh_ttl)
        return OAuthToken(
            access_token=access,
            token_type="Bearer",
            expires_in=int(self.config.access_ttl),
            scope=" ".join(scopes),
            refresh_token=refresh,
        )

    async def exchange_identity_assertion(
        self, client: OAuthClientInformationFull, params: IdentityAssertionParams
    ) -> OAuthToken:
        raise TokenError("unsupported_grant_type", "people sign in through Zoom here; no assertion grant")

    # --- the resource server: verifying bearer tokens -----------------------------------------------------

    async def load_access_token(self, token: str) -> PersonToken | None:
        found = await self.records.get("access", digest(token))
        if found is None or await self._family_revoked(found["family"]):
            return None
        return PersonToken(
            token=token,
            client_id=found["client_id"],
            scopes=found["scopes"],
            expires_at=None,  # the record expires with it
            resource=found["resource"],
            subject=found["person"],
            claims={"iss": self.config.base_url},
            email=found["email"],
            family=found["family"],
        )

    async def verify_token(self, token: str) -> PersonToken | None:
        return await self.load_access_token(token)

    # --- revocation -----------------------------------------------------------------------------------------

    async def revoke_token(self, token: PersonToken | IssuedRefresh | AccessToken | RefreshToken) -> None:
        family = getattr(token, "family", "")
        kind = "refresh" if isinstance(token, RefreshToken) else "access"
        await self.records.delete(kind, digest(token.token))
        if family:
            await self.revoke_family(family, "revoked by the client")

    async def revoke_family(self, family: str, why: str) -> None:
        await self.records.put("family-revoked", family, {"why": why}, self.config.refresh_ttl)
        self.revoked.append(why)

    async def _family_revoked(self, family: str) -> bool:
        return await self.records.get("family-revoked", family) is not None


def _same_url(a: str, b: str) -> bool:
    """Equal as URLs (case of scheme and host, default ports), a trailing slash aside."""
    try:
        return str(AnyHttpUrl(a)).removesuffix("/") == str(AnyHttpUrl(b)).removesuffix("/")
    except ValidationError:
        return False
