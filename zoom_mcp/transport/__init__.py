"""Transports: stdio (in the CLI), streamable HTTP and SSE (`http`), with their protections (`security`).

Nothing is imported here, so `zoom_mcp.transport.security` is cheap for a stdio server to use.
"""
