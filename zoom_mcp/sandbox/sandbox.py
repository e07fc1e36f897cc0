"""The `Sandbox`: one fake Zoom account with its state, clock, tokens, request log, fault plan and webhooks."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx2

from zoom_mcp.api import Catalog, load_catalog
from zoom_mcp.clock import SYSTEM_CLOCK, Clock
from zoom_mcp.sandbox import identity
from zoom_mcp.sandbox.engine.asgi import SandboxApp
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply
from zoom_mcp.sandbox.engine.faults import FaultPlan
from zoom_mcp.sandbox.engine.gateway import answer
from zoom_mcp.sandbox.engine.log import RecordedRequest
from zoom_mcp.sandbox.engine.webhooks import WebhookSender
from zoom_mcp.sandbox.fixtures.people import OWNER_ID
from zoom_mcp.sandbox.handlers import HANDLERS
from zoom_mcp.sandbox.recording import finish_meeting
from zoom_mcp.sandbox.records import Record
from zoom_mcp.sandbox.seed import seed as seed_state
from zoom_mcp.sandbox.state import State


@dataclass(frozen=True)
class SandboxCredentials:
    """The Server-to-Server app the sandbox's token endpoint accepts."""

    account_id: str = identity.ACCOUNT_ID
    client_id: str = identity.CLIENT_ID
    client_secret: str = identity.CLIENT_SECRET


SANDBOX_CREDENTIALS = SandboxCredentials()
DOWNLOAD_TOKEN_LIFETIME = 24 * 3600  # seconds a webhook's download_token opens its recording's files


class Sandbox:
    """An embedded, stateful fake of the Zoom API; `app` is its ASGI app."""

    def __init__(
        self,
        catalog: Catalog | None = None,
        *,
        clock: Clock = SYSTEM_CLOCK,
        token_lifetime: int = 3599,
        credentials: SandboxCredentials = SANDBOX_CREDENTIALS,
        seed: bool = True,
        scopes: Iterable[str] | None = None,
        public_url: str = identity.ORIGIN,
        extra_meetings: int = 0,
        extra_days: int | None = None,
        extra_minutes: int | None = None,
        handlers: Mapping[str, Handler] = HANDLERS,
    ) -> None:
        """`clock` drives token expiry and the seeded dates; `seed=False` starts an empty account.

        `public_url` is where the sandbox is reached, so its download URLs work (`serve` sets it to the
        listening address); `extra_meetings` seeds that many more transcribed meetings, for benchmarks, spread
        over the history's four months or over `extra_days` days back, `extra_minutes` long each (an hour or
        more is talked through densely, as real meetings are); `handlers` replaces the hand-written
        behaviour (`{}`: every operation gets the default answer).
        """
        self.catalog = catalog or load_catalog()
        self.clock = clock
        self.token_lifetime = token_lifetime
        self.credentials = credentials
        self.handlers = handlers
        self.state = State(public_url=public_url.rstrip("/"))
        # Set to an origin (e.g. a second server) and downloads answer 302 to its /rec/storage/ with a signed
        # URL, as Zoom sends them on to its storage host; the signing key is this sandbox's own.
        self.download_redirect: str | None = None
        self.download_key = secrets.token_bytes(16)
        self.tokens: dict[str, float] = {}  # issued token -> expiry (the clock's `time()`)
        # What issued tokens may do: every catalog scope unless `scopes` narrows it (doctor tests).
        self.scopes = None if scopes is None else frozenset(scopes)
        self.token_scopes: dict[str, frozenset[str]] = {}
        self.token_users: dict[str, str] = {}  # a user OAuth token -> whose it is (`me` for its calls)
        self.requests: list[RecordedRequest] = []
        self.token_requests = 0
        self.faults = FaultPlan()
        self.in_flight = 0  # requests the sandbox is still working on (delay faults)
        self.abandoned = 0  # requests whose client went away before the answer
        self.webhooks: WebhookSender | None = None  # set by send_webhooks_to
        self.download_tokens: dict[str, tuple[float, str]] = {}  # webhook download_token -> (expiry, instance UUID)
        if seed:
            seed_state(
                self.state, clock, extra_meetings=extra_meetings, extra_days=extra_days, extra_minutes=extra_minutes
            )
        self.app = SandboxApp(self)

    # --- webhooks ---------------------------------------------------------------------------------------------

    def send_webhooks_to(
        self,
        url: str,
        secret: str,
        *,
        transport: httpx2.AsyncBaseTransport | None = None,
        faults: Sequence[str] = (),
    ) -> WebhookSender:
        """Post Zoom's recording webhooks to `url`, signed with the app's secret token (see `engine.webhooks`);
        `transport` reaches an in-process app (tests), `faults` misdelivers each too."""
        self.webhooks = WebhookSender(self, url, secret, transport=transport, faults=tuple(faults))
        return self.webhooks

    def emit(self, body: dict[str, Any]) -> None:
        """Queue a webhook event (sent after the request that caused it is answered); nothing without a URL."""
        if self.webhooks is not None:
            self.webhooks.queue(body)

    def mint_download_token(self, uuid: str) -> str:
        token = "dl-" + secrets.token_urlsafe(24)
        self.download_tokens[token] = (self.clock.time() + DOWNLOAD_TOKEN_LIFETIME, uuid)
        return token

    def download_token_opens(self, token: str, file_id: str) -> bool:
        """Whether `token` is a live download_token of the recording `file_id` belongs to."""
        found = self.download_tokens.get(token)
        if found is None or self.clock.time() >= found[0]:
            return False
        instance = self.state.recordings.get(found[1])
        return instance is not None and any(f["id"] == file_id for f in instance["recording_files"])

    def finish_meeting(
        self,
        topic: str,
        *,
        said: Sequence[tuple[str, str]] | None = None,
        chat: Sequence[tuple[str, str]] | None = None,
        minutes: int = 30,
        transcript: bool = True,
        summary: bool = False,
        host_id: str | None = None,
        started: datetime | None = None,
    ) -> Record:
        """A cloud-recorded meeting ends now: its recording, transcript (and summary) appear, and the webhooks
        Zoom sends for them are queued (`await sandbox.webhooks.flush()` posts them). See `recording`."""
        return finish_meeting(
            self, topic, said=said, chat=chat, minutes=minutes, transcript=transcript, summary=summary,
            started=started, host_id=host_id or OWNER_ID,
        )  # fmt: skip

    def handle(self, call: Call) -> Reply:
        """The gateway's answer to one API call, by this sandbox's handlers (see `engine.gateway.answer`)."""
        return answer(call, self.handlers)

    def granted_scopes(self) -> frozenset[str]:
        """The scopes issued tokens carry: every catalog scope, unless `scopes` narrowed them."""
        if self.scopes is not None:
            return self.scopes
        return frozenset(scope for op in self.catalog for scope in (*op.scopes, *op.granular_scopes))

    def mutating_requests(self) -> list[RecordedRequest]:
        """The logged requests that could change something (every method but GET)."""
        return [r for r in self.requests if r.method != "GET"]

    def reset_log(self) -> None:
        """Forget the logged requests and the token request count."""
        self.requests.clear()
        self.token_requests = 0

    def expire_tokens(self) -> None:
        """Invalidate every issued token (the static token stays valid)."""
        self.tokens.clear()
