"""What the model sees of each tool: an MCP `Tool` built from an inventory item and the confirm policy.

Endpoint tools publish the operation's strict input schema plus the control arguments that apply
(`dry_run` for writes, `confirmation_token` for gated calls, `all_pages`/`max_records` for list
operations); task-level tools publish their own schemas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import mcp_types as types

from zoom_mcp.api import Operation
from zoom_mcp.client.paginate import HARD_CAP
from zoom_mcp.inventory import Item
from zoom_mcp.safety.confirm import ConfirmPolicy
from zoom_mcp.tasks.tools import TaskTool

DRY_RUN = "dry_run"
CONFIRMATION_TOKEN = "confirmation_token"
ALL_PAGES = "all_pages"
MAX_RECORDS = "max_records"
DEFAULT_MAX_RECORDS = 1000
CONTROL_ARGUMENTS = (DRY_RUN, CONFIRMATION_TOKEN, ALL_PAGES, MAX_RECORDS)

GATED_NOTE = (
    " Needs the user's OK: unless the client asks them itself, the first call sends nothing and returns a preview"
    " and a confirmation_token; show the preview to the user and only if they approve call again adding the token."
)
HUMAN_NOTE = (
    " Needs a person's approval on a web page, with their passkey: the first call sends nothing and returns a link"
    " for the user (or the client opens it); call again with the same arguments once they approved. You cannot"
    " approve it: fetching the page does not, only the user's passkey does."
)
RANGE_NOTE = " Longer from/to ranges are split and merged for you."


@dataclass(frozen=True)
class ToolSpec:
    item: Item
    tool: types.Tool
    input_schema: dict[str, Any]  # what arguments are checked against, control arguments included


class ToolSpecs:
    """Specs built on first use and kept: the catalog's schemas live as long as the process."""

    def __init__(self, confirm: ConfirmPolicy) -> None:
        self.confirm = confirm
        self._specs: dict[str, ToolSpec] = {}

    def of(self, item: Item) -> ToolSpec:
        found = self._specs.get(item.name)
        if found is None:
            if isinstance(item.source, Operation):
                found = endpoint_spec(item, item.source, self.confirm)
            else:
                found = task_spec(item, item.task)
            self._specs[item.name] = found
        return found


def paging_schema(op: Operation) -> dict[str, Any]:
    if op.pagination is None:
        return {}
    return {
        ALL_PAGES: {"type": "boolean", "description": "fetch every page, up to max_records"},
        MAX_RECORDS: {"type": "integer", "minimum": 1, "maximum": HARD_CAP, "default": DEFAULT_MAX_RECORDS},
    }


def endpoint_spec(item: Item, op: Operation, confirm: ConfirmPolicy) -> ToolSpec:
    schema = op.input_schema
    paging = paging_schema(op)
    if paging:
        schema = {**schema, "properties": {**schema["properties"], **paging}}
    gated = confirm.gated(op)
    if op.safety != "read":
        extra: dict[str, Any] = {DRY_RUN: {"type": "boolean", "description": "only show the request"}}
        if gated and not confirm.human:
            extra[CONFIRMATION_TOKEN] = {"type": "string", "description": "from the preview, once approved"}
        schema = {**schema, "properties": {**schema["properties"], **extra}}
    note = (HUMAN_NOTE if confirm.human else GATED_NOTE) if gated else ""
    description = op.description + (RANGE_NOTE if op.date_range.get("split") else "") + note
    tool = types.Tool(
        name=op.name,
        title=op.title,
        description=description,
        input_schema=schema,
        output_schema=op.output_schema,
        annotations=types.ToolAnnotations(
            title=op.title,
            read_only_hint=op.read_only,
            destructive_hint=op.safety == "destructive",
            idempotent_hint=op.idempotent,
            open_world_hint=True,
        ),
    )
    return ToolSpec(item, tool, schema)


def task_spec(item: Item, task: TaskTool) -> ToolSpec:
    tool = types.Tool(
        name=task.name,
        title=task.title,
        description=task.description,
        input_schema=task.input_schema,
        output_schema=task.output_schema,
        annotations=types.ToolAnnotations(
            title=task.title,
            read_only_hint=True,
            destructive_hint=False,
            idempotent_hint=True,
            open_world_hint=True,
        ),
    )
    return ToolSpec(item, tool, task.input_schema)
