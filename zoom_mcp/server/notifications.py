"""Telling the sessions that asked: a recording or transcript arrived or went.

Two protocol eras, one change. On 2025-era sessions a client subscribes with `resources/subscribe`
(a URI of ours): it then gets `notifications/resources/updated` for that URI when the meeting's
recording, transcript or summary changes, and `notifications/resources/list_changed` when the list
of recordings does. On 2026-07-28 sessions a client opens a `subscriptions/listen` stream naming the
URIs and kinds of change it wants (the SDK's `ListenHandler` filters and delivers). A session that
subscribed to nothing gets nothing. Under --auth oauth a change is told only to the sessions of the person
whose meeting it is (each person's listen streams have a bus of their own).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import anyio
import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.session import ServerSession
from mcp.server.subscriptions import InMemorySubscriptionBus, ListenHandler, ResourcesListChanged, ResourceUpdated
from mcp.shared.exceptions import MCPError

from zoom_mcp.client.people import acting
from zoom_mcp.errors import NotFound
from zoom_mcp.server.results import error_text
from zoom_mcp.tasks.events import Change
from zoom_mcp.tasks.indexes import DEFAULT
from zoom_mcp.tasks.resources import BRIEF, TEMPLATES, meeting_uri, template_of

log = logging.getLogger(__name__)

RESOURCE_NOT_FOUND = -32002
SEND_TIMEOUT = 5.0  # seconds one session may take to take a notification before it is dropped


@dataclass
class _Subscriber:
    """A 2025-era session, whose it is, and the URIs it subscribed to."""

    session: ServerSession
    person: str = DEFAULT
    uris: set[str] = field(default_factory=set)


def _person() -> str:
    """Who the request is from: the signed-in person under --auth oauth, else the one identity."""
    found = acting()
    return found.id if found is not None else DEFAULT


class Subscriptions:
    """Who asked to be told, in either era, and the telling."""

    def __init__(self) -> None:
        self._buses: dict[str, tuple[InMemorySubscriptionBus, ListenHandler]] = {}  # by person
        self._sessions: dict[int, _Subscriber] = {}  # by connection
        self.sent = 0  # notifications handed to sessions (both eras), for tests and the bench

    def _bus(self, person: str) -> tuple[InMemorySubscriptionBus, ListenHandler]:
        found = self._buses.get(person)
        if found is None:
            bus = InMemorySubscriptionBus()
            found = self._buses[person] = (bus, ListenHandler(bus))
        return found

    async def listen(
        self, ctx: ServerRequestContext[Any], params: types.SubscriptionsListenRequestParams
    ) -> types.SubscriptionsListenResult:
        """A 2026-07-28 listen stream, on the bus of the person it is from."""
        return await self._bus(_person())[1](ctx, params)

    async def subscribe(
        self, ctx: ServerRequestContext[Any], params: types.SubscribeRequestParams
    ) -> types.EmptyResult:
        uri = str(params.uri)
        try:
            template_of(uri)
        except NotFound as exc:
            raise MCPError(RESOURCE_NOT_FOUND, error_text(exc)) from exc
        # The SDK hands each request its own ServerSession proxy over the one connection: the connection is what
        # lasts, so subscriptions are kept by it and dropped when it closes.
        connection = ctx.session._connection
        key = id(connection)
        subscriber = self._sessions.get(key)
        if subscriber is None:
            subscriber = self._sessions[key] = _Subscriber(ctx.session, _person())
            connection.exit_stack.callback(self._sessions.pop, key, None)
        subscriber.uris.add(uri)
        return types.EmptyResult()

    async def unsubscribe(
        self, ctx: ServerRequestContext[Any], params: types.UnsubscribeRequestParams
    ) -> types.EmptyResult:
        subscriber = self._sessions.get(id(ctx.session._connection))
        if subscriber is not None:
            subscriber.uris.discard(str(params.uri))
            if not subscriber.uris:
                self._sessions.pop(id(ctx.session._connection), None)
        return types.EmptyResult()

    @property
    def subscribers(self) -> int:
        return len(self._sessions)

    async def publish(self, change: Change) -> None:
        """Tell every session that subscribed to what changed; a session that cannot take it is dropped."""
        if not change:
            return
        wanted = {BRIEF.name} if change.briefs_only else {t.name for t in TEMPLATES}
        touched = {(name, key) for uuid, number in change.meetings for key in _keys(uuid, number) for name in wanted}
        for key, subscriber in list(self._sessions.items()):
            if subscriber.person != change.person:
                continue  # another person's session: never told of this person's meetings
            updated = [uri for uri in sorted(subscriber.uris) if _key(uri) in touched]
            try:
                with anyio.fail_after(SEND_TIMEOUT):
                    if change.list_changed:
                        await subscriber.session.send_resource_list_changed()
                        self.sent += 1
                    for uri in updated:
                        await subscriber.session.send_resource_updated(uri)
                        self.sent += 1
            except Exception as exc:  # a closed or stuck session must not stop the others being told
                log.info("dropping a subscription whose session did not take a notification: %s", exc)
                self._sessions.pop(key, None)
        found = self._buses.get(change.person)
        if found is None:
            return  # nobody of this person's listens
        bus = found[0]
        if change.list_changed:
            await bus.publish(ResourcesListChanged())
        for uuid, number in sorted(change.meetings, key=str):
            for identifier in _keys(uuid, number):
                for template in TEMPLATES:
                    if template.name in wanted:
                        await bus.publish(ResourceUpdated(meeting_uri(identifier, template is not BRIEF)))

    def close(self) -> None:
        """End the 2026 listen streams gracefully (the server is stopping)."""
        for _, handler in self._buses.values():
            handler.close()


def _keys(uuid: str, number: int | None) -> list[str]:
    """The meeting IDs a URI may name this meeting by: its instance UUID, and its number (the latest instance)."""
    return [uuid] if number is None else [uuid, str(number)]


def _key(uri: str) -> tuple[str, str] | None:
    try:
        template, meeting_id = template_of(uri)
    except NotFound:
        return None
    return template.name, meeting_id
