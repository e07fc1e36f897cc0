"""A schema-shaped answer for any operation without hand-written behaviour.

A newly catalogued operation gets a correct default at once: its success status and, when
Zoom documents a response body, a small example built from that schema.
"""

from __future__ import annotations

from typing import Any

from zoom_mcp.sandbox.app import Call, Reply

_FORMATS = {"date-time": "2026-01-01T00:00:00Z", "date": "2026-01-01", "email": "someone@example.com"}


def example(schema: dict[str, Any] | None, name: str = "") -> Any:
    if not schema:
        return None
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return example(schema[key][0], name)
    kind = schema.get("type")
    kind = next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
    if kind == "object" or "properties" in schema:
        return {prop: example(sub, prop) for prop, sub in (schema.get("properties") or {}).items()}
    if kind == "array":
        return [example(schema.get("items"), name)] * max(1, schema.get("minItems", 1))
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return float(max(schema.get("minimum", 1), 1))
    if kind == "boolean":
        return False
    if kind == "string":
        text = _FORMATS.get(schema.get("format", ""), f"sandbox-{name}" if name else "sandbox")
        return text[: schema["maxLength"]] if "maxLength" in schema else text
    return None


def default_handler(call: Call) -> Reply:
    op = call.op
    body = example(op.response_schema) if op.response_schema else None
    return op.success_status, body
