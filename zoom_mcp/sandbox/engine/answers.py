"""A schema-shaped answer for any operation without hand-written behaviour.

A newly catalogued operation gets a correct default at once: its success status and, when
Zoom documents a response body, a small example built from that schema (enums' first value,
formats honoured, one item per array, lengths and ranges respected).
"""

from __future__ import annotations

import re
from typing import Any

from zoom_mcp.sandbox.engine.calls import Call, Reply

_FORMATS = {
    "date-time": "2026-01-01T00:00:00Z",
    "date": "2026-01-01",
    "email": "someone@example.com",
    "uri": "https://example.com/sandbox",
    "url": "https://example.com/sandbox",
}


def example(schema: dict[str, Any] | None, name: str = "") -> Any:
    """A small value that `schema` accepts (best effort where the schema contradicts itself)."""
    if not isinstance(schema, dict) or not schema:
        return None
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    for key in ("oneOf", "anyOf"):
        if schema.get(key):
            # Prefer a branch that agrees with a sibling `type` (Zoom's schemas sometimes disagree).
            options = [example(branch, name) for branch in schema[key]]
            outer = schema.get("type")
            allowed = outer if isinstance(outer, list) else [outer]
            fitting = [o for o in options if outer is None or _json_type(o) in allowed]
            return (fitting or options)[0]
    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = example(part, name)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "object" or "properties" in schema:
        return {prop: example(sub, prop) for prop, sub in (schema.get("properties") or {}).items()}
    if kind == "array":
        count = max(1, schema.get("minItems", 1))
        if "maxItems" in schema:
            count = min(count, schema["maxItems"])
        return [example(schema.get("items"), name) for _ in range(count)]
    if kind in ("integer", "number"):
        low, high = schema.get("minimum"), schema.get("maximum")
        value = max(low, 1) if low is not None else 1
        if high is not None and value > high:
            value = high
        return value if kind == "integer" else float(value)
    if kind == "boolean":
        return False
    if kind == "string":
        return _string(schema, name)
    return None


def _json_type(value: Any) -> str:
    """The JSON Schema type name of a Python value."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {str: "string", float: "number", list: "array", dict: "object"}.get(type(value), "null")


def _string(schema: dict[str, Any], name: str) -> str:
    """A string the schema's format, pattern and lengths accept, named after its field where it can be."""
    text = _FORMATS.get(schema.get("format", ""), f"sandbox-{name}" if name else "sandbox")
    pattern = schema.get("pattern")
    if pattern and not re.search(pattern, text):  # e.g. an e-mail pattern on a plain string field
        text = next((t for t in ("someone@example.com", "") if re.search(pattern, t)), text)
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    if len(text) < low:
        text += "x" * (low - len(text))
    return text[:high] if high is not None else text


def default_handler(call: Call) -> Reply:
    """The operation's success status and, when Zoom documents an answer body, `example` of its schema."""
    op = call.op
    body = example(op.response_schema) if op.response_schema else None
    return op.success_status, body
