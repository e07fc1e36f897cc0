"""The MCP server: the low-level SDK server wired to the catalog, the policy and the shared client."""

from __future__ import annotations

from mcp.server import Server
from mcp.server.lowlevel.server import NotificationOptions

from zoom_mcp import __version__
from zoom_mcp.api import Catalog
from zoom_mcp.insights.context import Context
from zoom_mcp.insights.index import TranscriptIndex
from zoom_mcp.insights.service import Insights
from zoom_mcp.safety import AuditLog, ConfirmationTokens, Gate, Policy
from zoom_mcp.safety.approvals import Approvals
from zoom_mcp.server.dispatch import ToolDispatcher
from zoom_mcp.zoom import ZoomClient

DYNAMIC_NOTE = (
    " Only discovery tools are listed at first: search_tools finds the right tool for a task, enable_toolset "
    "adds a toolset's tools, describe_tool and call_tool reach any tool by name."
)
INSTRUCTIONS = (
    "Tools for the Zoom Meetings API: meetings, cloud recordings, registrants, devices and more. "
    "Each tool is one Zoom operation; arguments are checked before anything is sent. "
    "Use 'me' as userId for the account's own user. Meeting UUIDs may be passed as they are. "
    "Destructive tools need a person's confirmation; never confirm on the user's behalf. "
    "For what was said in meetings use search_recordings, read_meeting_transcript and get_meeting_brief."
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
    dynamic: bool = False,
    index: TranscriptIndex | None = None,
    approvals: Approvals | None = None,
) -> Server:
    policy = policy or Policy()
    audit = audit or AuditLog(None)
    if policy.human and approvals is None:
        approvals = Approvals(audit)
    gate = Gate(tokens or ConfirmationTokens(), audit, approvals if policy.human else None)
    insights = Insights(catalog, client, index)
    dispatcher = ToolDispatcher(catalog, client, policy, gate, audit, dynamic=dynamic, insights=insights)
    context = Context(insights)
    server = ZoomServer(
        "zoom-mcp",
        version=__version__,
        title="Zoom",
        instructions=(SANDBOX_NOTICE if sandbox else "") + INSTRUCTIONS + (DYNAMIC_NOTE if dynamic else ""),
        on_list_tools=dispatcher.list_tools,
        on_call_tool=dispatcher.call_tool,
        on_list_resources=context.list_resources,
        on_list_resource_templates=context.list_templates,
        on_read_resource=context.read_resource,
        on_list_prompts=context.list_prompts,
        on_get_prompt=context.get_prompt,
    )
    server.tools_change = dynamic
    server.approvals = approvals if policy.human else None
    return server


class ZoomServer(Server):
    """Declares `tools.listChanged` when the tool list can change (dynamic discovery)."""

    tools_change = False
    approvals: Approvals | None = None  # --confirm human: whoever serves this server also serves the pages

    def create_initialization_options(self, notification_options=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        options = notification_options or NotificationOptions(tools_changed=self.tools_change)
        return super().create_initialization_options(options, *args, **kwargs)
