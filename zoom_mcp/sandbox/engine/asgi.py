"""The sandbox's HTTP face, as an ASGI app: Zoom's API routes (from the catalog), OAuth, file downloads.

Each API request is routed on its raw path, may meet an injected fault, is checked for a valid
bearer token and the operation's scopes, then answered by the gateway; it is logged with the
status it got (`sandbox.requests`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

import anyio

from zoom_mcp.sandbox.engine import downloads
from zoom_mcp.sandbox.engine.calls import Call, ZoomHTTPError
from zoom_mcp.sandbox.engine.faults import DroppedConnection, RefusedConnection
from zoom_mcp.sandbox.engine.log import RecordedRequest
from zoom_mcp.sandbox.engine.messages import Receive, Scope, Send, multipart_form, read_body, respond
from zoom_mcp.sandbox.engine.oauth import (
    UserOAuthState,
    authorize,
    authorized,
    missing_scopes,
    token_endpoint,
    users_me,
    whose,
)
from zoom_mcp.sandbox.engine.router import Router

if TYPE_CHECKING:
    from zoom_mcp.sandbox.sandbox import Sandbox


class SandboxApp:
    """The ASGI callable of one sandbox."""

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
            status, reply = token_endpoint(self.sandbox, self.user_oauth, headers, query, body)
            await respond(send, status, reply)
        elif raw_path == "/oauth/authorize" and method == "GET":
            status, reply, extra = authorize(self.sandbox, self.user_oauth, query)
            await respond(send, status, reply, extra)
        elif raw_path == "/v2/users/me" and method == "GET":
            status, reply = users_me(self.sandbox, headers)
            self.sandbox.requests.append(RecordedRequest(method, raw_path, {}, query, None, None, status))
            await respond(send, status, reply)
        elif raw_path.startswith("/rec/download/") and method == "GET":
            await downloads.download(self.sandbox, send, headers, query, raw_path.rsplit("/", 1)[-1])
        elif raw_path.startswith("/rec/storage/") and method == "GET":
            await downloads.storage(self.sandbox, send, query, raw_path.rsplit("/", 1)[-1])
        elif raw_path.startswith("/v2/"):
            await self._api(receive, send, method, raw_path, headers, query, body)
        elif raw_path == "/_sandbox/requests" and method == "GET":
            # The sandbox's own log, for tests and benchmarks that run it as a separate process.
            log = {"requests": [r.summary() for r in self.sandbox.requests], "in_flight": self.sandbox.in_flight}
            await respond(send, 200, log)
        else:
            await respond(send, 404, {"code": 404, "message": "Not found."})
        webhooks = self.sandbox.webhooks
        if webhooks is not None and webhooks.outbox:  # what this request caused, once it is answered, as Zoom does
            await webhooks.flush()

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
        """One `/v2/...` request: fault, token, scopes, route, body, then the gateway's answer."""
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
        arrived = sandbox.clock.time()

        def record(status: int) -> None:
            name, label = (op.name, op.rate_limit) if op else (None, "")
            kind = fault.fault if fault else None
            sandbox.requests.append(
                RecordedRequest(method, raw_path, params, query, parsed, name, status, kind, at=arrived, label=label)
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
            status, reply, extra = fault.reply()
        elif not authorized(sandbox, headers):
            status, reply = 401, {"code": 124, "message": "Invalid access token."}
        elif op is not None and (missing := missing_scopes(sandbox, headers, op)):
            # Zoom's answer when the app lacks the operation's scopes (it lists the granular ones).
            message = f"Invalid access token, does not contain scopes:[{missing}]."
            status, reply = 400, {"code": 4711, "message": message}
        elif op is None:
            status, reply = 404, {"code": 404, "message": f"No such API: {method} {raw_path}"}
        elif body.strip() and parsed is None:
            status, reply = 400, {"code": 300, "message": "Request body is not valid JSON."}
        else:
            call = Call(sandbox, op, params, query, parsed, headers)
            users = sandbox.state.users
            users.acting = whose(sandbox, headers)  # `me` is the token's user; handlers run without awaiting
            try:
                status, reply = sandbox.handle(call)
            except ZoomHTTPError as exc:
                status, reply = exc.status, exc.body()
            finally:
                users.acting = None
        if fault is not None and fault.fault == "drop":
            record(0)
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1000")]})
            await send({"type": "http.response.body", "body": b'{"par', "more_body": True})
            raise DroppedConnection(f"{method} {raw_path}")
        record(status)
        await respond(send, status, reply, extra)

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
