"""`zoom-mcp sandbox --port N`: the embedded fake of Zoom over HTTP, for other programs to use as Zoom.

With `--webhook-url URL` (and the app's secret token in ZOOM_WEBHOOK_SECRET_TOKEN) it also posts Zoom's
recording webhooks there, signed as Zoom signs them; `--webhook-faults` misdelivers each one too.
"""

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
    if settings.sandbox_webhook_url:
        if not settings.webhook_secret:
            print(
                "zoom-mcp sandbox: --webhook-url needs the app's secret token in ZOOM_WEBHOOK_SECRET_TOKEN",
                file=sys.stderr,
            )
            return 2
        try:
            sandbox.send_webhooks_to(
                settings.sandbox_webhook_url, settings.webhook_secret, faults=settings.sandbox_webhook_faults
            )
        except ValueError as exc:
            print(f"zoom-mcp sandbox: --webhook-faults: {exc}", file=sys.stderr)
            return 2
        print(
            f"  recording webhooks go to {settings.sandbox_webhook_url}, signed with ZOOM_WEBHOOK_SECRET_TOKEN"
            + (
                f" (and misdelivered: {', '.join(settings.sandbox_webhook_faults)})"
                if settings.sandbox_webhook_faults
                else ""
            )
            + (
                "; ZOOM_MCP_SANDBOX_NOW shifts their timestamps, which a real-time receiver refuses"
                if settings.sandbox_now
                else ""
            ),
            file=sys.stderr,
        )
    serve(host=host, port=port, sandbox=sandbox, faults=faults)
    return 0
