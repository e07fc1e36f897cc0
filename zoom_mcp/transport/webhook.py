"""`POST /zoom/webhook`: Zoom's recording events, authenticated by Zoom's signature.

Zoom cannot send our bearer token, so the security middleware lets exactly this path through without
it (Origin, Host and the global body cap still apply), and this route is its own authentication. A
delivery is accepted only when all of these hold, checked in this order; otherwise it is refused,
logged (the reason and the peer, never the body or a header) and changes nothing:

- `Content-Type: application/json` (else 415) and a body of at most `MAX_BODY` bytes (else 413);
- `x-zm-request-timestamp` within `WINDOW` seconds before now or `FUTURE` after it, on the injected
  clock (else 401): an old signed request cannot be replayed later;
- `x-zm-signature` is `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the app's secret
  token, compared in constant time (else 401);
- that signature was not seen before within the window (else 409): a replay inside the window;
- the body is a JSON object naming an `event` (else 400).

Zoom's endpoint check (`endpoint.url_validation`) is answered with `{plainToken, encryptedToken}`
(hex HMAC-SHA256 of the plain token) only when it is signed like any event: answering unsigned ones
would hand anyone an HMAC of their choosing under the secret, a signature for a forged event. Events
go to the inbox (`server.inbox`), which answers at once (200) and does the work later; a full queue
is answered 503 so Zoom delivers again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from zoom_mcp.clock import Clock
from zoom_mcp.server.inbox import WebhookInbox
from zoom_mcp.transport.security import WEBHOOK_PATH

log = logging.getLogger(__name__)

MAX_BODY = 256 * 1024  # bytes; a recording event with every file and participant audio is a few tens of KB
WINDOW = 300.0  # seconds a signed delivery stays acceptable after its timestamp
FUTURE = 60.0  # seconds a timestamp may run ahead of this server's clock
PLAIN_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,128}")  # Zoom's are 22 characters of base64url
VALIDATION = "endpoint.url_validation"


class Refused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Verifier:
    """Zoom's `v0` signature, the timestamp window and the replay memory."""

    def __init__(self, secret: str, clock: Clock, *, window: float = WINDOW, future: float = FUTURE) -> None:
        self._key = secret.encode()
        self.clock = clock
        self.window = window
        self.future = future
        self._seen: dict[str, float] = {}  # signature -> when it stops being acceptable anyway

    def check(self, headers: dict[str, str], body: bytes) -> None:
        """Raise Refused unless the delivery is signed with the secret, fresh and new."""
        signature = headers.get("x-zm-signature", "")
        stamp = headers.get("x-zm-request-timestamp", "")
        if not signature or not stamp:
            raise Refused(401, "unsigned: x-zm-signature and x-zm-request-timestamp are required")
        if not stamp.isdigit() or len(stamp) > 13:
            raise Refused(401, "x-zm-request-timestamp is not a Unix time")
        moment = int(stamp) / (1000 if len(stamp) > 11 else 1)  # seconds; milliseconds are known by their size
        now = self.clock.time()
        if now - moment > self.window:
            raise Refused(401, "stale: x-zm-request-timestamp is too old")
        if moment - now > self.future:
            raise Refused(401, "x-zm-request-timestamp is in the future")
        expected = "v0=" + self.sign(b"v0:" + stamp.encode() + b":" + body)
        if not hmac.compare_digest(signature.encode("latin-1"), expected.encode()):
            raise Refused(401, "bad signature")
        self._forget(now)
        if signature in self._seen:
            raise Refused(409, "replayed: this signed delivery was already received")
        self._seen[signature] = moment + self.window

    def sign(self, message: bytes) -> str:
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def _forget(self, now: float) -> None:
        if len(self._seen) > 64:
            self._seen = {s: until for s, until in self._seen.items() if until >= now}


def webhook_routes(inbox: WebhookInbox, secret: str, clock: Clock) -> list[Route]:
    verifier = Verifier(secret, clock)

    async def receive(request: Request) -> Response:
        peer = request.client.host if request.client else "?"
        try:
            return await _answer(request, verifier, inbox)
        except Refused as refused:
            log.warning("webhook refused from %s: %s", peer, refused.reason)
            return JSONResponse({"error": refused.reason}, status_code=refused.status)

    return [Route(WEBHOOK_PATH, receive, methods=["POST"])]


async def _answer(request: Request, verifier: Verifier, inbox: WebhookInbox) -> Response:
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise Refused(415, "Content-Type must be application/json")
    body = await _body(request)
    verifier.check({k.lower(): v for k, v in request.headers.items()}, body)
    try:
        event = json.loads(body)
    except ValueError:
        raise Refused(400, "the body is not JSON") from None
    if not isinstance(event, dict) or not isinstance(event.get("event"), str):
        raise Refused(400, "the body is not a Zoom event")
    if event["event"] == VALIDATION:
        return _validation(event, verifier, inbox)
    outcome = await inbox.deliver(event, hashlib.sha256(body).hexdigest())
    if outcome == "full":
        return JSONResponse({"error": "busy: too many events waiting"}, status_code=503, headers={"retry-after": "300"})
    return JSONResponse({"status": outcome})


def _validation(event: dict[str, Any], verifier: Verifier, inbox: WebhookInbox) -> Response:
    payload = event.get("payload")
    plain = payload.get("plainToken") if isinstance(payload, dict) else None
    if not isinstance(plain, str) or not PLAIN_TOKEN.fullmatch(plain):
        raise Refused(400, "endpoint.url_validation needs a plainToken")
    inbox.validated()
    return JSONResponse({"plainToken": plain, "encryptedToken": verifier.sign(plain.encode())})


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise Refused(413, f"body over {MAX_BODY} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise Refused(413, f"body over {MAX_BODY} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
