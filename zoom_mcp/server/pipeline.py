"""One call pipeline for every way a tool runs: listed tools, `call_tool`, and confirmation previews.

    refuse -> validate -> serialize -> dry run -> gate -> execute -> result

- refuse: the inventory says whether the tool exists and may be called (and why not);
- validate: the arguments against the published input schema, every problem at once;
- serialize: endpoint tools become a plain `ZoomRequest` (date ranges split into windows);
- dry run: writes with `dry_run: true` return the request and stop;
- gate: gated calls need a person's confirmation (`safety.Gate`);
- execute: one request, or pages and windows followed (`ZoomClient.paginate`); task-level tools run;
- result: the answer as a tool result; any `ZoomMcpError` on the way becomes the tool error (`results`).
The audit log records each step of every write and destructive call.
"""

from __future__ import annotations

import logging
from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext

from zoom_mcp.api import Operation, windows
from zoom_mcp.api.serialize import ZoomRequest, build_request
from zoom_mcp.client import ZoomClient
from zoom_mcp.clock import Clock
from zoom_mcp.errors import ZoomCallError, ZoomMcpError
from zoom_mcp.inventory import Inventories, Inventory, Item
from zoom_mcp.safety import AuditLog, ConfirmPolicy, Gate
from zoom_mcp.safety.outcomes import Stop
from zoom_mcp.server import results
from zoom_mcp.server.session import client_identity, progress_reporter
from zoom_mcp.server.tool_specs import (
    ALL_PAGES,
    CONFIRMATION_TOKEN,
    DEFAULT_MAX_RECORDS,
    DRY_RUN,
    MAX_RECORDS,
    ToolSpecs,
)
from zoom_mcp.tasks.service import TaskService

log = logging.getLogger(__name__)

Outcome = types.CallToolResult | types.InputRequiredResult


class CallPipeline:
    def __init__(
        self,
        inventories: Inventories,
        specs: ToolSpecs,
        client: ZoomClient,
        tasks: TaskService,
        gate: Gate,
        confirm: ConfirmPolicy,
        audit: AuditLog,
        clock: Clock,
    ) -> None:
        self.inventories = inventories
        self.specs = specs
        self.client = client
        self.tasks = tasks
        self.gate = gate
        self.confirm = confirm
        self.audit = audit
        self.clock = clock

    @property
    def inventory(self) -> Inventory:
        """What the person acting may call (see `Inventories`)."""
        return self.inventories.current()

    async def call(
        self,
        name: str,
        arguments: dict[str, Any],
        ctx: ServerRequestContext[Any] | None = None,
        params: types.CallToolRequestParams | None = None,
    ) -> Outcome:
        """Run one tool call to its result; never raises for anything the caller got wrong."""
        try:
            item = self.inventory.tool(name)
            self._validate(item, arguments)
            if item.kind == "task":
                structured, text = await item.task.run(self.tasks, arguments)
                return types.CallToolResult(content=[types.TextContent(text=text)], structured_content=structured)
            return await self._endpoint(item.operation, arguments, ctx, params)
        except ZoomMcpError as exc:
            log.info("%s refused or failed: %s", name, exc)
            return results.error_result(exc)
        except Exception:
            log.exception("%s: internal error", name)
            return results.internal_error_result()

    async def lookup(self, tool: str, arguments: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
        """One cheap read for a confirmation preview, with the gated call's matching path arguments.

        It runs the same steps as a listed read tool (refuse, validate, serialize, execute); a
        lookup that cannot run leaves the preview without its facts and says why.
        """
        try:
            item = self.inventory.tool(tool)
            op = item.operation
            matching = {
                name: arguments[name] for name, t in op.arguments.items() if t.location == "path" and name in arguments
            }
            self._validate(item, matching)
            response = await self.client.send(build_request(op, matching))
        except ZoomMcpError as exc:
            return None, str(exc)
        return (response.data if isinstance(response.data, dict) else None), None

    def _validate(self, item: Item, arguments: dict[str, Any]) -> None:
        from zoom_mcp.api.validate import check_arguments  # late: jsonschema loads at the first call

        check_arguments(item.name, self.specs.of(item).input_schema, arguments)

    async def _endpoint(
        self,
        op: Operation,
        arguments: dict[str, Any],
        ctx: ServerRequestContext[Any] | None,
        params: types.CallToolRequestParams | None,
    ) -> Outcome:
        dry_run = bool(arguments.pop(DRY_RUN, False))
        token = arguments.pop(CONFIRMATION_TOKEN, None)
        all_pages = bool(arguments.pop(ALL_PAGES, False))
        max_records = int(arguments.pop(MAX_RECORDS, DEFAULT_MAX_RECORDS))
        spans = windows.split(op, arguments, self.clock.today())
        request = build_request(op, arguments)
        where: dict[str, Any] = {
            "tool": op.name,
            "method": request.method,
            "path": request.path,
            "arguments": arguments,
        }
        if op.safety != "read":
            self.audit.record("requested", **where, dry_run=dry_run or None)
        if dry_run:
            self.audit.record("dry_run", **where)
            return self._dry_run(request)
        if self.confirm.gated(op):
            subject = client_identity(ctx)
            decision = await self.gate.check(ctx, params, op, arguments, token, request, self.lookup, subject=subject)
            if isinstance(decision, Stop):
                return decision.result
            where["approval"] = decision.approval_ref
        try:
            if spans or all_pages:
                request, response = await self.client.paginate(
                    op, arguments, windows=spans, max_records=max_records, progress=progress_reporter(ctx)
                )
            else:
                response = await self.client.send(request)
        except ZoomCallError as exc:
            if op.safety != "read":
                self.audit.record("failed", **where, status=getattr(exc, "status", None), error=type(exc).__name__)
            raise
        if op.safety != "read":
            self.audit.record("executed", **where, status=response.status)
        return results.success_result(op, request, response)

    def _dry_run(self, request: ZoomRequest) -> types.CallToolResult:
        described = {"url": self.client.url_for(request), **request.describe()}
        return results.meta_result(
            {"status": "dry_run", "message": "Dry run: nothing was sent to Zoom.", "request": described},
            "Dry run: nothing was sent to Zoom. The request would be:",
        )
