"""`--auth oauth`: this server as an OAuth 2.1 authorization server in front of Zoom's user OAuth.

Every person connects as themselves. An MCP client finds the authorization server from the 401's
`WWW-Authenticate` (the Protected Resource Metadata, RFC 9728), registers (a Client ID Metadata
Document, or RFC 7591 registration), and sends the person through /authorize to our consent page and
on to Zoom's; back from Zoom the person's Zoom grant is kept (sealed) and the client gets our own code,
then our own tokens: bound to the person, the client, the scopes and this endpoint (RFC 8707).

- `clients`   which clients may ask: CIMD documents fetched behind an SSRF fence; DCR; redirect URI rules
- `issuer`    the SDK's provider and token verifier: codes, tokens, rotation, revocation, over sealed records
- `signin`    the consent page, the trip to Zoom and back, the browser session cookie
- here        the routes (the SDK's handlers and metadata, ours) and the guard in front of the MCP endpoints

The SDK's pieces do the protocol: `create_auth_routes` (authorize, token, register, revoke, RFC 8414
metadata), `create_protected_resource_routes` (RFC 9728), `BearerAuthBackend` and
`RequireAuthMiddleware` (401 with the metadata's address, 403 naming a missing scope).
"""

from __future__ import annotations

from dataclasses import dataclass

from mcp.server.auth.handlers.metadata import MetadataHandler
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser, BearerAuthBackend, RequireAuthMiddleware
from mcp.server.auth.middleware.client_auth import AuthenticationError, ClientAuthenticator
from mcp.server.auth.routes import (
    REVOCATION_PATH,
    build_metadata,
    build_resource_metadata_url,
    cors_middleware,
    create_auth_routes,
    create_protected_resource_routes,
)
from mcp.server.auth.settings import ClientRegistrationOptions, RevocationOptions
from pydantic import AnyHttpUrl, ConfigDict, TypeAdapter
from starlette.authentication import UnauthenticatedUser
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from zoom_mcp.transport.oauth.issuer import CONSENT_PATH, READ, SCOPES, Issuer
from zoom_mcp.transport.oauth.signin import BrowserSessions, SignIn
from zoom_mcp.transport.oauth.throttle import Throttle, Throttled
from zoom_mcp.transport.security import ASGIApp, Receive, Scope, Send

METADATA_PATH = "/.well-known/oauth-authorization-server"
EXACT_URL = TypeAdapter(AnyHttpUrl, config=ConfigDict(url_preserve_empty_path=True))
PROTECTED = {"/mcp": "/mcp", "/sse": "/sse", "/messages/": "/sse"}  # a path prefix -> the endpoint it serves
# The endpoints that store something or look a secret up for anyone who asks: a ceiling per client address.
THROTTLED = frozenset({"/authorize", "/token", "/register", CONSENT_PATH})


@dataclass
class OAuthServer:
    issuer: Issuer
    sign_in: SignIn
    throttle: Throttle | None = None  # the ceiling per client address on each of THROTTLED

    @property
    def sessions(self) -> BrowserSessions:
        return self.sign_in.sessions

    def routes(self) -> list[Route]:
        """The authorization server's routes, the resource metadata of each endpoint, and our pages."""
        config = self.issuer.config
        # Kept as written (no "/" added to a path-less URL): the issuer is compared as a string (RFC 8414, 9207).
        issuer_url = EXACT_URL.validate_python(config.base_url)
        registration = ClientRegistrationOptions(
            enabled=config.dcr, valid_scopes=list(SCOPES), default_scopes=list(SCOPES)
        )
        revocation = RevocationOptions(enabled=True)
        routes = [
            r
            for r in create_auth_routes(self.issuer, issuer_url, None, registration, revocation)
            if r.path not in (METADATA_PATH, REVOCATION_PATH)
        ]
        revoke = Revocation(self.issuer)
        routes.append(
            Route(REVOCATION_PATH, cors_middleware(revoke.handle, ["POST", "OPTIONS"]), methods=["POST", "OPTIONS"])
        )
        metadata = build_metadata(issuer_url, None, registration, revocation)
        metadata.token_endpoint_auth_methods_supported = ["none", "client_secret_post", "client_secret_basic"]
        metadata.revocation_endpoint_auth_methods_supported = ["none", "client_secret_post", "client_secret_basic"]
        metadata.client_id_metadata_document_supported = config.cimd
        metadata.authorization_response_iss_parameter_supported = True
        handler = MetadataHandler(metadata)
        routes.append(
            Route(METADATA_PATH, cors_middleware(handler.handle, ["GET", "OPTIONS"]), methods=["GET", "OPTIONS"])
        )
        for resource in config.resources.values():
            routes += create_protected_resource_routes(
                AnyHttpUrl(resource), [issuer_url], scopes_supported=list(SCOPES), resource_name="zoom-mcp"
            )
        routes += self.sign_in.routes()
        if self.throttle is None:
            return routes
        return [
            Route(r.path, Throttled(self.throttle, r.path, r.app), methods=sorted(r.methods or ()))
            if r.path in THROTTLED
            else r
            for r in routes
        ]

    def guard(self, app: ASGIApp) -> ASGIApp:
        """Every request authenticated if it carries one of our tokens; the MCP endpoints require one."""
        return AuthenticationMiddleware(
            Guard(app, self.issuer.config.resources), backend=BearerAuthBackend(self.issuer)
        )


class Revocation:
    """RFC 7009 revocation. The SDK's handler requires a `client_secret` field even from a public client,
    which RFC 7009 never sends; this one takes the same steps (the SDK's client authentication, then the
    provider's loaders and `revoke_token`) without it. An unknown token is answered 200, as the RFC says."""

    def __init__(self, issuer: Issuer) -> None:
        self.issuer = issuer
        self.clients = ClientAuthenticator(issuer)

    async def handle(self, request: Request) -> Response:
        no_store = {"Cache-Control": "no-store", "Pragma": "no-cache"}
        try:
            client = await self.clients.authenticate_request(request)
        except AuthenticationError as exc:
            return JSONResponse({"error": "invalid_client", "error_description": exc.message}, 401, no_store)
        token = (await request.form()).get("token")
        if not isinstance(token, str) or not token:
            return JSONResponse({"error": "invalid_request", "error_description": "token is required"}, 400, no_store)
        found = await self.issuer.load_access_token(token) or await self.issuer.load_refresh_token(client, token)
        if found is not None and found.client_id == client.client_id:
            await self.issuer.revoke_token(found)
        return Response(status_code=200, headers=no_store)


class Guard:
    """In front of the MCP endpoints: a token of ours, issued for this very endpoint, with `zoom.read`.

    A token for another resource (another server, another endpoint) counts as no token: 401, whose
    `WWW-Authenticate` points at this endpoint's Protected Resource Metadata (the SDK's middleware).
    """

    def __init__(self, app: ASGIApp, resources: dict[str, str]) -> None:
        self.app = app
        self.resources = resources
        self._required = {
            prefix: RequireAuthMiddleware(app, [READ], build_resource_metadata_url(AnyHttpUrl(resources[endpoint])))
            for prefix, endpoint in PROTECTED.items()
            if endpoint in resources
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        for prefix, required in self._required.items():
            if path == prefix or (prefix.endswith("/") and path.startswith(prefix)):
                user = scope.get("user")
                resource = self.resources[PROTECTED[prefix]]
                if isinstance(user, AuthenticatedUser) and user.access_token.resource != resource:
                    scope["user"] = UnauthenticatedUser()  # another audience: as if no token was sent
                await required(scope, receive, send)
                return
        await self.app(scope, receive, send)
