"""zoom-mcp: the Zoom Meetings API as typed, gated MCP tools."""

__version__ = "0.1.0"  # the package version (pyproject reads it from here)
