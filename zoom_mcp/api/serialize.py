"""Turn validated tool arguments into a plain, library-independent HTTP request."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from zoom_mcp.errors import ArgumentsInvalid, Problem

if TYPE_CHECKING:
    from zoom_mcp.api import Operation

_PLACEHOLDER = re.compile(r"\{([^}]+)\}")


@dataclass(frozen=True)
class ZoomRequest:
    """What would go on the wire, minus the host and the token: safe to show and to log."""

    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    json: Any = None
    rate_limit: str = ""  # Zoom's label (LIGHT, MEDIUM, HEAVY, ...) for client-side pacing
    files: dict[str, bytes] | None = None  # multipart uploads: these fields as files, `json` as form fields

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"method": self.method, "path": self.path}
        if self.query:
            out["query"] = self.query
        if self.json is not None:
            out["form" if self.files is not None else "json"] = self.json
        if self.files is not None:
            out["files"] = {name: f"{len(data)} bytes" for name, data in self.files.items()}
        return out


def encode_path_segment(value: Any) -> str:
    """Percent-encode one path value so it can never add, remove or climb path segments.

    Zoom asks for meeting UUIDs that begin with `/` or contain `//` to be encoded twice.
    """
    text = _scalar(value)
    once = quote(text, safe="")
    if text.startswith("/") or "//" in text:
        return quote(once, safe="")
    return once


def build_request(op: Operation, arguments: dict[str, Any]) -> ZoomRequest:
    path_values: dict[str, str] = {}
    query: dict[str, str] = {}
    body: dict[str, Any] = {}
    whole_body: Any = None
    for arg, value in arguments.items():
        target = op.arguments.get(arg)
        if target is None:
            continue  # control arguments (dry_run, confirmation_token, ...) are not Zoom's
        if target.location == "path":
            path_values[target.wire_name] = encode_path_segment(value)
        elif target.location == "query":
            if value is not None:
                query[target.wire_name] = _scalar(value)
        elif target.location == "body":
            body[target.wire_name] = value
        else:
            whole_body = value
    path = _PLACEHOLDER.sub(lambda m: path_values[m.group(1)], op.path)
    if op.body_content_type == "multipart/form-data":
        files = {k: _file_bytes(op, k, v) for k, v in body.items() if _is_file(op, k)}
        form = {k: _scalar(v) for k, v in body.items() if k not in files}
        return ZoomRequest(op.method, path, query, form, op.rate_limit, files)
    payload = whole_body if whole_body is not None else (body or None)
    if payload is None and op.body_schema is not None and op.method in ("POST", "PUT", "PATCH"):
        payload = {}
    return ZoomRequest(op.method, path, query, payload, op.rate_limit)


def _file_bytes(op: Operation, field_name: str, value: Any) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise ArgumentsInvalid(op.name, [Problem(field_name, f"must be base64-encoded file content ({exc})")]) from exc


def _is_file(op: Operation, field_name: str) -> bool:
    schema = (op.body_schema or {}).get("properties", {}).get(field_name, {})
    return schema.get("format") == "binary"


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
