"""The only HTTP to Zoom: credentials as auth flows, the shared client, retries, pacing, downloads, pages.

Its failures are `zoom_mcp.errors.ZoomCallError` and its subclasses.
"""

from zoom_mcp.client.auth import BearerAuth, ServerToServerOAuth, UserOAuth
from zoom_mcp.client.client import ZoomClient
from zoom_mcp.client.response import ZoomResponse

__all__ = ["BearerAuth", "ServerToServerOAuth", "UserOAuth", "ZoomClient", "ZoomResponse"]
