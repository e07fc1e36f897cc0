"""The sandbox's HTTP face: Zoom's routes (from the catalog), its OAuth token endpoint, its errors.

Routing (`wire.Router`) works on the raw, still-encoded path so an encoded `/` inside an ID can
never create a segment; each segment is decoded after the split, twice when Zoom's double-encoding
rule was applied.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote

import anyio

from zoom_mcp.api import Operation
from zoom_mcp.sandbox.faults import DroppedConnection, Fault, RefusedConnection
from zoom_mcp.sandbox.oauth import UserOAuthState, authorize, user_grant
from zoom_mcp.sandbox.wire import Receive, Router, Scope, Send, multipart_form, read_body, respond, send_file

if TYPE_CHECKING:
    from zoom_mcp.sandbox import Sandbox


STATIC_TOKEN = "sandbox-token"  # always valid, so ZOOM_ACCESS_TOKEN=sandbox-token works too
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class ZoomHTTPError(Exception):
    """Raised by handlers; becomes Zoom's error shape `{"code", "message"}` (plus `errors` for validation)."""

    def __init__(self, status: int, code: int, message: str, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.errors = status, code, message, errors

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.errors:
            out["errors"] = self.errors
        return out


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    raw_path: str
    path_params: dict[str, str]
    query: dict[str, str]
    json: Any
    operation: str | None
    status: int  # what the sandbox answered; 0 when it answered nothing (dropped or abandoned)
    fault: str | None = None


@dataclass
class Call:
    """One API request as a handler sees it."""

    sandbox: Sandbox
    op: Operation
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    headers: dict[str, str] = field(default_factory=dict)

    def error(self, status: int, code: int, fallback: str, **fill: Any) -> ZoomHTTPError:
        """Zoom's error for `code`, worded as this operation's reference words it when it lists that code.

        Placeholders are filled from the path values and `fill` (matched case-insensitively, since the
        reference spells them loosely: `{meetingUUId}`, `{0}`), and `{accountId}` from the credentials.
        """
        documented = [e for e in self.op.errors if e.code == code]
        exact = [e for e in documented if e.status == status]
        template = (exact or documented)[0].message if documented else fallback
        values = {"accountid": self.sandbox.credentials.account_id}
        values.update({k.lower(): str(v) for k, v in {**self.params, **fill}.items()})
        if self.params:
            values.setdefault("0", str(next(iter(self.params.values()))))

        def fill_in(match: re.Match[str]) -> str:
            return values.get(match.group(1).lower(), match.group(0))

        return ZoomHTTPError(status, code, _PLACEHOLDER.sub(fill_in, template))


Reply = tuple[int, Any]
Handler = Callable[[Call], Reply]


class SandboxApp:
    """The ASGI callable."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.router = Router(list(sandbox.catalog))
        self.user_oauth = UserOAuthState()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        raw_path = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1").split("?", 1)[0]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
        body = await read_body(receive)
        method = scope["method"]
        if raw_path == "/oauth/token" and method == "POST":
            status, reply = self._token(headers, query, body)
            await respond(send, status, reply)
        elif raw_path == "/oauth/authorize" and method == "GET":
            status, reply, extra = authorize(self.sandbox, self.user_oauth, query)
            await respond(send, status, reply, extra)
        elif raw_path.startswith("/rec/download/") and method == "GET":
            await self._download(send, headers, query, raw_path.rsplit("/", 1)[-1])
        elif raw_path.startswith("/rec/storage/") and method == "GET":
            await self._storage(send, query, raw_path.rsplit("/", 1)[-1])
        elif raw_path.startswith("/v2/"):
            await self._api(receive, send, method, raw_path, headers, query, body)
        else:
            await respond(send, 404, {"code": 404, "message": "Not found."})

    def _token(self, headers: dict[str, str], query: dict[str, str], body: bytes) -> Reply:
        """Server-to-Server OAuth. Zoom documents the parameters in the query string; clients also form-post them."""
        sandbox = self.sandbox
        sandbox.token_requests += 1
        creds = sandbox.credentials
        form = {**query, **dict(parse_qsl(body.decode("utf-8", "replace")))}
        scheme, _, encoded = headers.get("authorization", "").partition(" ")
        try:
            client_id, _, secret = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
        except ValueError:
            client_id, secret = "", ""
        if scheme.lower() != "basic" or (client_id, secret) != (creds.client_id, creds.client_secret):
            return 401, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
        grant = form.get("grant_type")
        if grant in ("authorization_code", "refresh_token"):
            return user_grant(sandbox, self.user_oauth, form)
        if grant != "account_credentials":
            reason = "Missing grant_type" if not grant else "Unsupported grant_type"
            return 400, {"reason": reason, "error": "invalid_request"}
        if form.get("account_id") != creds.account_id:
            reason = "Missing account_id" if not form.get("account_id") else "Invalid account_id"
            return 400, {"reason": reason, "error": "invalid_request"}
        token = secrets.token_urlsafe(24)
        sandbox.tokens[token] = sandbox.clock() + sandbox.token_lifetime
        scopes = sorted(sandbox.granted_scopes())
        if sandbox.scopes is not None:  # only narrowed tokens are checked per call
            sandbox.token_scopes[token] = sandbox.scopes
        return 200, {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": sandbox.token_lifetime,
            "scope": " ".join(scopes),
            "api_url": "https://api.zoom.us",
        }

    def _missing_scopes(self, headers: dict[str, str], op: Operation) -> str:
        """The operation's scopes, comma-separated, when the token holds none of them; "" when it may call."""
        from zoom_mcp.api.scopes import authorized

        token = headers.get("authorization", "").partition(" ")[2].strip()
        granted = self.sandbox.token_scopes.get(token)
        if granted is None or authorized(op, granted):  # the static token, tokens with every scope
            return ""
        return ", ".join(op.granular_scopes or op.scopes)

    def _authorized(self, headers: dict[str, str], query_token: str | None = None) -> bool:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            token = query_token or ""
        token = token.strip()
        if not token:
            return False
        if token == STATIC_TOKEN:
            return True
        expires = self.sandbox.tokens.get(token)
        return expires is not None and self.sandbox.clock() < expires

    async def _api(
        self,
        receive: Receive,
        send: Send,
        method: str,
        raw_path: str,
        headers: dict[str, str],
        query: dict[str, str],
        body: bytes,
    ) -> None:
        sandbox = self.sandbox
        found = self.router.match(method, raw_path[len("/v2") :])
        op, params = found if found else (None, {})
        content_type = headers.get("content-type", "")
        try:
            if content_type.startswith("multipart/form-data"):
                parsed: Any = multipart_form(body, content_type)
            else:
                parsed = json.loads(body) if body.strip() else None
        except ValueError:
            parsed = None
        fault = sandbox.faults.pick(op.name if op else None, method)

        def record(status: int) -> None:
            name = op.name if op else None
            sandbox.requests.append(
                RecordedRequest(method, raw_path, params, query, parsed, name, status, fault.fault if fault else None)
            )

        if fault is not None and fault.fault == "refuse":
            raise RefusedConnection(f"{method} {raw_path}")
        if fault is not None and fault.fault == "delay":
            answered = False
            try:
                answered = await self._delay(receive, fault.seconds)
            finally:
                if not answered:  # cancelled or disconnected: the request was abandoned
                    record(0)
            if not answered:
                return
        extra: dict[str, str] = {}
        if fault is not None and fault.fault not in ("delay", "drop"):
            status, reply, extra = self._fault_reply(fault)
        elif not self._authorized(headers):
            status, reply = 401, {"code": 124, "message": "Invalid access token."}
        elif op is not None and (missing := self._missing_scopes(headers, op)):
            # Zoom's answer when the app lacks the operation's scopes (it lists the granular ones).
            message = f"Invalid access token, does not contain scopes:[{missing}]."
            status, reply = 400, {"code": 4711, "message": message}
        elif op is None:
            status, reply = 404, {"code": 404, "message": f"No such API: {method} {raw_path}"}
        elif body.strip() and parsed is None:
            status, reply = 400, {"code": 300, "message": "Request body is not valid JSON."}
        else:
            call = Call(sandbox, op, params, query, parsed, headers)
            try:
                status, reply = sandbox.handle(call)
            except ZoomHTTPError as exc:
                status, reply = exc.status, exc.body()
        if fault is not None and fault.fault == "drop":
            record(0)
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1000")]})
            await send({"type": "http.response.body", "body": b'{"par', "more_body": True})
            raise DroppedConnection(f"{method} {raw_path}")
        record(status)
        await respond(send, status, reply, extra)

    def _fault_reply(self, fault: Fault) -> tuple[int, Any, dict[str, str]]:
        if fault.fault == "rate_limit":
            headers = {
                "Retry-After": f"{fault.retry_after:g}",
                "X-RateLimit-Category": "Light",
                "X-RateLimit-Type": "QPS",
                "X-RateLimit-Limit": "30",
                "X-RateLimit-Remaining": "0",
            }
            return (
                429,
                {"code": 429, "message": "You have reached the maximum per-second rate limit for this API."},
                headers,
            )
        if fault.fault == "expired_token":
            return 401, {"code": 124, "message": "Access token is expired."}, {}
        if fault.fault == "malformed":
            return 200, b"<html><body>Bad gateway</body></html>", {"content-type": "text/html"}
        return fault.status, {"code": fault.status, "message": f"Sandbox fault: HTTP {fault.status}."}, {}

    async def _delay(self, receive: Receive, seconds: float) -> bool:
        """Wait `seconds`; False when the client went away first (the request is then abandoned)."""
        sandbox = self.sandbox
        sandbox.in_flight += 1
        finished = False
        try:
            with anyio.move_on_after(seconds):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return False
                    if message["type"] == "http.request" and not message.get("more_body"):
                        await anyio.sleep(seconds)  # a transport that never reports disconnects
            finished = True
            return True
        finally:
            sandbox.in_flight -= 1
            if not finished:
                sandbox.abandoned += 1

    async def _download(self, send: Send, headers: dict[str, str], query: dict[str, str], file_id: str) -> None:
        """A recording file's bytes; like Zoom, the token may also come as `?access_token=`.

        With `sandbox.download_redirect` set, the answer is Zoom's other one: a 302 to a storage host
        with a signed URL (which needs no token, and must not be sent one).
        """

        record = self._recorder("download", file_id, query)

        if not self._authorized(headers, query.get("access_token")):
            record(401)
            await respond(send, 401, {"code": 124, "message": "Invalid access token."})
            return
        content = self.sandbox.state.download(unquote(file_id))
        if content is None:
            record(404)
            await respond(send, 404, {"code": 3301, "message": "There is no recording for this meeting."})
            return
        redirect = self.sandbox.download_redirect
        if redirect:
            record(302)
            signed = f"?signature={self.signature(unquote(file_id))}"
            await respond(send, 302, b"", {"location": f"{redirect.rstrip('/')}/rec/storage/{file_id}{signed}"})
            return
        record(200)
        await send_file(send, content)

    def _recorder(self, route: str, file_id: str, query: dict[str, str]) -> Callable[[int], None]:
        """Logs a file request with its answer: tests count what was fetched, and from where."""

        def record(status: int) -> None:
            path = f"/rec/{route}/{file_id}"
            self.sandbox.requests.append(RecordedRequest("GET", path, {"fileId": file_id}, query, None, None, status))

        return record

    def signature(self, file_id: str) -> str:
        """The storage URL's signature for a file: an HMAC only this sandbox can make."""
        return hmac.new(self.sandbox.download_key, file_id.encode(), hashlib.sha256).hexdigest()

    async def _storage(self, send: Send, query: dict[str, str], file_id: str) -> None:
        """The storage host a download redirects to: no token, but the URL's signature must be right."""

        record = self._recorder("storage", file_id, query)

        wanted = self.signature(unquote(file_id)).encode()
        if not hmac.compare_digest(query.get("signature", "").encode(), wanted):
            record(403)
            await respond(send, 403, {"code": 403, "message": "Signature does not match."})
            return
        content = self.sandbox.state.download(unquote(file_id))
        if content is None:
            record(404)
            await respond(send, 404, {"code": 3301, "message": "There is no recording for this meeting."})
            return
        record(200)
        await send_file(send, content)
