"""Where the in-process sandbox pretends to live, and the made-up app it accepts.

Nothing resolves `sandbox.zoom-mcp.local`: requests to it never leave the process (see `transport`).
"""

from __future__ import annotations

ORIGIN = "http://sandbox.zoom-mcp.local"
BASE_URL = f"{ORIGIN}/v2"
TOKEN_URL = f"{ORIGIN}/oauth/token"
HOST = ORIGIN.split("://", 1)[1]
# The sandbox's own Server-to-Server app; its token endpoint checks exactly these.
ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET = "sandbox-account", "sandbox-client", "sandbox-secret"
STATIC_TOKEN = "sandbox-token"  # always valid, so ZOOM_ACCESS_TOKEN=sandbox-token works too
