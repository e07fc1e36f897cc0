"""The MCP server: the low-level SDK server wired to the catalog, the policy and the shared client."""

from __future__ import annotations

from mcp.server import Server

from zoom_mcp import __version__
from zoom_mcp.catalog import Catalog
from zoom_mcp.safety import AuditLog, ConfirmationTokens, Gate, Policy
from zoom_mcp.server.dispatch import ToolDispatcher
from zoom_mcp.zoom import ZoomClient

INSTRUCTIONS = (
    "Tools for the Zoom Meetings API: meetings, cloud recordings, registrants, devices and more. "
    "Each tool is one Zoom operation; arguments are checked before anything is sent. "
    "Use 'me' as userId for the account's own user. Meeting UUIDs may be passed as they are. "
    "Destructive tools need a person's confirmation; never confirm on the user's behalf."
)
SANDBOX_NOTICE = (
    "SANDBOX MODE: this server is connected to zoom-mcp's embedded fake of Zoom, not to a real Zoom "
    "account. Every meeting, recording, user and device it returns is made-up sample data. "
)


def build_server(
    catalog: Catalog,
    client: ZoomClient,
    *,
    sandbox: bool = False,
    policy: Policy | None = None,
    tokens: ConfirmationTokens | None = None,
    audit: AuditLog | None = None,
) -> Server:
    policy = policy or Policy()
    audit = audit or AuditLog(None)
    gate = Gate(tokens or ConfirmationTokens(), audit)
    dispatcher = ToolDispatcher(catalog, client, policy, gate, audit)
    return Server(
        "zoom-mcp",
        version=__version__,
        title="Zoom",
        instructions=(SANDBOX_NOTICE if sandbox else "") + INSTRUCTIONS,
        on_list_tools=dispatcher.list_tools,
        on_call_tool=dispatcher.call_tool,
    )
