"""Talking to Zoom: credentials, the shared HTTP client, and the error tree."""

from zoom_mcp.zoom.auth import BearerAuth, ServerToServerOAuth
from zoom_mcp.zoom.client import ZoomClient, ZoomResponse
from zoom_mcp.zoom.errors import ZoomAPIError, ZoomAuthError, ZoomCallError, ZoomResponseError, ZoomTransportError

__all__ = [
    "BearerAuth",
    "ServerToServerOAuth",
    "ZoomAPIError",
    "ZoomAuthError",
    "ZoomCallError",
    "ZoomClient",
    "ZoomResponse",
    "ZoomResponseError",
    "ZoomTransportError",
]
