"""An embedded, stateful fake of the Zoom API, served as an ASGI app.

    sandbox = Sandbox()
    client = httpx2.AsyncClient(transport=SandboxTransport(sandbox))

It answers every catalog operation (hand-written behaviour where state matters, a
schema-shaped default elsewhere), Zoom's OAuth token endpoint and recording downloads,
records every request it receives, and never touches the network.

    sandbox.py    the `Sandbox`: state, clock, tokens, request log, faults
    transport.py  the sandbox as an httpx transport (cheap to import: the server imports it at start)
    identity.py   where the sandbox pretends to live, and the app credentials it accepts
    serving.py    the sandbox over HTTP (uvicorn): `serve`, `listening_url`
    engine/       the HTTP machinery shared by every operation (routing, OAuth, faults, gateway, defaults)
    handlers/     hand-written behaviour, one module per tools.yaml toolset
    state.py      the account's records and the lookups that answer Zoom's not-found errors
    records.py    builders for every kind of record
    dates.py      Zoom's time formats and relative times
    seed.py       plants the fixtures in a State; dialogue.py writes the history's words
    fixtures/     the seeded account as data, and its named IDs (`zoom_mcp.sandbox.fixtures`)

Names below are loaded on first use, so `import zoom_mcp.sandbox.transport` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zoom_mcp.sandbox.engine.faults import DroppedConnection, FaultPlan, RefusedConnection
    from zoom_mcp.sandbox.engine.log import RecordedRequest
    from zoom_mcp.sandbox.identity import STATIC_TOKEN
    from zoom_mcp.sandbox.sandbox import SANDBOX_CREDENTIALS, Sandbox, SandboxCredentials
    from zoom_mcp.sandbox.serving import listening_url, serve

_EXPORTS = {
    "SANDBOX_CREDENTIALS": "zoom_mcp.sandbox.sandbox",
    "STATIC_TOKEN": "zoom_mcp.sandbox.identity",
    "DroppedConnection": "zoom_mcp.sandbox.engine.faults",
    "FaultPlan": "zoom_mcp.sandbox.engine.faults",
    "RecordedRequest": "zoom_mcp.sandbox.engine.log",
    "RefusedConnection": "zoom_mcp.sandbox.engine.faults",
    "Sandbox": "zoom_mcp.sandbox.sandbox",
    "SandboxCredentials": "zoom_mcp.sandbox.sandbox",
    "listening_url": "zoom_mcp.sandbox.serving",
    "serve": "zoom_mcp.sandbox.serving",
}
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


def __getattr__(name: str) -> Any:
    """Import an exported name's module when the name is first used."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
