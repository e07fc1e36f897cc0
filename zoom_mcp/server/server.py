"""The MCP server: the SDK's low-level `Server`, with handlers that ask the inventory what exists
and run every tool call through the one call pipeline.

tools/list   the inventory's allowed tools (with `--dynamic`: the meta-tools and the session's toolsets)
tools/call   `CallPipeline.call` (the meta-tools first, under `--dynamic`)
resources    templates the inventory allows; the recent recordings; a read answers from the task layer;
             subscriptions (resources/subscribe, 2026's subscriptions/listen) are told of webhook changes
prompts      prompts the inventory allows, rendered with their arguments
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import mcp_types as types
from mcp.server import Server
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel.server import NotificationOptions
from mcp.server.models import InitializationOptions
from mcp.shared.exceptions import MCPError

from zoom_mcp import __version__
from zoom_mcp.client.people import acting_as
from zoom_mcp.errors import NotAllowed, ZoomCallError, ZoomMcpError
from zoom_mcp.inventory import Inventories, Inventory
from zoom_mcp.server.discovery import META_NAMES, Discovery
from zoom_mcp.server.notifications import Subscriptions
from zoom_mcp.server.people import caller
from zoom_mcp.server.pipeline import CallPipeline, Outcome
from zoom_mcp.server.results import error_text
from zoom_mcp.server.tool_specs import ToolSpecs
from zoom_mcp.tasks import resources
from zoom_mcp.tasks.prompts import Prompt
from zoom_mcp.tasks.resources import ResourceTemplate
from zoom_mcp.tasks.service import TaskService

log = logging.getLogger(__name__)

P = TypeVar("P")
R = TypeVar("R")
Handler = Callable[[ServerRequestContext[Any], P], Awaitable[R]]

RESOURCE_NOT_FOUND = -32002
INVALID_PARAMS = -32602

DYNAMIC_NOTE = (
    " Only discovery tools are listed at first: search_tools finds the right tool for a task in every toolset "
    "you may use, enable_toolset lists a found tool's toolset (give it the tool's name), describe_tool and "
    "call_tool reach any tool by name."
)
INSTRUCTIONS = (
    "Tools for the Zoom Meetings API: meetings, cloud recordings, registrants, devices and more. "
    "Each tool is one Zoom operation; arguments are checked before anything is sent. "
    "Use 'me' as userId for the account's own user. Meeting UUIDs may be passed as they are. "
    "Destructive tools need a person's confirmation; never confirm on the user's behalf. "
    "For questions about recorded meetings try the task-level tools first: search_recordings for what was said "
    "across meetings, get_meeting_brief for what one meeting was, read_meeting_transcript for its full text "
    "(get_meeting_transcript only gives a download URL)."
)
SANDBOX_NOTICE = (
    "SANDBOX MODE: this server is connected to zoom-mcp's embedded fake of Zoom, not to a real Zoom "
    "account. Every meeting, recording, user and device it returns is made-up sample data. "
)


class ZoomServer(Server):
    """Declares `tools.listChanged` when the tool list can change (dynamic discovery)."""

    def __init__(
        self,
        inventories: Inventories,
        specs: ToolSpecs,
        pipeline: CallPipeline,
        tasks: TaskService,
        *,
        discovery: Discovery | None = None,
        sandbox: bool = False,
        subscriptions: Subscriptions | None = None,
        resources_change: bool = False,
    ) -> None:
        self.inventories = inventories
        self.specs = specs
        self.pipeline = pipeline
        self.tasks = tasks
        self.discovery = discovery
        self.subscriptions = subscriptions or Subscriptions()
        self.resources_change = resources_change  # webhooks can change the resources: say so (listChanged)
        super().__init__(
            "zoom-mcp",
            version=__version__,
            title="Zoom",
            instructions=(SANDBOX_NOTICE if sandbox else "") + INSTRUCTIONS + (DYNAMIC_NOTE if discovery else ""),
            on_list_tools=self._as_caller(self._list_tools),
            on_call_tool=self._as_caller(self._call_tool),
            on_list_resources=self._as_caller(self._list_resources),
            on_list_resource_templates=self._as_caller(self._list_templates),
            on_read_resource=self._as_caller(self._read_resource),
            # Subscriptions only where something can change (webhooks on): elsewhere none is declared or served.
            on_subscribe_resource=self._as_caller(self.subscriptions.subscribe) if resources_change else None,
            on_unsubscribe_resource=self._as_caller(self.subscriptions.unsubscribe) if resources_change else None,
            on_subscriptions_listen=self._as_caller(self.subscriptions.listen) if resources_change else None,
            on_list_prompts=self._as_caller(self._list_prompts),
            on_get_prompt=self._as_caller(self._get_prompt),
        )

    @property
    def inventory(self) -> Inventory:
        """What the person acting may see (see `Inventories`); the one inventory in single-user mode."""
        return self.inventories.current()

    def _as_caller(self, handler: Callable[[ServerRequestContext[Any], P], Awaitable[R]]) -> Handler[P, R]:
        """The handler, run as the person the request is from (see `people`)."""

        async def run(ctx: ServerRequestContext[Any], params: P) -> R:
            person = await caller(ctx, self.pipeline.client)
            with acting_as(person):
                return await handler(ctx, params)

        return run

    def create_initialization_options(
        self,
        notification_options: NotificationOptions | None = None,
        experimental_capabilities: dict[str, dict[str, Any]] | None = None,
        extensions: dict[str, dict[str, Any]] | None = None,
    ) -> InitializationOptions:
        options = notification_options or NotificationOptions(
            tools_changed=self.discovery is not None, resources_changed=self.resources_change
        )
        return super().create_initialization_options(options, experimental_capabilities, extensions)

    # --- tools ---------------------------------------------------------------------------------------------

    async def _list_tools(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        if self.discovery is not None:
            return types.ListToolsResult(tools=self.discovery.tools(ctx))
        return types.ListToolsResult(tools=[self.specs.of(item).tool for item in self.inventory.tools()])

    async def _call_tool(self, ctx: ServerRequestContext[Any], params: types.CallToolRequestParams) -> Outcome:
        if self.discovery is not None and params.name in META_NAMES:
            return await self.discovery.call(ctx, params)
        return await self.pipeline.call(params.name, dict(params.arguments or {}), ctx, params)

    # --- resources -----------------------------------------------------------------------------------------

    async def _list_templates(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListResourceTemplatesResult:
        templates = [_template(item.template) for item in self.inventory.templates()]
        return types.ListResourceTemplatesResult(resource_templates=templates)

    async def _list_resources(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListResourcesResult:
        """The account owner's most recent recordings, for the templates the inventory allows."""
        offered = {item.name for item in self.inventory.templates()}
        if not offered:
            return types.ListResourcesResult(resources=[])
        try:
            entries = await resources.recent(self.tasks, offered)
        except ZoomCallError as exc:
            log.warning("resources/list: %s", exc)
            return types.ListResourcesResult(resources=[])
        listed = [
            types.Resource(name=e.name, uri=e.uri, description=e.description, mime_type=e.mime_type) for e in entries
        ]
        return types.ListResourcesResult(resources=listed)

    async def _read_resource(
        self, ctx: ServerRequestContext[Any], params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        uri = str(params.uri)
        try:
            template, meeting_id = resources.template_of(uri)
            self.inventory.template(template.name)
            text = await resources.read(self.tasks, template, meeting_id)
        except ZoomMcpError as exc:
            raise MCPError(RESOURCE_NOT_FOUND, error_text(exc)) from exc
        return types.ReadResourceResult(
            contents=[types.TextResourceContents(uri=uri, mime_type=template.mime_type, text=text)]
        )

    # --- prompts -------------------------------------------------------------------------------------------

    async def _list_prompts(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListPromptsResult:
        return types.ListPromptsResult(prompts=[_prompt(item.prompt) for item in self.inventory.prompts()])

    async def _get_prompt(
        self, ctx: ServerRequestContext[Any], params: types.GetPromptRequestParams
    ) -> types.GetPromptResult:
        try:
            item = self.inventory.prompt(params.name)
        except NotAllowed as exc:
            raise MCPError(INVALID_PARAMS, error_text(exc)) from exc
        if item is None:
            known = ", ".join(i.name for i in self.inventory.prompts())
            raise MCPError(INVALID_PARAMS, f"Unknown prompt {params.name!r}; known: {known}")
        prompt = item.prompt
        args = dict(params.arguments or {})
        missing = [a.name for a in prompt.arguments if a.required and not args.get(a.name)]
        if missing:
            raise MCPError(INVALID_PARAMS, f"Prompt {params.name} needs: {', '.join(missing)}")
        message = types.PromptMessage(role="user", content=types.TextContent(text=prompt.render(args)))
        return types.GetPromptResult(description=prompt.description, messages=[message])


def _template(template: ResourceTemplate) -> types.ResourceTemplate:
    return types.ResourceTemplate(
        name=template.name,
        title=template.title,
        uri_template=template.uri_template,
        description=template.description,
        mime_type=template.mime_type,
    )


def _prompt(prompt: Prompt) -> types.Prompt:
    arguments = [
        types.PromptArgument(name=a.name, description=a.description, required=a.required or None)
        for a in prompt.arguments
    ]
    return types.Prompt(name=prompt.name, title=prompt.title, description=prompt.description, arguments=arguments)
