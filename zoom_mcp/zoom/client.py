"""The one shared, authenticated HTTP client every session and tool call goes through."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import httpx2

from zoom_mcp import __version__
from zoom_mcp.request import ZoomRequest
from zoom_mcp.zoom.errors import ZoomAPIError, ZoomResponseError, ZoomTransportError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ZoomResponse:
    status: int
    data: Any  # parsed JSON, or None for an empty body (204)


class ZoomClient:
    """Sends plain `ZoomRequest`s to Zoom and returns parsed answers or raises from `errors`.

    `transport` is the seam for the in-process sandbox (an `httpx2.ASGITransport`) and tests.
    """

    def __init__(
        self,
        base_url: str,
        auth: httpx2.Auth,
        *,
        transport: httpx2.AsyncBaseTransport | None = None,
        timeout: httpx2.Timeout | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        self._http = httpx2.AsyncClient(
            auth=auth,
            transport=transport,
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

    def url_for(self, request: ZoomRequest) -> str:
        return self.base_url + request.path

    async def send(self, request: ZoomRequest) -> ZoomResponse:
        # The path is already percent-encoded; httpx keeps existing escapes as they are.
        try:
            response = await self._http.request(
                request.method,
                self.url_for(request),
                params=request.query or None,
                json=request.json if request.json is not None else None,
            )
        except httpx2.TimeoutException as exc:
            raise ZoomTransportError(f"Zoom did not answer in time ({type(exc).__name__}).") from exc
        except httpx2.TransportError as exc:
            raise ZoomTransportError(f"Could not reach Zoom ({type(exc).__name__}: {exc}).") from exc
        log.debug("%s %s -> %s", request.method, request.path, response.status_code)
        return _parse(request, response)


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
