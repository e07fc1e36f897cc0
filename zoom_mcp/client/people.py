"""People who signed in with their own Zoom accounts (`--auth oauth`): who is acting, and their Zoom grants.

One pool, one token per request. `PeopleAuth` is the shared client's auth flow: each request carries
the Zoom access token of the person acting (`acting()`; the server sets it for the length of a call with
`acting_as`, and it follows into every task the call starts). Each person has one Zoom grant, kept sealed
in the `GrantStore`: Zoom revokes a person's earlier tokens when they authorize the app again, and a
refresh token once it has been used, so every MCP client of one person shares that grant. Its refreshes
are single-flight per person (one `UserOAuth` flow per person, created under that person's lock), and
each rotated refresh token is stored before the new access token is used.

Replicas sharing one Redis (`shared_tokens`) share each person's access token too, and refresh it one
replica at a time under that person's Redis lock; whoever holds it re-reads the grant from the store
first, since another replica may have rotated the refresh token meanwhile (Zoom refuses a used one).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

import anyio
import httpx2

from zoom_mcp.client.auth import SharedTokens, Token, UserOAuth
from zoom_mcp.clock import SYSTEM_CLOCK, Clock
from zoom_mcp.errors import LoginError, ZoomAuthError

if TYPE_CHECKING:
    from zoom_mcp.client.store import Records

GRANT_TTL = 90 * 86400.0  # Zoom's refresh tokens last 90 days; each rotation starts the count again
SIGN_IN_AGAIN = "disconnect zoom-mcp in your MCP client and connect again to sign in to Zoom"


@dataclass(frozen=True)
class Person:
    """Who a call runs as: their Zoom user ID and e-mail, what their Zoom grant allows (None: not known),
    and whether their MCP sign-in allows changes (the `zoom.write` scope)."""

    id: str
    email: str = ""
    zoom_scopes: frozenset[str] | None = None
    may_write: bool = True


_ACTING: ContextVar[Person | None] = ContextVar("zoom_mcp_acting", default=None)


def acting() -> Person | None:
    """The person the current call runs as; None in single-user mode."""
    return _ACTING.get()


@contextmanager
def acting_as(person: Person | None) -> Iterator[None]:
    token = _ACTING.set(person)
    try:
        yield
    finally:
        _ACTING.reset(token)


@dataclass(frozen=True)
class ZoomGrant:
    person: str
    email: str
    refresh_token: str
    scopes: tuple[str, ...]

    def __repr__(self) -> str:
        return f"ZoomGrant(person={self.person!r}, email={self.email!r}, refresh_token=***)"


class GrantStore:
    """Each person's Zoom grant, sealed (see `store`); one record per person, replaced by a new sign-in,
    and named by a hash of the person's Zoom user ID (the store shows nobody's ID)."""

    KIND = "zoom-grant"

    def __init__(self, records: Records) -> None:
        self.records = records

    @staticmethod
    def key(person: str) -> str:
        return hashlib.sha256(f"zoom-grant:{person}".encode()).hexdigest()

    async def load(self, person: str) -> ZoomGrant | None:
        found = await self.records.get(self.KIND, self.key(person))
        if found is None:
            return None
        return ZoomGrant(found["person"], found["email"], found["refresh_token"], tuple(found["scopes"]))

    async def save(self, grant: ZoomGrant) -> None:
        record = {
            "person": grant.person,
            "email": grant.email,
            "refresh_token": grant.refresh_token,
            "scopes": list(grant.scopes),
        }
        await self.records.put(self.KIND, self.key(grant.person), record, GRANT_TTL)

    async def delete(self, person: str) -> None:
        await self.records.delete(self.KIND, self.key(person))


class PersonOAuth(UserOAuth):
    """One person's refresh flow; its refusal says how that person signs in again."""

    latest: Callable[[], Awaitable[str | None]] | None = None  # the stored refresh token, read before refreshing

    async def _before_refresh(self) -> None:
        if self.latest is not None:
            stored = await self.latest()
            if stored:
                self._refresh_token = stored  # another replica (or a new sign-in) may have rotated it

    def _refused(self, status: str) -> str:
        return f"Zoom refused to refresh your sign-in ({status}): it may have been revoked. To fix it, {SIGN_IN_AGAIN}."


class PeopleAuth(httpx2.Auth):
    """The acting person's Zoom token on every request; their grant's refreshes single-flight per person."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        token_url: str,
        api_base: str,
        grants: GrantStore,
        *,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.client_id = client_id
        self._secret = client_secret
        self.token_url = token_url
        self.api_base = api_base.rstrip("/")
        self.grants = grants
        self._clock = clock
        self._flows: dict[str, PersonOAuth] = {}
        self._scopes: dict[str, frozenset[str]] = {}
        self._locks: dict[str, anyio.Lock] = {}
        # Replicas: one shared access token and refresh lock per person (`shared.RedisTokens`), if set.
        self.shared_tokens: Callable[[str], SharedTokens] | None = None

    # --- per request -------------------------------------------------------------------------------------

    async def async_auth_flow(self, request: httpx2.Request) -> AsyncGenerator[httpx2.Request, httpx2.Response]:
        person = acting()
        if person is None:
            raise ZoomAuthError("This call runs as nobody: under --auth oauth every call needs a signed-in person.")
        flow = await self._flow(person.id)
        inner = flow.async_auth_flow(request)
        try:
            outgoing = await inner.__anext__()
            while True:
                response = yield outgoing
                outgoing = await inner.asend(response)
        except StopAsyncIteration:
            return
        except ZoomAuthError:
            self._flows.pop(person.id, None)  # the next call starts again from the stored grant
            raise
        finally:
            await inner.aclose()

    async def token(self) -> Token:
        """The acting person's current access token (refreshed if need be), with their grant's scopes."""
        person = acting()
        if person is None:
            raise ZoomAuthError("No signed-in person is acting.")
        flow = await self._flow(person.id)
        if flow.token is None:
            raise ZoomAuthError(f"No Zoom token yet for this person; {SIGN_IN_AGAIN}.")
        return flow.token

    async def scopes(self, person: str) -> frozenset[str] | None:
        """The Zoom scopes this person granted, as Zoom reported them at sign-in; None when not signed in."""
        if person not in self._scopes:
            grant = await self.grants.load(person)
            if grant is None:
                return None
            self._scopes[person] = frozenset(grant.scopes)
        return self._scopes[person]

    def _lock(self, person: str) -> anyio.Lock:
        return self._locks.setdefault(person, anyio.Lock())

    async def _flow(self, person: str) -> PersonOAuth:
        found = self._flows.get(person)
        if found is not None:
            return found
        async with self._lock(person):  # one flow per person, however many calls start at once
            found = self._flows.get(person)
            if found is not None:
                return found
            grant = await self.grants.load(person)
            if grant is None:
                raise ZoomAuthError(f"You are not signed in to Zoom on this server (any more); {SIGN_IN_AGAIN}.")
            flow = self._new_flow(grant)
            self._flows[person] = flow
            return flow

    def _new_flow(self, grant: ZoomGrant) -> PersonOAuth:
        async def keep(refresh_token: str) -> None:
            await self.grants.save(ZoomGrant(grant.person, grant.email, refresh_token, grant.scopes))

        async def latest() -> str | None:
            stored = await self.grants.load(grant.person)
            return stored.refresh_token if stored is not None else None

        flow = PersonOAuth(self.client_id, self._secret, grant.refresh_token, self.token_url, keep, clock=self._clock)
        flow.latest = latest
        if self.shared_tokens is not None:
            flow.shared = self.shared_tokens(grant.person)
        return flow

    # --- signing in --------------------------------------------------------------------------------------

    async def sign_in(self, http: httpx2.AsyncClient, code: str, redirect_uri: str, verifier: str) -> Person:
        """Exchange Zoom's authorization code (with our PKCE verifier), learn who signed in (`GET /users/me`),
        and keep the grant as that person's only one."""
        basic = base64.b64encode(f"{self.client_id}:{self._secret}".encode()).decode()
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        form["code_verifier"] = verifier
        try:
            basic_auth = {"Authorization": f"Basic {basic}"}
            answer = await http.send(
                http.build_request("POST", self.token_url, data=form, headers=basic_auth), auth=None
            )
            data = _json(answer)
            if answer.status_code != 200 or not data.get("access_token") or not data.get("refresh_token"):
                reason = str(data.get("reason") or data.get("error") or "")[:200]
                raise LoginError(
                    f"Zoom refused the sign-in (HTTP {answer.status_code}{': ' + reason if reason else ''}); "
                    "check the app's client ID, secret and redirect URL."
                )
            access = str(data["access_token"])
            bearer = {"Authorization": f"Bearer {access}"}
            me = await http.send(http.build_request("GET", f"{self.api_base}/users/me", headers=bearer), auth=None)
        except httpx2.HTTPError as exc:
            raise LoginError(f"Could not reach Zoom to finish the sign-in ({type(exc).__name__}).") from exc
        user = _json(me)
        if me.status_code != 200 or not user.get("id"):
            raise LoginError(
                f"Zoom did not say who signed in (GET /users/me: HTTP {me.status_code}); the app needs the scope "
                "user:read:user (or user:read)."
            )
        scopes = tuple(str(data.get("scope", "")).split())
        grant = ZoomGrant(str(user["id"]), str(user.get("email") or ""), str(data["refresh_token"]), scopes)
        async with self._lock(grant.person):
            await self.grants.save(grant)  # replaces the person's earlier grant, which Zoom has just revoked
            flow = self._new_flow(grant)
            lifetime = float(str(data.get("expires_in", 3600)))
            flow.prime(access, lifetime, scopes)
            if flow.shared is not None and flow.token is not None:  # replicas: the sign-in's token is theirs too
                await flow.shared.save(flow.token, self._clock.time() + lifetime)
            self._flows[grant.person] = flow
            self._scopes[grant.person] = frozenset(scopes)
        return Person(grant.person, grant.email, frozenset(scopes))


def _json(response: httpx2.Response) -> dict[str, object]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
