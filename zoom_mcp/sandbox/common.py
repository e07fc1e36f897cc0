"""Small helpers shared by the handler modules added with the 183-operation catalog."""

from __future__ import annotations

from typing import Any

from zoom_mcp.sandbox.app import Call, ZoomHTTPError
from zoom_mcp.sandbox.defaults import example
from zoom_mcp.sandbox.state import State


def state_of(call: Call) -> State:
    return call.sandbox.state


def complete(schema: dict[str, Any] | None, value: Any) -> Any:
    """`value` with every field `schema` requires (recursively) present: missing ones get the schema's example.

    Stored records keep only what Zoom would know; a reply still has to satisfy the reference's `required`.
    """
    if not isinstance(schema, dict):
        return value
    if isinstance(value, dict) and schema.get("properties"):
        props = schema["properties"]
        out = dict(value)
        for name in schema.get("required") or []:
            if out.get(name) is None and name in props:
                out[name] = example(props[name], name)
        return {k: complete(props.get(k), v) for k, v in out.items()}
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [complete(schema["items"], item) for item in value]
    return value


def item_schema(call: Call, key: str) -> dict[str, Any] | None:
    """The schema of one item of the list `key` in this operation's answer."""
    schema = call.op.response_schema or {}
    return ((schema.get("properties") or {}).get(key) or {}).get("items")


def action(call: Call, allowed: dict[str, str]) -> str:
    """The body's `action` mapped through `allowed`, or Zoom's 400 / 300."""
    wanted = (call.body or {}).get("action", "")
    if wanted not in allowed:
        raise ZoomHTTPError(400, 300, f"Invalid parameter: action. Expected one of: {', '.join(allowed)}.")
    return allowed[wanted]
