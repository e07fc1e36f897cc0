"""Transports: stdio (in the CLI), streamable HTTP and SSE (here), with their protections."""

from zoom_mcp.transport.http import HttpOptions, build_app, serve_http
from zoom_mcp.transport.security import HttpSecurity, SecurityMiddleware, is_loopback

__all__ = ["HttpOptions", "HttpSecurity", "SecurityMiddleware", "build_app", "is_loopback", "serve_http"]
