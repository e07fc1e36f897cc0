"""`zoom-mcp sandbox --port N`: the embedded fake of Zoom over HTTP, for other programs to use as Zoom."""

from __future__ import annotations

import sys

from zoom_mcp.app.assemble import clock_for
from zoom_mcp.app.settings import Settings
from zoom_mcp.sandbox import FaultPlan, Sandbox, identity, listening_url, serve


def serve_sandbox(settings: Settings) -> int:
    host, port, faults = settings.sandbox_host, settings.sandbox_port, settings.sandbox_faults
    if faults:
        try:
            FaultPlan.parse(faults)
        except ValueError as exc:
            print(f"zoom-mcp sandbox: {exc}", file=sys.stderr)
            return 2
    origin = listening_url(host, port)
    print(
        f"zoom-mcp sandbox on {origin} - point zoom-mcp at it with:\n"
        f"  ZOOM_API_BASE_URL={origin}/v2 ZOOM_OAUTH_TOKEN_URL={origin}/oauth/token\n"
        f"  ZOOM_ACCOUNT_ID={identity.ACCOUNT_ID} ZOOM_CLIENT_ID={identity.CLIENT_ID} "
        f"ZOOM_CLIENT_SECRET={identity.CLIENT_SECRET}\n"
        # Its download URLs are on this address; the token goes only to allow-listed download hosts.
        f"  ZOOM_MCP_DOWNLOAD_HOSTS=zoom.us,zoomgov.com,{origin}",
        file=sys.stderr,
    )
    sandbox = Sandbox(clock=clock_for(settings, sandbox=True), public_url=origin)
    serve(host=host, port=port, sandbox=sandbox, faults=faults)
    return 0
