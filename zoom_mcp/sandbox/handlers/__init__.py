"""Hand-written behaviour, one module per `tools.yaml` toolset; `HANDLERS` maps operation names to handlers.

A module holds exactly the handlers of operations in its toolset (`tests/test_sandbox_layout.py`
checks it against the catalog). Operations without a handler get the gateway's schema-shaped default.
"""

from __future__ import annotations

from types import MappingProxyType, ModuleType

from zoom_mcp.sandbox.engine.calls import Handler
from zoom_mcp.sandbox.handlers import (
    apps,
    archiving,
    devices,
    h323,
    live_meetings,
    livestream,
    meetings,
    pac,
    polls,
    recordings,
    registrants,
    reports,
    sip_phones,
    summaries,
    surveys,
    templates,
    tracking_fields,
    tsp,
    webinars,
)

BY_TOOLSET: dict[str, ModuleType] = {
    module.__name__.rsplit(".", 1)[-1]: module
    for module in (
        apps,
        archiving,
        devices,
        h323,
        live_meetings,
        livestream,
        meetings,
        pac,
        polls,
        recordings,
        registrants,
        reports,
        sip_phones,
        summaries,
        surveys,
        templates,
        tracking_fields,
        tsp,
        webinars,
    )
}


def _every_handler() -> dict[str, Handler]:
    found: dict[str, Handler] = {}
    for toolset, module in BY_TOOLSET.items():
        for name, handler in module.HANDLERS.items():
            if name in found:
                raise RuntimeError(f"{name} has a handler in two toolsets (the second in {toolset})")
            found[name] = handler
    return found


HANDLERS = MappingProxyType(_every_handler())
