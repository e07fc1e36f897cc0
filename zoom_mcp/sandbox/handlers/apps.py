"""The `apps` toolset (Zoom Apps opened in meetings): no hand-written handlers.

The sandbox keeps no state for in-meeting apps: `add_meeting_app` and `delete_meeting_app` get the
gateway's schema-shaped default answer (after the unknown-meeting check).
"""

from __future__ import annotations

from zoom_mcp.sandbox.engine.calls import Handler

HANDLERS: dict[str, Handler] = {}
