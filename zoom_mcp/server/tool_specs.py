"""What the model sees of each operation: an MCP `Tool` built from the catalog entry and the policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import mcp_types as types

from zoom_mcp.api import Operation
from zoom_mcp.safety.policy import Policy
from zoom_mcp.server.paging import control_schema

DRY_RUN = "dry_run"
CONFIRMATION_TOKEN = "confirmation_token"
CONTROL_ARGUMENTS = (DRY_RUN, CONFIRMATION_TOKEN, "all_pages", "max_records")

GATED_NOTE = (
    " Needs the user's OK: unless the client asks them itself, the first call sends nothing and returns a preview"
    " and a confirmation_token; show the preview to the user and only if they approve call again adding the token."
)


HUMAN_NOTE = (
    " Needs a person's approval on a web page: the first call sends nothing and returns a link for the user (or"
    " the client opens it); call again with the same arguments once they approved. You cannot approve it."
)
RANGE_NOTE = " Longer from/to ranges are split and merged for you."


@dataclass(frozen=True)
class ToolSpec:
    op: Operation
    tool: types.Tool
    input_schema: dict[str, Any]


def spec_for(op: Operation, policy: Policy) -> ToolSpec:
    schema = op.input_schema
    paging = control_schema(op)
    if paging:
        schema = {**schema, "properties": {**schema["properties"], **paging}}
    gated = policy.gated(op)
    if op.safety != "read":
        extra: dict[str, Any] = {DRY_RUN: {"type": "boolean", "description": "only show the request"}}
        if gated and not policy.human:
            extra[CONFIRMATION_TOKEN] = {"type": "string", "description": "from the preview, once approved"}
        schema = {**schema, "properties": {**schema["properties"], **extra}}
    note = (HUMAN_NOTE if policy.human else GATED_NOTE) if gated else ""
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
    return ToolSpec(op, tool, schema)
