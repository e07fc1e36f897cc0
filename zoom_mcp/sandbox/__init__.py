"""An embedded, stateful fake of the Zoom API, served as an ASGI app.

    sandbox = Sandbox()
    client = httpx2.AsyncClient(transport=httpx2.ASGITransport(app=sandbox.app))

It answers every catalog operation (hand-written behaviour where state matters, a
schema-shaped default elsewhere), Zoom's OAuth token endpoint and recording downloads,
records every request it receives, and never touches the network.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from zoom_mcp.api import Catalog, load_catalog
from zoom_mcp.sandbox import (
    account,
    archiving,
    devices,
    identity,
    meetings,
    past,
    recordings,
    registration,
    reports,
    webinars,
)
from zoom_mcp.sandbox.app import STATIC_TOKEN, Call, Handler, RecordedRequest, Reply, SandboxApp
from zoom_mcp.sandbox.defaults import default_handler
from zoom_mcp.sandbox.existence import check_path_ids
from zoom_mcp.sandbox.faults import DroppedConnection, FaultPlan, RefusedConnection
from zoom_mcp.sandbox.seed import seed as seed_state
from zoom_mcp.sandbox.shape import check_body, conform
from zoom_mcp.sandbox.state import PUBLIC_URL, State

__all__ = [
    "SANDBOX_CREDENTIALS",
    "STATIC_TOKEN",
    "DroppedConnection",
    "FaultPlan",
    "RecordedRequest",
    "RefusedConnection",
    "Sandbox",
    "SandboxCredentials",
    "listening_url",
    "serve",
]

HANDLERS: dict[str, Handler] = {
    **meetings.HANDLERS,
    **recordings.HANDLERS,
    **devices.HANDLERS,
    **archiving.HANDLERS,
    **past.HANDLERS,
    **registration.HANDLERS,
    **webinars.HANDLERS,
    **account.HANDLERS,
    **reports.HANDLERS,
}


@dataclass(frozen=True)
class SandboxCredentials:
    account_id: str = identity.ACCOUNT_ID
    client_id: str = identity.CLIENT_ID
    client_secret: str = identity.CLIENT_SECRET


SANDBOX_CREDENTIALS = SandboxCredentials()


class Sandbox:
    def __init__(
        self,
        catalog: Catalog | None = None,
        *,
        clock: Callable[[], float] | object = time.time,
        token_lifetime: int = 3599,
        credentials: SandboxCredentials = SANDBOX_CREDENTIALS,
        seed: bool = True,
        seeded: bool | None = None,  # older spelling of `seed`
        scopes: Iterable[str] | None = None,
        public_url: str = PUBLIC_URL,
        extra_meetings: int = 0,
    ) -> None:
        """`clock` drives token expiry and seeded dates; `seed=False` starts an empty account.

        `public_url` is where the sandbox is reached, so its download URLs work (`serve` sets it to the
        listening address); `extra_meetings` seeds that many more transcribed meetings, for benchmarks.
        """
        self.catalog = catalog or load_catalog()
        # Interim: a `zoom_mcp.clock.Clock` or a float callable (the sandbox re-layout takes a Clock only).
        self.clock: Callable[[], float] = getattr(clock, "time", clock)  # type: ignore[assignment]
        clock = self.clock
        self.token_lifetime = token_lifetime
        self.credentials = credentials
        self.state = State(public_url=public_url.rstrip("/"))
        # Set to an origin (e.g. a second server) and downloads answer 302 to its /rec/storage/ with a signed
        # URL, as Zoom sends them on to its storage host; the signing key is this sandbox's own.
        self.download_redirect: str | None = None
        self.download_key = secrets.token_bytes(16)
        self.tokens: dict[str, float] = {}
        # What issued tokens may do: every catalog scope unless `scopes` narrows it (doctor tests).
        self.scopes = None if scopes is None else frozenset(scopes)
        self.token_scopes: dict[str, frozenset[str]] = {}
        self.requests: list[RecordedRequest] = []
        self.token_requests = 0
        self.faults = FaultPlan()
        self.in_flight = 0  # requests the sandbox is still working on (delay faults)
        self.abandoned = 0  # requests whose client went away before the answer
        should_seed = seed if seeded is None else seeded
        if should_seed:
            seed_state(self.state, datetime.fromtimestamp(clock(), UTC), extra_meetings=extra_meetings)
        self.app = SandboxApp(self)

    def handle(self, call: Call) -> Reply:
        """Check the body as Zoom's gateway would, run the handler, and answer in the reference's field names."""
        check_body(call.op.body_schema, call.body)
        handler = HANDLERS.get(call.op.name)
        if handler is None:
            check_path_ids(call)  # the default would answer any ID; Zoom answers unknown ones with 404
        status, body = (handler or default_handler)(call)
        if status == 204:
            return status, None
        if 200 <= status < 300 and call.op.response_schema is not None:
            body = conform(call.op.response_schema, body)
        return status, body

    def granted_scopes(self) -> frozenset[str]:
        if self.scopes is not None:
            return self.scopes
        return frozenset(scope for op in self.catalog for scope in (*op.scopes, *op.granular_scopes))

    def mutating_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method != "GET"]

    def reset_log(self) -> None:
        self.requests.clear()
        self.token_requests = 0

    def expire_tokens(self) -> None:
        self.tokens.clear()


def listening_url(host: str, port: int) -> str:
    """The origin clients reach a server on `host`:`port` by (a wildcard address means this machine)."""
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def serve(host: str = "127.0.0.1", port: int = 8080, sandbox: Sandbox | None = None, faults: str | None = None) -> None:
    """Serve the sandbox over HTTP (blocking). Every log line goes to stderr, never stdout."""
    import copy

    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    sandbox = sandbox or Sandbox(public_url=listening_url(host, port))
    if faults:
        sandbox.faults = FaultPlan.parse(faults)
    log_config = copy.deepcopy(LOGGING_CONFIG)
    for handler in log_config["handlers"].values():
        handler["stream"] = "ext://sys.stderr"
    uvicorn.run(sandbox.app, host=host, port=port, log_level="warning", log_config=log_config, lifespan="off")
