"""What Zoom's gateway does around every handler: check the request body, answer in the reference's fields.

`answer` is the whole path of one call: `check_body`, then the operation's hand-written handler
(or, without one, the unknown-ID check and the schema-shaped default), then `conform`.

Handlers keep whatever bookkeeping they like in the state (trash, chat logs, create times);
`conform` drops every field the operation's response schema does not name, so no sandbox-only
field ever reaches a client. `check_body` is deliberately shallow: required fields, top-level
types, enums, lengths and ranges - the mistakes a caller actually makes - not full JSON Schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from zoom_mcp.sandbox.engine.answers import default_handler, example
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.engine.unknown_ids import check_path_ids
from zoom_mcp.sandbox.state import Missing

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def answer(call: Call, handlers: Mapping[str, Handler]) -> Reply:
    """The status and body for `call`; raises `ZoomHTTPError` for Zoom's error answers."""
    check_body(call.op.body_schema, call.body)
    handler = handlers.get(call.op.name)
    try:
        if handler is None:
            check_path_ids(call)  # the default would answer any ID; Zoom answers unknown ones with 404
        status, body = (handler or default_handler)(call)
    except Missing as missing:
        raise call.not_found(missing) from None
    if status == 204:
        return status, None
    if 200 <= status < 300 and call.op.response_schema is not None:
        body = conform(call.op.response_schema, body)
    return status, body


def conform(schema: dict[str, Any] | None, value: Any) -> Any:
    """`value` with only the object fields `schema` names (schemas without properties keep everything)."""
    if not isinstance(schema, dict) or value is None:
        return value
    if isinstance(value, dict):
        props = schema.get("properties")
        if not props or schema.get("additionalProperties") not in (None, False):
            return dict(value)
        return {k: conform(props[k], v) for k, v in value.items() if k in props}
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [conform(schema["items"], item) for item in value]
    return value


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


def _is(kind: Any, value: Any) -> bool:
    """Whether `value` has (one of) the JSON Schema type(s) `kind`; unknown types accept anything."""
    kinds = kind if isinstance(kind, list) else [kind]
    for k in kinds:
        if k == "null" and value is None:
            return True
        wanted = _TYPES.get(k)
        if wanted is None:
            return True
        if isinstance(value, bool) and k in ("integer", "number"):
            continue
        if isinstance(value, wanted):
            return True
    return False


def _problem(name: str, schema: dict[str, Any], value: Any) -> str | None:
    """What is wrong with one top-level body field, in Zoom's words; None when nothing is."""
    kind = schema.get("type")
    if kind is not None and not _is(kind, value):
        return f"Invalid field: expected {kind if isinstance(kind, str) else ' or '.join(kind)}."
    if "enum" in schema and value not in schema["enum"]:
        return f"Invalid field: must be one of {', '.join(map(str, schema['enum']))}."
    if isinstance(value, str):
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            return f"Invalid field: at most {schema['maxLength']} characters."
        if value and "minLength" in schema and len(value) < schema["minLength"]:
            return f"Invalid field: at least {schema['minLength']} characters."
        if value and schema.get("format") == "date-time":
            try:
                datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return "Invalid field: expected a date-time such as 2026-03-01T10:00:00Z."
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            return f"Invalid field: must be at least {schema['minimum']}."
        if "maximum" in schema and value > schema["maximum"]:
            return f"Invalid field: must be at most {schema['maximum']}."
    return None


def check_body(schema: dict[str, Any] | None, body: Any) -> None:
    """Raise Zoom's 400 / code 300 "Validation Failed." with per-field errors, as Zoom's gateway does."""
    if not isinstance(schema, dict) or schema.get("type") not in ("object", None) or "properties" not in schema:
        return
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise ZoomHTTPError(400, 300, "Request Body should be a valid JSON object.")
    props: dict[str, Any] = schema["properties"]
    errors = [
        {"field": name, "message": "Required field is missing."}
        for name in schema.get("required") or []
        if name in props and body.get(name) is None
    ]
    for name, value in body.items():
        sub = props.get(name)
        if isinstance(sub, dict) and value is not None:
            problem = _problem(name, sub, value)
            if problem:
                errors.append({"field": name, "message": problem})
    if errors:
        raise ZoomHTTPError(400, 300, "Validation Failed.", errors=errors)
