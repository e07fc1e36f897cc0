"""The `tools/list` and `tools/call` handlers: catalog in, validated and gated Zoom calls out.

One call: policy -> validation -> request -> dry run | confirmation gate -> Zoom -> result.
"""

from __future__ import annotations

import difflib
import hashlib
import logging
from datetime import UTC, datetime
from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext

from zoom_mcp.api import Catalog, Operation
from zoom_mcp.api.serialize import ZoomRequest, build_request
from zoom_mcp.insights.service import InsightError, Insights
from zoom_mcp.insights.tools import TASK_TOOLS, TaskTool
from zoom_mcp.safety.audit import AuditLog
from zoom_mcp.safety.gate import Gate, Stop
from zoom_mcp.safety.policy import Policy
from zoom_mcp.server.discovery import META_NAMES, Discovery
from zoom_mcp.server.paging import (
    ALL_PAGES,
    DEFAULT_MAX_RECORDS,
    MAX_RECORDS,
    Progress,
    RangeRefused,
    collect,
    windows,
)
from zoom_mcp.server.results import call_error, error_result, meta_result, success_result
from zoom_mcp.server.tools import CONFIRMATION_TOKEN, DRY_RUN, ToolSpec, spec_for
from zoom_mcp.zoom import ZoomCallError, ZoomClient

log = logging.getLogger(__name__)


class ToolDispatcher:
    """Serves the catalog's operations as tools over one shared `ZoomClient`."""

    def __init__(
        self,
        catalog: Catalog,
        client: ZoomClient,
        policy: Policy,
        gate: Gate,
        audit: AuditLog,
        *,
        dynamic: bool = False,
        insights: Insights | None = None,
    ) -> None:
        self.catalog = catalog
        self.client = client
        self.policy = policy
        self.gate = gate
        self.audit = audit
        self._specs: dict[str, ToolSpec] = {}
        self.listed = sorted((op for op in catalog if policy.hidden_because(op) is None), key=lambda op: op.name)
        self.insights = insights or Insights(catalog, client)
        # Task-level tools come first: they answer the questions people ask most in one call.
        self.tasks = [t for t in TASK_TOOLS.values() if policy.hidden_because(t) is None]
        self.discovery = Discovery(self) if dynamic else None

    def spec(self, op: Operation) -> ToolSpec:
        found = self._specs.get(op.name)
        if found is None:
            found = self._specs[op.name] = spec_for(op, self.policy)
        return found

    async def list_tools(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        if self.discovery is not None:
            return types.ListToolsResult(tools=self.discovery.tools(ctx))
        return types.ListToolsResult(tools=[t.tool() for t in self.tasks] + [self.spec(op).tool for op in self.listed])

    async def call_tool(
        self, ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult | types.InputRequiredResult:
        if self.discovery is not None and params.name in META_NAMES:
            return await self.discovery.call(ctx, params)
        task = TASK_TOOLS.get(params.name)
        if task is not None:
            return await self.call_task(task, dict(params.arguments or {}))
        op = self.catalog.get(params.name)
        if op is None:
            return error_result(self.unknown(params.name))
        return await self.call(op, dict(params.arguments or {}), ctx=ctx, params=params)

    async def call(
        self,
        op: Operation,
        arguments: dict[str, Any],
        *,
        ctx: ServerRequestContext[Any] | None = None,
        params: types.CallToolRequestParams | None = None,
    ) -> types.CallToolResult | types.InputRequiredResult:
        from zoom_mcp.api.validate import ArgumentsInvalid, check_arguments  # jsonschema loads on first call

        hidden = self.policy.hidden_because(op)
        if hidden:
            return error_result(f"Refused, nothing was sent to Zoom: {hidden}.")
        spec = self.spec(op)
        try:
            check_arguments(op.name, spec.input_schema, arguments)
        except ArgumentsInvalid as exc:
            return error_result(str(exc))
        dry_run = bool(arguments.pop(DRY_RUN, False))
        token = arguments.pop(CONFIRMATION_TOKEN, None)
        all_pages = bool(arguments.pop(ALL_PAGES, False))
        max_records = int(arguments.pop(MAX_RECORDS, DEFAULT_MAX_RECORDS))
        try:
            spans = windows(op, arguments, datetime.now(UTC).date())
        except RangeRefused as exc:
            return error_result(f"Refused, nothing was sent to Zoom: {exc}.")
        try:
            request = build_request(op, arguments)
        except ValueError as exc:  # a file argument that is not base64
            return error_result(f"Invalid arguments for {op.name} (nothing was sent to Zoom): {exc}")
        where = {"tool": op.name, "method": request.method, "path": request.path, "arguments": arguments}
        if op.safety != "read":
            self.audit.record("requested", **where, dry_run=dry_run or None)
        if dry_run:
            self.audit.record("dry_run", **where)
            return self._dry_run(request)
        if self.policy.gated(op):
            decision = await self.gate.check(
                ctx, params, op, arguments, token, request, self._lookup, subject=client_identity(ctx)
            )
            if isinstance(decision, Stop):
                return decision.result
            where["approval_id"] = decision.approval_id
        try:
            if spans or all_pages:
                request, response = await collect(
                    self.client, op, arguments, spans, max_records, _progress_reporter(ctx)
                )
            else:
                response = await self.client.send(request)
        except ZoomCallError as exc:
            log.info("%s failed: %s", op.name, exc)
            if op.safety != "read":
                self.audit.record("failed", **where, status=getattr(exc, "status", None), error=type(exc).__name__)
            return call_error(exc)
        if op.safety != "read":
            self.audit.record("executed", **where, status=response.status)
        return success_result(op, request, response)

    async def call_task(self, task: TaskTool, arguments: dict[str, Any]) -> types.CallToolResult:
        """A task-level tool: same policy and validation; its Zoom calls go through the same client."""
        from zoom_mcp.api.validate import ArgumentsInvalid, check_arguments

        hidden = self.policy.hidden_because(task)
        if hidden:
            return error_result(f"Refused, nothing was sent to Zoom: {hidden}.")
        try:
            check_arguments(task.name, task.input_schema, arguments)
        except ArgumentsInvalid as exc:
            return error_result(str(exc))
        try:
            structured, text = await task.run(self.insights, arguments)
        except InsightError as exc:
            return error_result(str(exc))
        except ZoomCallError as exc:
            log.info("%s failed: %s", task.name, exc)
            return call_error(exc)
        return types.CallToolResult(content=[types.TextContent(text=text)], structured_content=structured)

    def _dry_run(self, request: ZoomRequest) -> types.CallToolResult:
        described = {"url": self.client.url_for(request), **request.describe()}
        return meta_result(
            {"status": "dry_run", "message": "Dry run: nothing was sent to Zoom.", "request": described},
            "Dry run: nothing was sent to Zoom. The request would be:",
        )

    async def _lookup(self, tool: str, arguments: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
        """One cheap read for a confirmation preview, with the gated call's matching arguments."""
        op = self.catalog.get(tool)
        if op is None:
            return None, f"unknown lookup tool {tool}"
        matching = {
            name: arguments[name] for name, t in op.arguments.items() if t.location == "path" and name in arguments
        }
        try:
            response = await self.client.send(build_request(op, matching))
        except ZoomCallError as exc:
            return None, str(exc)
        return (response.data if isinstance(response.data, dict) else None), None

    def unknown(self, name: str) -> str:
        names = [t.name for t in self.tasks] + [op.name for op in self.listed]
        close = difflib.get_close_matches(name, names, n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        return f"Unknown tool {name!r}.{hint}"


def _progress_reporter(ctx: ServerRequestContext[Any] | None) -> Progress:
    """Progress notifications for the caller, when it asked for them (a no-op otherwise)."""

    async def report(progress: float, total: float | None, message: str | None) -> None:
        if ctx is not None:
            await ctx.session.report_progress(progress, total, message)

    return report


def client_identity(ctx: ServerRequestContext[Any] | None) -> str:
    """Who a confirmation token is issued to, so it cannot be redeemed by another client.

    Over HTTP: the MCP session (streamable HTTP's Mcp-Session-Id, SSE's session_id); without a
    session (stateless mode), the credential the client presents. On stdio there is one client.
    """
    request = getattr(ctx, "request", None)
    headers = getattr(request, "headers", None)
    if headers is None:
        return ""
    query = getattr(request, "query_params", {})
    basis = headers.get("mcp-session-id") or query.get("session_id") or headers.get("authorization") or ""
    return hashlib.sha256(basis.encode()).hexdigest()[:32] if basis else ""
