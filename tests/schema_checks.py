"""Checks of sandbox answers against the reference's schemas, shared by the sandbox tests."""

from __future__ import annotations

from typing import Any


def unknown_fields(schema: dict[str, Any], value: Any, path: str = "") -> list[str]:
    """Fields in `value` that `schema` does not name (answers must speak the reference's field names)."""
    out: list[str] = []
    if isinstance(value, dict) and schema.get("properties"):
        for key, item in value.items():
            sub = schema["properties"].get(key)
            out += [f"{path}.{key}"] if sub is None else unknown_fields(sub, item, f"{path}.{key}")
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for item in value:
            out += unknown_fields(schema["items"], item, f"{path}[]")
    return out
