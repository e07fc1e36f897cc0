"""zoom-mcp: the Zoom Meetings API as typed, gated MCP tools."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("zoom-mcp")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
