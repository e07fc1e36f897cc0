"""Which MCP clients may ask for tokens: Client ID Metadata Documents (CIMD) and Dynamic Client Registration.

**CIMD.** The client's ID is an https URL and its metadata is the JSON document found there. Fetching a
URL a stranger names is an SSRF risk, so the fetch is fenced in:
- the URL: https, a host, a path other than `/`, no user info, query, fragment or dot segments; with
  `--allowed-client-ids`, it must match one of those patterns;
- the address: the host is resolved once and every address it has must be public: not loopback, private,
  link-local (cloud metadata services at 169.254.169.254), shared, multicast, reserved or unspecified,
  IPv4-mapped ones included; the connection then goes to the address that was checked, the name kept for
  TLS (SNI and the certificate check), so a second DNS answer cannot point it elsewhere. Only a
  development setting (`ZOOM_MCP_OAUTH_ALLOW_PRIVATE_FETCH`, for tests on loopback) lifts this;
- TLS is verified against the system's trust store, or `ZOOM_MCP_OAUTH_CA_BUNDLE` instead, never off;
- no redirects are followed; at most 5 seconds and 64 KiB; the answer must be JSON.
The document must name the same `client_id`, list its redirect URIs, and be a public client (token
endpoint auth `none`: a document cannot hold a secret). Answers (and refusals) are kept five minutes.

**DCR** (RFC 7591, `--client-registration`): the SDK's handler, with the same redirect URI rules.

Redirect URIs: https; http only on loopback (RFC 8252, where any port is accepted for a registered
loopback URI, as native apps pick a free one); or a native app's private-use scheme. Never a fragment,
never `javascript:`, `data:`, `file:` and the like.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import json
import logging
import re
import socket
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx2
from mcp.shared.auth import InvalidRedirectUriError, OAuthClientInformationFull
from pydantic import AnyUrl, ValidationError

from zoom_mcp.clock import SYSTEM_CLOCK, Clock
from zoom_mcp.errors import ClientRefused

log = logging.getLogger(__name__)

LOOPBACK_HOSTS = ("127.0.0.1", "[::1]", "::1", "localhost")
BANNED_SCHEMES = frozenset({"javascript", "data", "file", "vbscript", "about", "blob", "ftp", "ws", "wss", "http"})
MAX_DOCUMENT = 64 * 1024
FETCH_SECONDS = 5.0
CACHE_SECONDS = 300.0
CACHE_ENTRIES = 512

Resolver = Callable[[str, int], Awaitable[list[str]]]


class ZoomMcpClient(OAuthClientInformationFull):
    """A client as this server knows it; a loopback redirect URI matches on any port (RFC 8252 §7.3)."""

    def validate_redirect_uri(self, redirect_uri: AnyUrl | None) -> AnyUrl:
        if redirect_uri is not None and self.redirect_uris and redirect_uri not in self.redirect_uris:
            for registered in self.redirect_uris:
                if _same_but_loopback_port(str(registered), str(redirect_uri)):
                    return redirect_uri
            raise InvalidRedirectUriError(f"Redirect URI '{redirect_uri}' not registered for client")
        return super().validate_redirect_uri(redirect_uri)


def _same_but_loopback_port(registered: str, asked: str) -> bool:
    a, b = urlsplit(registered), urlsplit(asked)
    if a.scheme != "http" or b.scheme != "http" or a.hostname not in LOOPBACK_HOSTS:
        return False
    return (a.hostname, a.path, a.query) == (b.hostname, b.path, b.query) and not b.fragment and not b.username


def redirect_problem(uri: str) -> str | None:
    """Why this redirect URI is not accepted, or None."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "is not a URL"
    scheme = parts.scheme.lower()
    if parts.fragment or "#" in uri:
        return "must not have a fragment"
    if scheme == "https":
        return None if parts.hostname else "needs a host"
    if scheme == "http":
        return None if parts.hostname in LOOPBACK_HOSTS else "may use http only on loopback (127.0.0.1, [::1])"
    if not re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme) or scheme in BANNED_SCHEMES:
        return f"uses a scheme that is not allowed ({scheme or 'none'})"
    return None  # a native app's private-use scheme (RFC 8252 §7.1)


def check_redirects(uris: list[str]) -> None:
    if not uris:
        raise ClientRefused("redirect_uris must list at least one URI")
    for uri in uris:
        problem = redirect_problem(uri)
        if problem:
            raise ClientRefused(f"redirect URI {uri[:200]!r} {problem}")


def client_id_problem(url: str) -> str | None:
    """Why this is not a usable client ID URL (draft-ietf-oauth-client-id-metadata-document §3), or None."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return "must be an https URL"
    if parts.username or parts.password or parts.query or parts.fragment or "#" in url:
        return "must have no user info, query or fragment"
    segments = parts.path.split("/")
    if parts.path in ("", "/") or any(s in (".", "..") for s in segments):
        return "must have a path (not /) without . or .. segments"
    return None


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def resolve(host: str, port: int) -> list[str]:
    found = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(sockaddr[0]) for *_, sockaddr in found))


@dataclass(frozen=True)
class FetchPolicy:
    allowed: tuple[str, ...] = ()  # patterns client ID URLs must match; none: any https URL
    allow_private: bool = False  # development only: loopback and private addresses too
    ca_bundle: str | None = None  # PEM file trusted instead of the system's store
    timeout: float = FETCH_SECONDS
    max_bytes: int = MAX_DOCUMENT


class MetadataFetcher:
    """Fetches and checks client ID metadata documents, fenced as the module says."""

    def __init__(
        self,
        policy: FetchPolicy,
        scopes: tuple[str, ...],
        *,
        clock: Clock = SYSTEM_CLOCK,
        resolver: Resolver = resolve,
        transport: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        self.policy = policy
        self.scopes = scopes
        self._clock = clock
        self._resolve = resolver
        context = ssl.create_default_context(cafile=policy.ca_bundle) if policy.ca_bundle else None
        self._http = httpx2.AsyncClient(
            verify=context or True,
            transport=transport,
            follow_redirects=False,
            trust_env=False,  # no proxy from the environment: the checked address is the one connected to
            timeout=httpx2.Timeout(policy.timeout),
            headers={"Accept": "application/json"},
        )
        self._cache: dict[str, tuple[float, ZoomMcpClient | str]] = {}
        self.fetches = 0  # documents actually requested (tests count them)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def client(self, url: str) -> ZoomMcpClient:
        """The client this document describes; ClientRefused saying why not."""
        now = self._clock.monotonic()
        cached = self._cache.get(url)
        if cached is not None and cached[0] > now:
            if isinstance(cached[1], str):
                raise ClientRefused(cached[1])
            return cached[1]
        try:
            found: ZoomMcpClient | str = await self._fetch(url)
        except ClientRefused as exc:
            found = str(exc)
            log.warning("client ID metadata document refused: %s", found)
        if len(self._cache) >= CACHE_ENTRIES:
            self._cache.pop(next(iter(self._cache)))
        self._cache[url] = (now + CACHE_SECONDS, found)
        if isinstance(found, str):
            raise ClientRefused(found)
        return found

    async def _fetch(self, url: str) -> ZoomMcpClient:
        problem = client_id_problem(url)
        if problem:
            raise ClientRefused(f"client ID {url[:200]!r} {problem}")
        if self.policy.allowed and not any(fnmatch.fnmatchcase(url, p) for p in self.policy.allowed):
            raise ClientRefused(f"client ID {url[:200]!r} is not on this server's allow-list (--allowed-client-ids)")
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port or 443
        try:
            addresses = [host] if _is_address(host) else await self._resolve(host, port)
        except OSError as exc:
            raise ClientRefused(f"client ID host {host!r} does not resolve ({exc.strerror or exc})") from exc
        if not addresses:
            raise ClientRefused(f"client ID host {host!r} does not resolve")
        if not self.policy.allow_private and not all(is_public(a) for a in addresses):
            raise ClientRefused(f"client ID host {host!r} resolves to a private, loopback or reserved address")
        address = addresses[0]
        shown = f"[{address}]" if ":" in address else address
        target = f"https://{shown}:{port}{parts.path}"
        extensions = {} if _is_address(host) else {"sni_hostname": host}
        self.fetches += 1
        try:
            with anyio.fail_after(self.policy.timeout):
                request = self._http.build_request("GET", target, headers={"Host": parts.netloc}, extensions=extensions)
                response = await self._http.send(request, stream=True)
                try:
                    body = await self._read(response, url)
                finally:
                    await response.aclose()
        except TimeoutError as exc:
            raise ClientRefused(f"client ID document {url[:200]!r} took longer than {self.policy.timeout:g}s") from exc
        except httpx2.HTTPError as exc:
            raise ClientRefused(
                f"client ID document {url[:200]!r} could not be fetched ({type(exc).__name__})"
            ) from exc
        return self._check(url, body)

    async def _read(self, response: httpx2.Response, url: str) -> bytes:
        if 300 <= response.status_code < 400:
            raise ClientRefused(f"client ID document {url[:200]!r} redirects; redirects are not followed")
        if response.status_code != 200:
            raise ClientRefused(f"client ID document {url[:200]!r} answered HTTP {response.status_code}")
        kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/json" and not kind.endswith("+json"):
            raise ClientRefused(f"client ID document {url[:200]!r} is not JSON ({kind or 'no content type'})")
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self.policy.max_bytes:
                raise ClientRefused(f"client ID document {url[:200]!r} is over {self.policy.max_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    def _check(self, url: str, body: bytes) -> ZoomMcpClient:
        try:
            document: Any = json.loads(body)
        except ValueError as exc:
            raise ClientRefused(f"client ID document {url[:200]!r} is not valid JSON") from exc
        if not isinstance(document, dict):
            raise ClientRefused("a client ID document must be a JSON object")
        if document.get("client_id") != url:
            raise ClientRefused(f"the document at {url[:200]!r} names another client_id")
        if "client_secret" in document or "client_secret_expires_at" in document:
            raise ClientRefused("a client ID document must not hold a client secret")
        if document.get("token_endpoint_auth_method", "none") != "none":
            raise ClientRefused("a client ID document's client must be public (token_endpoint_auth_method none)")
        uris = document.get("redirect_uris")
        if not isinstance(uris, list) or not all(isinstance(u, str) for u in uris):
            raise ClientRefused("a client ID document must list redirect_uris")
        check_redirects(uris)
        grants = document.get("grant_types", ["authorization_code", "refresh_token"])
        responses = document.get("response_types", ["code"])
        if (
            not isinstance(grants, list)
            or "authorization_code" not in grants
            or not set(grants)
            <= {
                "authorization_code",
                "refresh_token",
            }
        ):
            raise ClientRefused("a client ID document's grant_types must be authorization_code (and refresh_token)")
        if not isinstance(responses, list) or "code" not in responses:
            raise ClientRefused("a client ID document's response_types must include code")
        name = document.get("client_name")
        fields: dict[str, Any] = {
            "client_id": url,
            "redirect_uris": uris,
            "token_endpoint_auth_method": "none",
            "grant_types": grants,
            "response_types": ["code"],
            "client_name": str(name)[:100] if isinstance(name, str) and name.strip() else None,
            "scope": " ".join(self.scopes),
        }
        for key in ("client_uri", "logo_uri", "tos_uri", "policy_uri"):
            if isinstance(document.get(key), str):
                fields[key] = document[key]
        try:
            return ZoomMcpClient.model_validate(fields)
        except ValidationError as exc:
            raise ClientRefused(f"the client ID document at {url[:200]!r} has invalid fields") from exc


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
