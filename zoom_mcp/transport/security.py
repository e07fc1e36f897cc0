"""HTTP protections the MCP specification asks for, in front of every route.

- `Origin` must be on the allow-list (DNS-rebinding protection for browsers); requests
  without an Origin (non-browser clients) pass. On loopback binds, `Host` must be a loopback
  name (or the public URL's host), so a rebinding DNS name cannot reach the server.
- With a bearer token configured, every request must carry it (compared in constant time), except
  the approval pages (a passkey approves) and, with webhooks on, `POST /zoom/webhook` (Zoom signs it).
- Request bodies are capped.
- `/healthz` and `/readyz` answer without the token and whatever the `Host` (probes can send neither),
  and say nothing secret.
Error bodies are short JSON and never echo a header, a token or a secret.

With an access log, each request gets one JSON line on stderr when it ends (method, path, status,
duration, client address), and each refused authentication one more: never a header, a token, a body
or a query string, and an approval page's path without its ID (the ID is the page's address).
"""

from __future__ import annotations

import fnmatch
import hmac
import ipaddress
import json
import logging
import re
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from zoom_mcp.clock import SYSTEM_CLOCK, Clock

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DEFAULT_ORIGINS = ("http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*")


def is_loopback(host: str) -> bool:
    """`localhost`, or a loopback address (127.0.0.0/8, ::1); a name that merely starts with `127.` is not."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class HttpSecurity:
    token: str | None = field(default=None, repr=False)
    allowed_origins: tuple[str, ...] = DEFAULT_ORIGINS
    check_host: bool = True  # loopback binds: Host must be a loopback name or one of allowed_hosts
    allowed_hosts: tuple[str, ...] = ()  # host names besides loopback (the public URL's), without the port
    max_body_bytes: int = 1024 * 1024
    webhook: bool = False  # /zoom/webhook is served (ZOOM_WEBHOOK_SECRET_TOKEN): Zoom's signature authenticates it


WEBHOOK_PATH = "/zoom/webhook"
APPROVAL_PAGE = re.compile(r"/approvals/[A-Za-z0-9_-]{1,100}")  # exactly a page: no `..`, no deeper path
PROBES = frozenset({"/healthz", "/readyz"})
access = logging.getLogger("zoom_mcp.access")


def access_log_to_stderr() -> None:
    """The access log's lines go to stderr whatever ZOOM_MCP_LOG_LEVEL says (it is its own switch)."""
    if not access.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access.addHandler(handler)
    access.setLevel(logging.INFO)
    access.propagate = False


def _logged_path(path: str) -> str:
    return "/approvals/{id}" if APPROVAL_PAGE.fullmatch(path) else path[:200]


def _log(event: str, scope: Scope, **fields: Any) -> None:
    if not access.isEnabledFor(logging.INFO):
        return
    client = scope.get("client")
    line = {
        "event": event,
        "method": scope.get("method"),
        "path": _logged_path(scope.get("path", "")),
        **fields,
        "client": client[0] if client else None,
    }
    access.info(json.dumps(line, separators=(",", ":")))


class BodyTooLarge(Exception):
    pass


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, settings: HttpSecurity, clock: Clock = SYSTEM_CLOCK) -> None:
        self.app = app
        self._clock = clock
        self.settings = settings
        self._token = settings.token.encode() if settings.token else None
        # Graceful shutdown: POSTs carry the calls (their responses stay open until the result).
        self.in_flight = 0
        self.draining = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        began = self._clock.monotonic()
        status = 0

        async def logged_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self._serve(scope, receive, logged_send, headers)
        finally:
            _log("http", scope, status=status, ms=round((self._clock.monotonic() - began) * 1000, 1))

    async def _serve(self, scope: Scope, receive: Receive, send: Send, headers: dict[str, str]) -> None:
        path = scope["path"]
        # Approval pages: a browser cannot send the bearer token. Approving needs the person's passkey (the page
        # verifies the assertion); the single-use page ID, the CSRF token and the same-origin check are defence
        # in depth. Without the token a client can view a page it has the address of, or deny it.
        # Zoom's webhook deliveries: Zoom cannot send our token; the route verifies Zoom's signature instead.
        # Probes (/healthz, /readyz) can send neither a token nor the right Host, and say nothing secret.
        probe = path in PROBES
        problem = self._check(headers, bearer=not (probe or self._exempt(scope)), check_host=not probe)
        if problem is not None:
            if problem[0] == 401:
                _log(
                    "auth_failed",
                    scope,
                    reason="missing bearer token" if not headers.get("authorization") else ("wrong bearer token"),
                )
            await _deny(send, *problem)
            return
        length = headers.get("content-length")
        limit = self.settings.max_body_bytes
        if length and length.isdigit() and int(length) > limit:
            await _deny(send, 413, f"request body over {limit} bytes")
            return
        started = False
        too_large = False  # a body without Content-Length (chunked) that went over the limit

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if too_large:
                # The app's own answer to the cut body: Starlette's error middleware turns BodyTooLarge
                # into a 500 (and only then re-raises it), so it must never reach the client.
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        received = 0

        async def counted_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                too_large = True
                raise BodyTooLarge
            return message

        is_call = scope["method"] == "POST"
        # While draining, sessions already open may finish their exchanges; new ones go elsewhere.
        new_session = "mcp-session-id" not in headers and b"session_id=" not in scope.get("query_string", b"")
        if self.draining and new_session:
            await _deny(send, 503, "server is shutting down", {"retry-after": "1", "connection": "close"})
            return
        self.in_flight += is_call
        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            # BodyTooLarge comes back as itself, or wrapped in an ExceptionGroup by a task group on the way.
            if not too_large:
                raise
        finally:
            self.in_flight -= is_call
        if too_large and not started:
            await _deny(send, 413, f"request body over {limit} bytes")

    def _exempt(self, scope: Scope) -> bool:
        path = scope["path"]
        if self.settings.webhook and path == WEBHOOK_PATH and scope["method"] == "POST":
            return True
        return APPROVAL_PAGE.fullmatch(path) is not None

    def _check(
        self, headers: dict[str, str], bearer: bool = True, check_host: bool = True
    ) -> tuple[int, str, dict[str, str]] | None:
        origin = headers.get("origin")
        if origin is not None and not any(fnmatch.fnmatchcase(origin, p) for p in self.settings.allowed_origins):
            return 403, "origin not allowed (add it with --allowed-origins)", {}
        if self.settings.check_host and check_host:
            host = headers.get("host", "")
            name = host.rsplit(":", 1)[0] if not host.startswith("[") else host[1 : host.find("]")]
            if not is_loopback(name) and name.lower() not in self.settings.allowed_hosts:
                return (
                    403,
                    "host not allowed: this server answers to loopback names (add others with --allowed-hosts)",
                    {},
                )
        if self._token is not None and bearer:
            auth = headers.get("authorization", "")
            given = auth[7:].encode() if auth[:7].lower() == "bearer " else b""
            if not hmac.compare_digest(given, self._token):
                return 401, "missing or wrong bearer token", {"www-authenticate": 'Bearer realm="zoom-mcp"'}
        return None


async def _deny(send: Send, status: int, reason: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"error": reason}).encode()
    out = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    out += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": out})
    await send({"type": "http.response.body", "body": body})
