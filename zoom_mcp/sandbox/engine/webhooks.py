"""Zoom's webhooks, as the sandbox sends them: signed exactly as Zoom signs, posted as Zoom posts.

Configured with an endpoint URL and the app's secret token (`Sandbox.send_webhooks_to`), the sandbox
queues an event whenever Zoom would send one (a recording completed or transcribed, trashed, deleted,
recovered; an AI summary done) and posts the queue after answering the request that caused it
(`flush`). Each delivery is

    POST <url>   Content-Type: application/json; charset=utf-8   User-Agent: Zoom Marketplace/1.1a
    x-zm-request-timestamp: <Unix seconds>
    x-zm-signature: v0=<hex HMAC-SHA256(secret, "v0:<timestamp>:<body>")>
    {"event": ..., "payload": {"account_id": ..., "object": {...}}, "event_ts": <ms>[, "download_token": ...]}

with the body compact JSON, as Zoom's. `validate` registers the endpoint as Zoom does when the event
subscription is saved: an `endpoint.url_validation` with a `plainToken`, whose answer must carry the
HMAC of it. Fault mode (`faults`) misdelivers each event too: `bad_signature` first sends it signed
with the wrong secret, `replay` sends the very same signed request a second time, `duplicate` delivers
the same body again with another timestamp and signature (what Zoom does when it thinks a delivery
failed; the timestamp is a second earlier, so a pinned clock needs no moving).
Every delivery is logged with the answer it got (`deliveries`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx2

if TYPE_CHECKING:
    from zoom_mcp.sandbox.sandbox import Sandbox

FAULTS = ("bad_signature", "replay", "duplicate")
USER_AGENT = "Zoom Marketplace/1.1a"
TIMEOUT = 10.0


@dataclass(frozen=True)
class Delivery:
    """One POST the sandbox made, and what came back (status 0: no answer at all)."""

    event: str
    kind: str  # "event", "validation", or the fault: "bad_signature", "replay", "duplicate"
    status: int
    answer: Any
    body: bytes = field(repr=False)


class WebhookSender:
    def __init__(
        self,
        sandbox: Sandbox,
        url: str,
        secret: str,
        *,
        transport: httpx2.AsyncBaseTransport | None = None,
        faults: tuple[str, ...] = (),
    ) -> None:
        unknown = set(faults) - set(FAULTS)
        if unknown:
            raise ValueError(f"unknown webhook fault(s) {', '.join(sorted(unknown))}; choose from {', '.join(FAULTS)}")
        self.sandbox = sandbox
        self.url = url
        self._secret = secret.encode()
        self.transport = transport  # None: the network (loopback); tests pass an ASGI transport
        self.faults = tuple(faults)
        self.outbox: list[dict[str, Any]] = []
        self.deliveries: list[Delivery] = []
        self.validated = False

    def queue(self, body: dict[str, Any]) -> None:
        self.outbox.append(body)

    def sign(self, body: bytes, stamp: str, secret: bytes | None = None) -> dict[str, str]:
        """Zoom's headers for a body sent at `stamp` (Unix seconds, as text)."""
        digest = hmac.new(secret or self._secret, b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
        return {
            "content-type": "application/json; charset=utf-8",
            "user-agent": USER_AGENT,
            "x-zm-request-timestamp": stamp,
            "x-zm-signature": f"v0={digest}",
        }

    def _stamp(self) -> str:
        return str(int(self.sandbox.clock.time()))

    async def validate(self) -> bool:
        """Zoom's endpoint validation; True when the endpoint answered it right."""
        plain = secrets.token_urlsafe(16)
        name = "endpoint.url_validation"
        body = _compact({"payload": {"plainToken": plain}, "event_ts": self._ms(), "event": name})
        async with self._client() as client:
            delivery = await self._post(client, name, "validation", body, self.sign(body, self._stamp()))
        expected = hmac.new(self._secret, plain.encode(), hashlib.sha256).hexdigest()
        answer = delivery.answer if isinstance(delivery.answer, dict) else {}
        self.validated = delivery.status == 200 and answer == {"plainToken": plain, "encryptedToken": expected}
        return self.validated

    async def flush(self) -> list[Delivery]:
        """Post every queued event (each misdelivered too, in fault mode); the deliveries made. Like Zoom, it
        sends nothing to an endpoint before it answered the validation (tried again at each flush)."""
        made: list[Delivery] = []
        if not self.outbox or (not self.validated and not await self.validate()):
            return made
        pending, self.outbox = self.outbox, []
        async with self._client() as client:
            for event in pending:
                name = str(event.get("event"))
                body = _compact(event)
                if "bad_signature" in self.faults:
                    wrong = self.sign(body, self._stamp(), secret=b"not-" + self._secret)
                    made.append(await self._post(client, name, "bad_signature", body, wrong))
                stamp = self._stamp()
                headers = self.sign(body, stamp)
                made.append(await self._post(client, name, "event", body, headers))
                if "replay" in self.faults:
                    made.append(await self._post(client, name, "replay", body, headers))
                if "duplicate" in self.faults:
                    # a second earlier than the first delivery's stamp, never equal to it (a fresh reading
                    # of the clock may have ticked over, and would sign the very same request again)
                    again = self.sign(body, str(int(stamp) - 1))
                    made.append(await self._post(client, name, "duplicate", body, again))
        return made

    def _client(self) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(transport=self.transport, timeout=TIMEOUT, follow_redirects=False)

    async def _post(
        self, client: httpx2.AsyncClient, name: str, kind: str, body: bytes, headers: dict[str, str]
    ) -> Delivery:
        try:
            response = await client.post(self.url, content=body, headers=headers)
            try:
                answer: Any = response.json()
            except ValueError:
                answer = response.text
            delivery = Delivery(name, kind, response.status_code, answer, body)
        except httpx2.HTTPError as exc:
            delivery = Delivery(name, kind, 0, f"{type(exc).__name__}: {exc}", body)
        self.deliveries.append(delivery)
        return delivery

    def _ms(self) -> int:
        return int(self.sandbox.clock.time() * 1000)


def _compact(value: dict[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
