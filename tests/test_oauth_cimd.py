"""Client ID Metadata Documents: the SDK's client signs in with an https client ID whose document this server
fetches over verified TLS (a test CA it is told to trust); and the fetch is fenced: private, loopback and
cloud-metadata addresses, other schemes, names off the allow-list, redirects, oversized or non-JSON answers,
documents naming another client or holding a secret are all refused, mostly before any request is made."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp.client.auth import PKCEParameters

from tests.oauth_harness import Browser, RawClient, connected, sdk_provider, serving
from tests.tls import Authority, make_ca, serve_https
from zoom_mcp.clock import FixedClock
from zoom_mcp.errors import ClientRefused
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.sandbox.fixtures.people import SAM_ID
from zoom_mcp.transport.oauth.clients import FetchPolicy, MetadataFetcher, is_public

pytestmark = pytest.mark.anyio
REDIRECT = "http://127.0.0.1:9/callback"


class Documents:
    """An HTTPS site publishing client ID metadata documents, good and bad; it counts what was asked."""

    def __init__(self, redirect: str = REDIRECT) -> None:
        self.port = 0
        self.redirect = redirect  # the client's redirect URI its documents list
        self.hits: list[str] = []

    def url(self, path: str) -> str:
        return f"https://localhost:{self.port}{path}"

    def document(self, path: str, **override: Any) -> dict[str, Any]:
        return {
            "client_id": self.url(path),
            "client_name": "Example Desktop",
            "redirect_uris": [self.redirect],
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "none",
            **override,
        }

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope["path"]
        self.hits.append(path)
        status, kind, body = 200, b"application/json", b""
        if path == "/client.json":
            body = json.dumps(self.document(path)).encode()
        elif path == "/other-id.json":
            body = json.dumps(self.document(path, client_id=self.url("/client.json"))).encode()
        elif path == "/secret.json":
            body = json.dumps(self.document(path, client_secret="s3cret")).encode()
        elif path == "/evil-redirect.json":
            body = json.dumps(self.document(path, redirect_uris=["javascript:alert(1)"])).encode()
        elif path == "/big.json":
            body = json.dumps(self.document(path, padding="x" * 70_000)).encode()
        elif path == "/page.html":
            kind, body = b"text/html", b"<html></html>"
        elif path == "/moved.json":
            await send({"type": "http.response.start", "status": 302, "headers": [(b"location", b"/client.json")]})
            await send({"type": "http.response.body", "body": b""})
            return
        else:
            status = 404
        headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


@pytest.fixture
def ca(tmp_path: Path) -> Authority:
    return make_ca(tmp_path / "ca")


def trusting(ca: Authority, **extra: str) -> dict[str, str]:
    """The server told to trust the test CA, and (development only) to fetch from loopback."""
    return {"ZOOM_MCP_OAUTH_CA_BUNDLE": str(ca.ca_pem), "ZOOM_MCP_OAUTH_ALLOW_PRIVATE_FETCH": "1", **extra}


async def test_the_sdk_client_signs_in_with_a_client_id_metadata_document(
    sandbox: Sandbox, clock: FixedClock, ca: Authority
) -> None:
    site = Documents()
    async with serve_https(site, ca) as port:
        site.port = port
        async with serving(sandbox, clock, trusting(ca)) as served:
            person = Browser()
            provider = sdk_provider(served, person, SAM_ID, metadata_url=site.url("/client.json"))
            async with connected(served, provider) as client:
                tools = {t.name for t in (await client.list_tools()).tools}
                assert "list_user_recordings" in tools
                me = await client.call_tool("list_user_meetings", {"userId": "me"})
                assert not me.is_error
            consent = next(r for r in person.history if "/oauth/consent" in str(r.url) and r.request.method == "GET")
            assert "Example Desktop" in consent.text and "<b id=client-host>localhost</b>" in consent.text
            assert provider.context.client_info is not None
            assert provider.context.client_info.client_id == site.url("/client.json")  # no registration happened
            assert site.hits.count("/client.json") == 1  # fetched once, then kept
            await person.aclose()


async def test_an_untrusted_certificate_is_not_a_client(sandbox: Sandbox, clock: FixedClock, ca: Authority) -> None:
    site = Documents()
    async with serve_https(site, ca) as port:
        site.port = port
        # Loopback allowed, but the test CA not trusted: TLS verification is on, so the document is not fetched.
        async with serving(sandbox, clock, {"ZOOM_MCP_OAUTH_ALLOW_PRIVATE_FETCH": "1"}) as served:
            raw = RawClient(served, client_id=site.url("/client.json"), redirect_uri=REDIRECT)
            answer = await raw.http.get(raw.authorize_url(PKCEParameters.generate().code_challenge))
            assert answer.status_code == 400 and "not found" in answer.text
            await raw.aclose()
        fetcher = MetadataFetcher(FetchPolicy(allow_private=True), ("zoom.read",))
        with pytest.raises(ClientRefused, match="could not be fetched"):  # the certificate did not verify
            await fetcher.client(site.url("/client.json"))
        await fetcher.aclose()


async def test_loopback_is_refused_without_the_development_setting(
    sandbox: Sandbox, clock: FixedClock, ca: Authority
) -> None:
    site = Documents()
    async with serve_https(site, ca) as port:
        site.port = port
        async with serving(sandbox, clock, {"ZOOM_MCP_OAUTH_CA_BUNDLE": str(ca.ca_pem)}) as served:
            for client_id in (site.url("/client.json"), f"https://127.0.0.1:{port}/client.json"):
                raw = RawClient(served, client_id=client_id, redirect_uri=REDIRECT)
                answer = await raw.http.get(raw.authorize_url(PKCEParameters.generate().code_challenge))
                assert answer.status_code == 400
                await raw.aclose()
        assert site.hits == []  # refused before connecting


async def test_the_allow_list_and_dcr_switched_off(sandbox: Sandbox, clock: FixedClock, ca: Authority) -> None:
    site = Documents()
    async with serve_https(site, ca) as port:
        site.port = port
        env = trusting(ca, ZOOM_MCP_ALLOWED_CLIENT_IDS="https://claude.ai/*", ZOOM_MCP_CLIENT_REGISTRATION="cimd")
        async with serving(sandbox, clock, env) as served:
            raw = RawClient(served, client_id=site.url("/client.json"), redirect_uri=REDIRECT)
            answer = await raw.http.get(raw.authorize_url(PKCEParameters.generate().code_challenge))
            assert answer.status_code == 400 and site.hits == []
            assert (await raw.register()).status_code == 404  # no dynamic registration
            meta = (await raw.http.get(f"{served.base}/.well-known/oauth-authorization-server")).json()
            assert "registration_endpoint" not in meta and meta["client_id_metadata_document_supported"] is True
            await raw.aclose()


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("/other-id.json", "names another client_id"),
        ("/secret.json", "must not hold a client secret"),
        ("/evil-redirect.json", "scheme that is not allowed"),
        ("/big.json", "is over"),
        ("/page.html", "is not JSON"),
        ("/moved.json", "redirects are not followed"),
        ("/missing.json", "answered HTTP 404"),
    ],
)
async def test_documents_that_are_refused(ca: Authority, path: str, why: str) -> None:
    site = Documents()
    async with serve_https(site, ca) as port:
        site.port = port
        fetcher = MetadataFetcher(FetchPolicy(allow_private=True, ca_bundle=str(ca.ca_pem)), ("zoom.read",))
        with pytest.raises(ClientRefused, match=why):
            await fetcher.client(site.url(path))
        assert site.hits == [path]  # the redirect was not followed
        await fetcher.aclose()


@pytest.mark.parametrize(
    "client_id",
    [
        "https://127.0.0.1/client.json",
        "https://169.254.169.254/latest/meta-data/client.json",  # cloud metadata
        "https://10.0.0.7/client.json",
        "https://192.168.1.1/client.json",
        "https://[::1]/client.json",
        "https://[::ffff:127.0.0.1]/client.json",
        "https://[fd00::1]/client.json",
        "https://100.64.0.1/client.json",  # shared address space
        "https://0.0.0.0/client.json",
        "https://metadata.internal.example/client.json",  # a name resolving to a private address
        "http://example.com/client.json",  # not https
        "https://example.com/",  # no path
        "https://user:pw@example.com/client.json",
        "https://example.com/a/../client.json",
        "https://example.com/client.json#x",
    ],
)
async def test_addresses_and_urls_that_are_never_fetched(client_id: str) -> None:
    asked: list[httpx2.Request] = []

    def transport(request: httpx2.Request) -> httpx2.Response:
        asked.append(request)
        return httpx2.Response(500)

    async def resolver(host: str, port: int) -> list[str]:
        return {"metadata.internal.example": ["10.1.2.3"]}.get(host, ["93.184.216.34"])

    fetcher = MetadataFetcher(
        FetchPolicy(), ("zoom.read",), resolver=resolver, transport=httpx2.MockTransport(transport)
    )
    with pytest.raises(ClientRefused):
        await fetcher.client(client_id)
    assert asked == []
    await fetcher.aclose()


async def test_the_connection_goes_to_the_address_that_was_checked() -> None:
    """One DNS answer is checked and used: a second, different answer (DNS rebinding) is never asked for."""
    asked: list[httpx2.Request] = []
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])

    async def resolver(host: str, port: int) -> list[str]:
        return next(answers)

    def transport(request: httpx2.Request) -> httpx2.Response:
        asked.append(request)
        document = {"client_id": "https://app.example/client.json", "redirect_uris": [REDIRECT]}
        return httpx2.Response(200, json=document)

    fetcher = MetadataFetcher(
        FetchPolicy(), ("zoom.read",), resolver=resolver, transport=httpx2.MockTransport(transport)
    )
    found = await fetcher.client("https://app.example/client.json")
    assert found.client_id == "https://app.example/client.json" and found.token_endpoint_auth_method == "none"
    (request,) = asked
    assert request.url.host == "93.184.216.34" and request.headers["host"] == "app.example"
    assert request.extensions["sni_hostname"] == "app.example"  # TLS checks the name, not the address
    await fetcher.aclose()


def test_what_counts_as_public() -> None:
    assert is_public("93.184.216.34") and is_public("2606:4700::1111")
    for private in ("127.0.0.1", "10.0.0.1", "169.254.169.254", "::1", "fe80::1", "::ffff:10.0.0.1", "224.0.0.1"):
        assert not is_public(private), private
