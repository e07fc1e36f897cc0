"""`zoom-mcp --sandbox --transport http --auth oauth`, served in this process on a loopback port on the
test's pinned clock, and the people who sign in to it: a browser without JavaScript (httpx, following
redirects by hand and keeping the cookies the server sets) and the SDK's own OAuth client.

The server is assembled from settings exactly as the CLI does it (`assemble`, then the serve command's
`http_options` and `http_app_of`); only the listening is done here, so the test's clock is the server's.
The browser tests drive Chromium through the same steps instead (tests/test_oauth_browser.py).
"""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import anyio
import httpx2
import uvicorn
from mcp import Client
from mcp.client.auth import OAuthClientProvider, PKCEParameters, TokenStorage
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientInformationFull, OAuthClientMetadata, OAuthToken
from pydantic import AnyUrl

from tests.conftest import CATALOG, sandbox_settings
from tests.http_server import free_port
from zoom_mcp.app.assemble import App, assemble
from zoom_mcp.app.commands.serve import http_app_of, http_options
from zoom_mcp.app.settings import load
from zoom_mcp.clock import Clock
from zoom_mcp.sandbox import Sandbox

CLIENT_REDIRECT = "http://127.0.0.1:9/callback"  # where the client waits for the code (never contacted here)


@dataclass
class Served:
    app: App
    base: str  # http://localhost:PORT: the issuer, and the origin of every page

    @property
    def mcp_url(self) -> str:
        return f"{self.base}/mcp"


@asynccontextmanager
async def serving(
    sandbox: Sandbox | None, clock: Clock, env: Mapping[str, str] | None = None, **flags: Any
) -> AsyncIterator[Served]:
    """The OAuth server on a free loopback port until the block ends: over this in-process sandbox, or
    (`sandbox=None`) over whatever Zoom the environment names, as a deployment is configured."""
    port = free_port()
    if sandbox is not None:
        settings = sandbox_settings(env, transport="http", auth="oauth", port=str(port), **flags)
    else:
        flags.setdefault("toolsets", "all")
        settings = load(dict(env or {}), flags={"transport": "http", "auth": "oauth", "port": str(port), **flags})
    options, security = http_options(settings)
    async with assemble(settings, clock=clock, catalog=CATALOG, sandbox=sandbox) as app:
        asgi = http_app_of(app, options, security)
        server = uvicorn.Server(uvicorn.Config(asgi, host="127.0.0.1", port=port, lifespan="on", log_level="warning"))
        async with anyio.create_task_group() as group:
            group.start_soon(server.serve)
            with anyio.fail_after(10):
                while not server.started:
                    await anyio.sleep(0.01)
            try:
                yield Served(app, f"http://localhost:{port}")
            finally:
                server.should_exit = True


@dataclass
class Browser:
    """A person's browser without JavaScript. It keeps the cookies the server sets (Secure ones on
    http://localhost too, as a browser does in this secure context) and follows redirects by hand, so a
    test can stop anywhere. `origin` is what it sends as `Origin` on a form post: the page's own."""

    cookies: dict[str, str] = field(default_factory=dict)
    http: httpx2.AsyncClient = field(default_factory=lambda: httpx2.AsyncClient(timeout=30))
    history: list[httpx2.Response] = field(default_factory=list)

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx2.Response:
        headers = dict(kwargs.pop("headers", {}))
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        answer = await self.http.request(method, url, headers=headers, **kwargs)
        for line in answer.headers.get_list("set-cookie"):
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0].strip('"')
            if "max-age=0" in line.lower() or not value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        self.history.append(answer)
        return answer

    async def get(self, url: str) -> httpx2.Response:
        return await self.request("GET", url)

    async def submit(self, page: httpx2.Response, choice: str, **extra: str) -> httpx2.Response:
        """Post the page's form with this button, as the page itself would (its hidden fields, its origin)."""
        fields = dict(re.findall(r"<input type=hidden name=(\w+) value='([^']*)'>", page.text))
        fields = {k: html.unescape(v) for k, v in fields.items()}
        action = re.search(r"<form method=post action='([^']+)'", page.text)
        target = httpx2.URL(str(page.url)).join(action.group(1) if action else "")
        origin = f"{page.url.scheme}://{page.url.netloc.decode()}"
        return await self.request(
            "POST", str(target), data={**fields, "choice": choice, **extra}, headers={"Origin": origin}
        )

    async def sign_in(self, authorize_url: str, user: str, *, write: bool = True, choice: str = "zoom") -> str:
        """From the client's /authorize to the redirect back to the client: our consent page (Continue to
        Zoom, or Allow when already signed in), then the sandbox's Zoom sign-in as `user`. The address the
        browser is finally sent to (the client's redirect URI with the code)."""
        answer = await self.get(authorize_url)
        assert answer.status_code == 302, answer.text
        consent = await self.get(answer.headers["location"])
        assert consent.status_code == 200, consent.text
        answer = await self.submit(consent, choice, **({"write": "1"} if write else {}))
        assert answer.status_code == 302, answer.text
        if choice == "zoom":
            answer = await self.zoom_sign_in(answer.headers["location"], user)
        return str(answer.headers["location"])

    async def zoom_sign_in(self, zoom_url: str, user: str) -> httpx2.Response:
        """The sandbox's Zoom sign-in page: the link of `user`, then back to our callback."""
        page = await self.get(zoom_url)
        link = re.search(rf"id='as-{user}' href='([^']+)'", page.text)
        assert link is not None, page.text
        answer = await self.get(str(httpx2.URL(zoom_url).join(html.unescape(link.group(1)))))
        assert answer.status_code == 302
        callback = await self.get(answer.headers["location"])
        assert callback.status_code == 302, callback.text
        return callback

    async def aclose(self) -> None:
        await self.http.aclose()


class MemoryTokens(TokenStorage):
    """What an MCP client keeps: its registration and its tokens."""

    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client_info: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client_info

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client_info = client_info


def code_of(url: str) -> AuthorizationCodeResult:
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert "code" in query, url
    return AuthorizationCodeResult(code=query["code"], state=query.get("state"), iss=query.get("iss"))


def sdk_provider(
    served: Served,
    person: Browser | None,
    user: str,
    *,
    storage: MemoryTokens | None = None,
    metadata_url: str | None = None,
    redirect_uri: str = CLIENT_REDIRECT,
    write: bool = True,
) -> OAuthClientProvider:
    """The SDK's client-side OAuth, its browser steps played by `person` signing in as the sandbox's `user`."""
    landed: list[str] = []

    async def open_browser(url: str) -> None:
        assert person is not None, "a browser to sign in with"
        landed.append(await person.sign_in(url, user, write=write))

    async def wait_for_callback() -> AuthorizationCodeResult:
        return code_of(landed.pop())

    metadata = OAuthClientMetadata(
        client_name="zoom-mcp tests",
        redirect_uris=[AnyUrl(redirect_uri)],
        grant_types=["authorization_code", "refresh_token"],
        response_types=["code"],
    )
    return OAuthClientProvider(
        served.mcp_url,
        metadata,
        storage or MemoryTokens(),
        open_browser,
        wait_for_callback,
        client_metadata_url=metadata_url,
    )


@asynccontextmanager
async def connected(served: Served, auth: httpx2.Auth, mode: str = "auto", **options: Any) -> AsyncIterator[Client]:
    """An MCP session over streamable HTTP whose requests carry what `auth` provides (`options`: the Client's)."""
    async with (
        httpx2.AsyncClient(auth=auth, timeout=30) as http,
        Client(streamable_http_client(served.mcp_url, http_client=http), mode=mode, **options) as client,
    ):
        yield client


# --- the protocol by hand, for the tests that break its rules ------------------------------------------------


@dataclass
class RawClient:
    """An OAuth client spoken by hand (no SDK): registers, builds /authorize URLs, exchanges and refreshes."""

    served: Served
    client_id: str = ""
    redirect_uri: str = CLIENT_REDIRECT
    http: httpx2.AsyncClient = field(default_factory=lambda: httpx2.AsyncClient(timeout=30))

    async def register(self, **metadata: Any) -> httpx2.Response:
        body = {
            "client_name": "hand-made client",
            "redirect_uris": [self.redirect_uri],
            "token_endpoint_auth_method": "none",
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            **metadata,
        }
        answer = await self.http.post(f"{self.served.base}/register", json=body)
        if answer.status_code == 201:
            self.client_id = answer.json()["client_id"]
        return answer

    def authorize_url(self, challenge: str, state: str = "s-1", **extra: str) -> str:
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "state": state,
            "resource": self.served.mcp_url,
            **extra,
        }
        return f"{self.served.base}/authorize?{httpx2.QueryParams({k: v for k, v in query.items() if v})}"

    async def token(self, **form: str) -> httpx2.Response:
        return await self.http.post(f"{self.served.base}/token", data={"client_id": self.client_id, **form})

    async def exchange(self, code: str, verifier: str, **extra: str) -> httpx2.Response:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": self.redirect_uri}
        return await self.token(**{**form, "code_verifier": verifier, **extra})

    async def refresh(self, refresh_token: str, **extra: str) -> httpx2.Response:
        return await self.token(grant_type="refresh_token", refresh_token=refresh_token, **extra)

    async def mcp(
        self, access_token: str | None, body: dict[str, Any] | None = None, **headers: str
    ) -> httpx2.Response:
        """One JSON-RPC POST to /mcp with this bearer token (an initialize unless `body` says otherwise)."""
        message = body or {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-11-25",
                "capabilities": {},
                "clientInfo": {"name": "t", "version": "1"},
            },
        }
        sent = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json", **headers}
        if access_token:
            sent["Authorization"] = f"Bearer {access_token}"
        return await self.http.post(self.served.mcp_url, json=message, headers=sent)

    async def aclose(self) -> None:
        await self.http.aclose()


async def signed_in_tokens(served: Served, user: str, **extra: str) -> tuple[RawClient, Browser, dict[str, Any]]:
    """A hand-made client registered by DCR, its person signed in as `user`: the token answer."""
    client, person = RawClient(served), Browser()
    assert (await client.register()).status_code == 201
    pkce = PKCEParameters.generate()
    landed = await person.sign_in(client.authorize_url(pkce.code_challenge, **extra), user)
    answer = await client.exchange(code_of(landed).code, pkce.code_verifier)
    assert answer.status_code == 200, answer.text
    return client, person, answer.json()
