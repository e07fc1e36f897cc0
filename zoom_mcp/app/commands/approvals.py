"""`zoom-mcp approvals enroll|list|remove`: the passkeys that approve calls under `--confirm human`.

Only from a terminal. `enroll` and `remove` serve a one-time page on http://localhost:PORT, print
its address for the person and wait (up to `--timeout`) until the browser has done the passkey
ceremony; an MCP client never reaches these pages.

A deployed server (`--public-url https://mcp.example.com`): its passkeys must be created at that
origin, since WebAuthn binds a passkey to its RP ID (the host). Run `zoom-mcp approvals enroll
--public-url https://mcp.example.com --port P` on the server's machine (same config directory), and
for that minute route the public URL to 127.0.0.1:P (the proxy's upstream, or the server stopped and
the enrol command in its place); the printed address is then on the public origin. The page checks
`Origin` against the public URL and `Host` against its host or loopback.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import anyio

from zoom_mcp.app.settings import Settings
from zoom_mcp.clock import SYSTEM_CLOCK
from zoom_mcp.errors import PasskeyRefused
from zoom_mcp.safety.enrollment import Ceremony, Kind, start
from zoom_mcp.safety.passkeys import PasskeyStore, RelyingParty, short_id

ACTIONS = ("enroll", "list", "remove")


def run_approvals(settings: Settings, action: str, passkey: str | None) -> int:
    store = PasskeyStore.in_dir(settings.credentials_dir)
    if action == "list":
        return list_passkeys(store)
    if action == "remove" and not passkey:
        print("zoom-mcp approvals remove needs the passkey's ID, as 'approvals list' shows it", file=sys.stderr)
        return 2
    if not sys.stdin.isatty():
        print(f"zoom-mcp approvals {action} runs from a terminal, where a person opens the page", file=sys.stderr)
        return 2
    kind: Kind = "enroll" if action == "enroll" else "remove"
    try:
        return anyio.run(ceremony, settings, store, kind, passkey or "")
    except PasskeyRefused as exc:
        print(f"zoom-mcp approvals {action}: {exc}", file=sys.stderr)
        return 1


def list_passkeys(store: PasskeyStore) -> int:
    keys = store.all()
    if not keys:
        print(f"No passkey is enrolled ({store.path}). Enrol one: zoom-mcp approvals enroll", file=sys.stderr)
        return 0
    for key in keys:
        created = datetime.fromtimestamp(key.created, UTC).strftime("%Y-%m-%d %H:%M UTC")
        print(f"{short_id(key.id)}  {key.rp_id:<24}  {created}  uses {key.sign_count:<5}  {key.name}")
    return 0


async def ceremony(settings: Settings, store: PasskeyStore, kind: Kind, target: str) -> int:
    from zoom_mcp.transport.approval_server import page_server  # late: uvicorn, for this command only
    from zoom_mcp.transport.passkey_pages import routes

    holder: list[Ceremony] = []
    async with page_server(routes(holder), settings.approvals_port, settings.public_url) as port:
        base = settings.public_url or f"http://localhost:{port}"
        rp = RelyingParty.at(base)
        found = start(
            kind,
            store,
            rp,
            ttl=settings.approvals_timeout,
            clock=SYSTEM_CLOCK,
            name=settings.passkey_name,
            target=target,
        )
        holder.append(found)
        also = " (first with a passkey already enrolled)" if found.needs_authorization and kind == "enroll" else ""
        doing = "enrol a passkey" + also if kind == "enroll" else "remove the passkey (confirm with a passkey)"
        minutes = max(1, round(settings.approvals_timeout / 60))
        print(f"Open this page in your browser to {doing}; valid {minutes} min, once:", file=sys.stderr)
        print(f"{base}/{kind}/{found.token}", file=sys.stderr, flush=True)
        if settings.public_url:
            print(f"(route {settings.public_url} to 127.0.0.1:{port} until this finishes)", file=sys.stderr)
        with anyio.move_on_after(settings.approvals_timeout):
            await found.done.wait()
    if found.outcome is None:
        print("Timed out: nothing was changed.", file=sys.stderr)
        return 1
    print(found.outcome, file=sys.stderr)
    return 0
