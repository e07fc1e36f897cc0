"""The `pac` toolset (personal audio conference accounts): no hand-written handlers.

The sandbox keeps no PAC state: `list_user_pac_accounts` gets the gateway's schema-shaped default
answer (after the unknown-user check), like every operation without a handler here.
"""

from __future__ import annotations

from zoom_mcp.sandbox.engine.calls import Handler

HANDLERS: dict[str, Handler] = {}
