"""Zoom credentials as httpx auth flows: one object owns token fetch, caching and refresh.

Server-to-Server OAuth (`grant_type=account_credentials`, HTTP Basic client auth) caches the
token until shortly before it expires. However many calls wait for a token, at most one
token request is in flight; a 401 from Zoom triggers exactly one refresh (shared by every call
that saw the same stale token) and one retry. A person's sign-in (`UserOAuth`, the refresh-token
grant) goes through the same flow.
"""

from __future__ import annotations

import base64
import inspect
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Protocol

import anyio
import httpx2

from zoom_mcp.clock import SYSTEM_CLOCK, Clock
from zoom_mcp.errors import ZoomAuthError

CREDENTIAL_ENV = "ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET"


@dataclass(frozen=True)
class Token:
    value: str
    expires_at: float
    scopes: tuple[str, ...] = ()


class DownloadTokenAuth(httpx2.Auth):
    """A recording webhook's `download_token`: it opens that recording's files (for about a day), sent as
    a bearer token in the header (Zoom refuses tokens in the URL)."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "DownloadTokenAuth(***)"

    async def async_auth_flow(self, request: httpx2.Request) -> AsyncGenerator[httpx2.Request, httpx2.Response]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


class SharedTokens(Protocol):
    """Where replicas share one access token and take turns refreshing it (`shared.RedisTokens`)."""

    async def load(self) -> tuple[str, float, tuple[str, ...]] | None:
        """(token, expiry as the clock's `time()`, scopes), if some replica stored one."""
        ...

    async def save(self, token: Token, expires_at: float) -> None: ...

    async def discard(self, value: str) -> None:
        """Forget the shared token if it is still this one (Zoom refused it)."""
        ...

    def refreshing(self) -> AbstractAsyncContextManager[None]:
        """Held while this replica fetches a token: the others wait (bounded) and then use its token."""
        ...


@asynccontextmanager
async def _alone() -> AsyncIterator[None]:
    yield


class BearerAuth(httpx2.Auth):
    """A ready access token (`ZOOM_ACCESS_TOKEN`): sent as is, never refreshed."""

    def __init__(self, token: str) -> None:
        self._token = token

    async def async_auth_flow(self, request: httpx2.Request) -> AsyncGenerator[httpx2.Request, httpx2.Response]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        response = yield request
        if response.status_code == 401:
            raise ZoomAuthError(
                "Zoom rejected ZOOM_ACCESS_TOKEN (HTTP 401): it has expired or was revoked. "
                f"Set a fresh token, or set {CREDENTIAL_ENV} to let zoom-mcp refresh tokens itself."
            )


class _TokenFlow(httpx2.Auth):
    """The shared mechanism: a cached token, refreshed single-flight, and one refresh and retry on 401.

    Subclasses say which grant they post (`_grant`), what a refusal means (`_refused`), what a
    second 401 means (`_rejected_again`) and what else an answer carries (`_received`).
    """

    def __init__(self, client_id: str, client_secret: str, token_url: str, clock: Clock, refresh_margin: float) -> None:
        self._basic = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
        self._token_url = token_url
        self._clock = clock
        self._margin = refresh_margin
        self._token: Token | None = None
        self._lock = anyio.Lock()
        self.token_requests = 0
        self.shared: SharedTokens | None = None  # replicas: one token for all, refreshed by one at a time

    @property
    def token(self) -> Token | None:
        return self._token

    @property
    def token_url(self) -> str:
        return self._token_url

    def _fresh(self) -> Token | None:
        token = self._token
        if token is not None and self._clock.monotonic() < token.expires_at - self._margin:
            return token
        return None

    async def _fresh_shared(self, stale: str | None = None) -> Token | None:
        """This process's token, else one another replica stored (not `stale`), if still fresh."""
        token = self._fresh()
        if token is not None or self.shared is None:
            return token
        found = await self.shared.load()
        if found is None or found[0] == stale:
            return None
        value, expires_at, scopes = found
        token = Token(value, self._clock.monotonic() + (expires_at - self._clock.time()), scopes)
        if self._clock.monotonic() >= token.expires_at - self._margin:
            return None
        self._token = token
        return token

    def _refreshing(self) -> AbstractAsyncContextManager[None]:
        return self.shared.refreshing() if self.shared is not None else _alone()

    async def async_auth_flow(self, request: httpx2.Request) -> AsyncGenerator[httpx2.Request, httpx2.Response]:
        token = self._fresh()
        if token is None:
            async with self._lock:
                token = await self._fresh_shared()
                if token is None:
                    async with self._refreshing():  # replicas: one refreshes, the others then find its token
                        token = await self._fresh_shared()
                        if token is None:
                            await self._before_refresh()
                            token = await self._store((yield self._token_request()))
        request.headers["Authorization"] = f"Bearer {token.value}"
        response = yield request
        if response.status_code != 401:
            return
        async with self._lock:
            if self._token is None or self._token.value == token.value:
                stale = token.value
                self._token = None  # the token we used is stale; whoever gets here first replaces it
                if self.shared is not None:
                    await self.shared.discard(stale)
                async with self._refreshing():
                    token = await self._fresh_shared(stale)
                    if token is None:
                        await self._before_refresh()
                        token = await self._store((yield self._token_request()))
            else:
                token = self._token
        request.headers["Authorization"] = f"Bearer {token.value}"
        response = yield request
        if response.status_code == 401:
            self._rejected_again()

    async def ensure(self, http: httpx2.AsyncClient) -> Token:
        """A usable token: this process's or a replica's if fresh, else a new one (single-flight)."""
        token = self._fresh()
        if token is not None:
            return token
        async with self._lock:
            token = await self._fresh_shared()
            if token is not None:
                return token
            async with self._refreshing():
                token = await self._fresh_shared()
                if token is not None:
                    return token
                await self._before_refresh()
                return await self._store(await http.send(self._token_request(), auth=None))

    async def refresh(self, http: httpx2.AsyncClient) -> Token:
        """Fetch a new token now (the doctor uses it to read the granted scopes)."""
        async with self._lock, self._refreshing():
            await self._before_refresh()
            # auth=None: the token request carries its own Basic credentials, not this flow.
            return await self._store(await http.send(self._token_request(), auth=None))

    async def _before_refresh(self) -> None:
        """Called while holding the refresh locks, just before a token request: nothing by default."""

    def _token_request(self) -> httpx2.Request:
        self.token_requests += 1
        return httpx2.Request(
            "POST", self._token_url, headers={"Authorization": f"Basic {self._basic}"}, data=self._grant()
        )

    async def _store(self, response: httpx2.Response) -> Token:
        await response.aread()  # an overridden async_auth_flow reads bodies itself
        if response.status_code != 200:
            reason = _reason(response)
            raise ZoomAuthError(self._refused(f"HTTP {response.status_code}{': ' + reason if reason else ''}"))
        try:
            data = response.json()
            value = str(data["access_token"])
            lifetime = float(data.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError) as exc:
            raise ZoomAuthError("Zoom's token endpoint answered without a usable access token.") from exc
        await self._received(data)
        token = Token(value, self._clock.monotonic() + lifetime, tuple(str(data.get("scope", "")).split()))
        self._token = token
        if self.shared is not None:
            await self.shared.save(token, self._clock.time() + lifetime)
        return token

    def _grant(self) -> dict[str, str]:
        raise NotImplementedError

    def _refused(self, status: str) -> str:
        raise NotImplementedError

    def _rejected_again(self) -> None:
        """A freshly issued token got 401 too; by default the 401 goes back to the caller."""

    async def _received(self, data: dict[str, object]) -> None:
        """Anything besides the access token that the token answer carries."""

    def prime(self, value: str, lifetime: float, scopes: tuple[str, ...] = ()) -> None:
        """Start with an access token obtained elsewhere (a sign-in's), so the first call needs no refresh."""
        self._token = Token(value, self._clock.monotonic() + lifetime, scopes)


class ServerToServerOAuth(_TokenFlow):
    def __init__(
        self,
        account_id: str,
        client_id: str,
        client_secret: str,
        token_url: str,
        *,
        clock: Clock = SYSTEM_CLOCK,
        refresh_margin: float = 60.0,
    ) -> None:
        super().__init__(client_id, client_secret, token_url, clock, refresh_margin)
        self._account_id = account_id
        self.account_id = account_id
        self.client_id = client_id

    def _grant(self) -> dict[str, str]:
        return {"grant_type": "account_credentials", "account_id": self._account_id}

    def _refused(self, status: str) -> str:
        return (
            f"Zoom's token endpoint refused the Server-to-Server OAuth credentials ({status}). Check "
            f"{CREDENTIAL_ENV} against the app's credentials in the Zoom App Marketplace, and that the app "
            "is activated."
        )

    def _rejected_again(self) -> None:
        raise ZoomAuthError(
            "Zoom rejected a freshly issued access token (HTTP 401). The Server-to-Server OAuth app "
            "is probably deactivated or lacks the scopes for this call; check the app in the Zoom "
            f"App Marketplace and the values of {CREDENTIAL_ENV}."
        )


def _reason(response: httpx2.Response) -> str:
    """Zoom's own explanation (`reason` or `error`), which never echoes the secret."""
    try:
        data = response.json()
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    return str(data.get("reason") or data.get("error") or "")[:200]


class UserOAuth(_TokenFlow):
    """A person's sign-in (`zoom-mcp login`): access tokens from the stored refresh token.

    Zoom rotates the refresh token on every refresh, so each new one is handed to `on_refresh`
    (which stores it, or returns an awaitable that does) before it is used. Refreshes are single-flight,
    as for Server-to-Server.
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        token_url: str,
        on_refresh: Callable[[str], Awaitable[None] | None],
        *,
        clock: Clock = SYSTEM_CLOCK,
        refresh_margin: float = 60.0,
    ) -> None:
        super().__init__(client_id, client_secret, token_url, clock, refresh_margin)
        self._refresh_token = refresh_token
        self._on_refresh = on_refresh

    def _grant(self) -> dict[str, str]:
        return {"grant_type": "refresh_token", "refresh_token": self._refresh_token}

    def _refused(self, status: str) -> str:
        return (
            f"Zoom refused to refresh your sign-in ({status}). It may have been revoked or expired; "
            "run 'zoom-mcp login' again."
        )

    async def _received(self, data: dict[str, object]) -> None:
        rotated = data.get("refresh_token")
        if rotated and rotated != self._refresh_token:
            self._refresh_token = str(rotated)
            kept = self._on_refresh(self._refresh_token)  # stored before use: a crash now cannot lose the sign-in
            if inspect.isawaitable(kept):
                await kept
