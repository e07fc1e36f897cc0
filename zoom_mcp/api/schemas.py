"""Derive each tool's MCP input and output schemas from the catalog facts.

Input schemas are strict and exact: path, query and body fields are top-level arguments,
with every type, enum, format, limit and `required` flag of Zoom's schema, and nothing
else (`additionalProperties: false`, no `$ref`), so every client and model provider accepts them.

Output schemas are lenient on purpose: Zoom's answers carry nulls, extra fields, empty strings
for timestamps and arrays shorter than its own `minItems`. A client rejects structured content
that breaks the published schema, so we publish the shape (property names and base types) and
drop every constraint a real answer is known to break.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from zoom_mcp.api.catalog import Operation


@dataclass(frozen=True)
class Target:
    """Where one tool argument goes: a path or query parameter, a body field, or the whole body."""

    location: Literal["path", "query", "body", "whole_body"]
    wire_name: str


ArgumentMap = dict[str, Target]


def body_properties(op: Operation) -> dict[str, Any] | None:
    """The body's fields when they can be flattened into top-level arguments, else None."""
    body = op.body_schema
    if not body or body.get("type") != "object" or "properties" not in body:
        return None
    properties = dict(body["properties"])
    # A field Zoom lists as required but never defines (a defect in the reference) stays accepted.
    for name in body.get("required", []):
        properties.setdefault(name, {})
    return properties


def argument_map(op: Operation) -> ArgumentMap:
    arguments: ArgumentMap = {p.name: Target(p.location, p.name) for p in op.parameters}
    properties = body_properties(op)
    if properties is not None:
        for field_name in properties:
            arg = op.body_renames.get(field_name) or field_name
            if arg in arguments:
                arg = f"body_{field_name}"
            arguments[arg] = Target("body", field_name)
    elif op.body_schema is not None:
        arguments["body"] = Target("whole_body", "body")
    return arguments


def input_schema(op: Operation) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    body = op.body_schema or {}
    body_fields = body_properties(op) or {}
    body_required = set(body.get("required", []))
    for arg, target in op.arguments.items():
        if target.location in ("path", "query"):
            param = next(p for p in op.parameters if p.name == target.wire_name)
            prop = dict(param.schema)
            if param.required:
                required.append(arg)
        elif target.location == "body":
            prop = dict(body_fields[target.wire_name])
            if prop.get("format") == "binary":  # multipart upload: JSON carries the bytes as base64
                prop = {"type": "string", "contentEncoding": "base64", "description": "file content, base64-encoded"}
            if target.wire_name in body_required:
                required.append(arg)
        else:
            prop = dict(body)
            if op.facts["body_required"]:
                required.append(arg)
        note = op.param_notes.get(arg)
        if note:
            prop["description"] = note
        properties[arg] = prop
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    return schema


_DROP = {
    "required",
    "enum",
    "format",
    "pattern",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "default",
    "deprecated",
}


def output_schema(response: dict[str, Any] | None) -> dict[str, Any] | None:
    """A lenient schema for the structured result, or None when the answer is not a JSON object."""
    if not response or response.get("type") != "object" or "properties" not in response:
        return None
    lenient = _lenient(response)
    lenient["type"] = "object"  # MCP requires an object at the top; Zoom never answers null there
    return lenient


def _lenient(schema: dict[str, Any]) -> dict[str, Any]:
    if "anyOf" in schema or "oneOf" in schema or "type" not in schema:
        return {}
    kind = schema["type"]
    kinds = [kind] if isinstance(kind, str) else list(kind)
    # Zoom mixes up numbers and strings (IDs, a meeting's `type` "2" or 2); accept either way round.
    if {"integer", "number", "string"} & set(kinds):
        kinds += [k for k in ("string", "integer", "number") if k not in kinds]
    if "null" not in kinds:
        kinds.append("null")
    out: dict[str, Any] = {"type": kinds}
    for key, value in schema.items():
        if key in _DROP or key == "type":
            continue
        if key == "properties":
            out[key] = {name: _lenient(sub) for name, sub in value.items()}
        elif key == "items":
            out[key] = _lenient(value)
    return out
