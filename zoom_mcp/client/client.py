"""The one shared, authenticated HTTP client every session and tool call goes through.

One concern per layer, as in httpx: pacing (per rate-limit label) -> retries (see `retry`)
-> auth (token, refresh on 401) -> a single HTTP exchange. `call` checks and serializes a
catalog operation's arguments first; `paginate` follows pages and date windows (see `paginate`).
"""

from __future__ import annotations

import json
import logging
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx2

from zoom_mcp import __version__
from zoom_mcp.api.serialize import ZoomRequest, build_request
from zoom_mcp.client.auth import DownloadTokenAuth, ServerToServerOAuth, Token, UserOAuth
from zoom_mcp.client.download import AllowList, DownloadLimits, download
from zoom_mcp.client.pacing import Pacing
from zoom_mcp.client.paginate import Progress, collect
from zoom_mcp.client.people import PeopleAuth, Person
from zoom_mcp.client.response import ZoomResponse
from zoom_mcp.client.retry import RETRY_STATUSES, SAFE_TO_REPEAT, RetryPolicy, retry_after_seconds
from zoom_mcp.clock import SYSTEM_CLOCK, Clock
from zoom_mcp.errors import ZoomAPIError, ZoomCallError, ZoomResponseError, ZoomTransportError

if TYPE_CHECKING:
    from zoom_mcp.api import Operation

log = logging.getLogger(__name__)

# Zoom publishes no rate limit for recording file downloads: they are paced like Medium API calls (20 a second
# on Pro), so indexing a year of transcripts cannot burst thousands of requests at Zoom.
DOWNLOAD_RATE_LABEL = "MEDIUM"


@dataclass(frozen=True)
class _Failure:
    """One attempt that did not give an answer to return."""

    error: ZoomCallError
    retry: bool
    wait: float | None = None  # what Zoom asked for (Retry-After); None: our own backoff
    reached_zoom: bool = True  # False only when the request provably never left


class ZoomClient:
    """Sends plain `ZoomRequest`s to Zoom and returns parsed answers or raises from `errors`.

    `transport` is the seam for the in-process sandbox (an `httpx2.ASGITransport`) and tests;
    `clock` (time and sleep) and `rng` are injected so retry timing is testable without waiting.
    """

    def __init__(
        self,
        base_url: str,
        auth: httpx2.Auth,
        *,
        transport: httpx2.AsyncBaseTransport | None = None,
        timeout: httpx2.Timeout | None = None,
        retry: RetryPolicy | None = None,
        pacer: Pacing | None = None,
        clock: Clock = SYSTEM_CLOCK,
        rng: random.Random | None = None,
        download_hosts: AllowList | None = None,
        download_limits: DownloadLimits | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.transport = transport  # what the client sends through (None: the network)
        self.download_hosts = download_hosts or AllowList()
        self.download_limits = download_limits or DownloadLimits()
        self.auth = auth
        self.retry = retry or RetryPolicy()
        self.pacer = pacer
        self.clock = clock
        self._rng = rng or random.Random()
        self._http = httpx2.AsyncClient(
            auth=auth,
            # Pacing sits in the transport, after auth: a request is counted when it goes on the wire, not
            # before a token fetch that may delay it (which would bunch it with the next window's requests).
            transport=_Paced(transport or httpx2.AsyncHTTPTransport(), pacer),
            timeout=timeout or httpx2.Timeout(30.0, connect=10.0),
            headers={"User-Agent": f"zoom-mcp/{__version__}", "Accept": "application/json"},
            follow_redirects=False,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> ZoomClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def fetch_token(self) -> Token | None:
        """A fresh token with its granted scopes, or None when the credential is a ready token."""
        if isinstance(self.auth, ServerToServerOAuth | UserOAuth):
            return await self.auth.refresh(self._http)
        if isinstance(self.auth, PeopleAuth):
            return await self.auth.token()
        return None

    async def ensure_token(self) -> bool:
        """For readiness: a usable token (fetched only when none is fresh); False for a ready token,
        which is not checked. Raises ZoomAuthError when the token endpoint refuses."""
        if isinstance(self.auth, ServerToServerOAuth | UserOAuth):
            try:
                await self.auth.ensure(self._http)
            except httpx2.TransportError as exc:
                raise ZoomTransportError(f"Zoom's token endpoint is unreachable ({type(exc).__name__})") from None
            return True
        return False

    async def sign_in(self, code: str, redirect_uri: str, verifier: str) -> Person:
        """`--auth oauth`: finish a person's Zoom sign-in over the shared pool (see `people.PeopleAuth`)."""
        if not isinstance(self.auth, PeopleAuth):
            raise TypeError("sign_in needs the per-person auth of --auth oauth")
        return await self.auth.sign_in(self._http, code, redirect_uri, verifier)

    async def download(self, url: str, *, token: str | None = None) -> bytes:
        """A recording file's bytes: token only to allowed hosts, size-capped, paced (see `download`).

        `token` is a webhook's `download_token`, sent instead of the app's token (to the same allowed hosts).
        """
        if self.pacer is not None:
            # not through the transport's pacing (it paces API requests): a download is counted as its label's
            await self.pacer.wait(ZoomRequest("GET", urlsplit(url).path, rate_limit=DOWNLOAD_RATE_LABEL))
        auth = DownloadTokenAuth(token) if token else self.auth
        return await download(self._http, auth, url, self.download_hosts, self.download_limits)

    def url_for(self, request: ZoomRequest) -> str:
        return self.base_url + request.path

    async def call(self, op: Operation, arguments: dict[str, Any]) -> ZoomResponse:
        """One catalog operation: arguments checked against its input schema, serialized, sent."""
        from zoom_mcp.api.validate import check_arguments  # late: jsonschema loads at the first call

        check_arguments(op.name, op.input_schema, arguments)
        return await self.send(build_request(op, arguments))

    async def paginate(
        self,
        op: Operation,
        arguments: dict[str, Any],
        *,
        windows: list[tuple[str, str]] | None = None,
        max_records: int,
        progress: Progress | None = None,
    ) -> tuple[ZoomRequest, ZoomResponse]:
        """Every page (in every date window) of a list operation, merged into one answer (see `paginate`).

        The arguments are checked against the operation's schema first, as `call` does.
        """
        from zoom_mcp.api.validate import check_arguments  # late: jsonschema loads at the first call

        check_arguments(op.name, op.input_schema, arguments)
        return await collect(self.send, op, arguments, windows, max_records, progress)

    async def send(self, request: ZoomRequest) -> ZoomResponse:
        policy = self.retry
        started = self.clock.monotonic()
        attempt = 0
        while True:
            attempt += 1
            outcome = await self._attempt(request)
            if isinstance(outcome, ZoomResponse):
                return ZoomResponse(outcome.status, outcome.data, attempt)
            elapsed = self.clock.monotonic() - started
            left = policy.max_total - elapsed
            delay = outcome.wait if outcome.wait is not None else policy.backoff(attempt, self._rng)
            if not outcome.retry or attempt >= policy.max_attempts or delay > left:
                raise self._gave_up(request, outcome, attempt, elapsed, delay if delay > left else None)
            log.info("%s %s: %s; retry %d in %.2fs", request.method, request.path, outcome.error, attempt, delay)
            await self.clock.sleep(delay)

    async def _attempt(self, request: ZoomRequest) -> ZoomResponse | _Failure:
        safe = request.method in SAFE_TO_REPEAT
        try:
            # The path is already percent-encoded; httpx keeps existing escapes as they are.
            if request.files is not None:  # multipart upload
                files = {name: (name, data, "application/octet-stream") for name, data in request.files.items()}
                body: dict[str, Any] = {"data": request.json or None, "files": files}
            else:
                body = {"json": request.json}
            response = await self._http.request(
                request.method,
                self.url_for(request),
                params=request.query or None,
                extensions={PACED: request},
                **body,
            )
        except (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout) as exc:
            # The request never left: repeating it is safe whatever the method.
            error = ZoomTransportError(f"could not connect to Zoom ({type(exc).__name__}: {exc})")
            return _Failure(error, retry=True, reached_zoom=False)
        except httpx2.TimeoutException as exc:
            return _Failure(ZoomTransportError(f"Zoom did not answer in time ({type(exc).__name__})"), retry=safe)
        except httpx2.TransportError as exc:
            return _Failure(
                ZoomTransportError(f"the connection to Zoom failed ({type(exc).__name__}: {exc})"), retry=safe
            )
        status = response.status_code
        log.debug("%s %s -> %s", request.method, request.path, status)
        try:
            parsed = _parse(request, response)
        except ZoomAPIError as error:
            await self._observe(request, response, None)
            if status == 429:
                return _Failure(error, retry=True, wait=_retry_after(response, self.clock) or 1.0)
            return _Failure(error, retry=safe and status in RETRY_STATUSES)
        except ZoomResponseError:
            await self._observe(request, response, None)
            raise
        await self._observe(request, response, parsed.data)
        return parsed

    async def _observe(self, request: ZoomRequest, response: httpx2.Response, data: Any) -> None:
        """Zoom's answer teaches the pacing (Retry-After, X-RateLimit-Remaining, a meeting's host)."""
        if self.pacer is not None:
            await self.pacer.observe(request, response.status_code, response.headers, data)

    def _gave_up(
        self, request: ZoomRequest, failure: _Failure, attempts: int, elapsed: float, too_long: float | None
    ) -> ZoomCallError:
        """The final error, saying what happened, how often it was tried, and whether a write may have landed."""
        error = failure.error
        error.attempts = attempts
        text = (
            error.args[0] if isinstance(error, ZoomAPIError) else f"{error.args[0]} ({request.method} {request.path})"
        )
        notes = [f"{attempts} attempt{'s' if attempts > 1 else ''} over {elapsed:.1f}s."] if failure.retry else []
        if too_long is not None:
            notes.append(f"The next try would have been in {too_long:.0f}s, beyond the retry budget.")
        server_side = isinstance(error, ZoomTransportError) or (
            isinstance(error, ZoomAPIError) and error.status in RETRY_STATUSES
        )
        if request.method not in SAFE_TO_REPEAT and server_side:
            if failure.reached_zoom:
                notes.append(
                    f"This {request.method} may have been applied: check before calling again "
                    "(it was not repeated, to avoid a duplicate)."
                )
            else:
                notes.append("It never reached Zoom, so nothing was applied.")
        elif isinstance(error, ZoomAPIError) and error.status == 429:
            notes.append("Zoom's rate limit persisted; wait before calling again.")
        error.args = (" ".join([text, *notes]),)
        return error


PACED = "zoom_mcp.paced"  # the request extension that carries the ZoomRequest (its rate-limit label) to pacing


class _Paced(httpx2.AsyncBaseTransport):
    """Waits for the pacing of every API request (those carrying PACED) just before it is sent; token
    requests and downloads pass. BudgetSpent or SharedStateError from the pacing stop the request here."""

    def __init__(self, inner: httpx2.AsyncBaseTransport, pacer: Pacing | None) -> None:
        self._inner = inner
        self._pacer = pacer

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        zoom = request.extensions.get(PACED)
        if self._pacer is not None and isinstance(zoom, ZoomRequest):
            await self._pacer.wait(zoom)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def _retry_after(response: httpx2.Response, clock: Clock) -> float | None:
    for header in ("Retry-After", "X-RateLimit-Reset"):
        value = retry_after_seconds(response.headers.get(header), clock.now())
        if value is not None:
            return value
    return None


def _parse(request: ZoomRequest, response: httpx2.Response) -> ZoomResponse:
    body = response.content
    if response.status_code >= 400:
        code, message = None, response.reason_phrase or "error"
        try:
            data = json.loads(body) if body else {}
            if isinstance(data, dict):
                code = data.get("code") if isinstance(data.get("code"), int) else None
                message = str(data.get("message") or message)
        except ValueError:
            pass
        raise ZoomAPIError(response.status_code, code, message, request.method, request.path)
    if not body.strip():
        return ZoomResponse(response.status_code, None)
    try:
        return ZoomResponse(response.status_code, json.loads(body))
    except ValueError as exc:
        raise ZoomResponseError(
            f"Zoom answered HTTP {response.status_code} to {request.method} {request.path} "
            "with a body that is not JSON."
        ) from exc
