"""The sandbox's HTTP plumbing: routing on the raw path, reading bodies, answering, multipart forms."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import unquote

from zoom_mcp.api import Operation

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

_ENCODED_SLASH = re.compile(r"%2[Ff]")
CHUNK = 1024 * 1024  # downloads go out in pieces this size


def decode_segment(raw: str) -> str:
    """One path value: decoded once, and once more if that still leaves an encoded `/`.

    Zoom's rule: UUIDs that begin with `/` or contain `//` arrive encoded twice (clients may
    double-encode any UUID with a `/`). Only an encoded slash triggers the second pass, so other
    IDs round-trip exactly (`%2e%2e` stays `%2e%2e`). Decoding happens after the path was split,
    so an encoded `/` never makes a new segment: `..%2Fusers%2Fme` stays one (unknown) ID.
    """
    once = unquote(raw)
    return unquote(once) if _ENCODED_SLASH.search(once) else once


class Router:
    """Matches method + raw path to a catalog operation; literal segments beat `{templates}`."""

    def __init__(self, operations: list[Operation]) -> None:
        self._routes: list[tuple[str, list[str], Operation]] = [
            (op.method, op.path.strip("/").split("/"), op) for op in operations
        ]

    def match(self, method: str, raw_path: str) -> tuple[Operation, dict[str, str]] | None:
        segments = raw_path.strip("/").split("/")
        best: tuple[int, Operation, dict[str, str]] | None = None
        for route_method, pattern, op in self._routes:
            if route_method != method or len(pattern) != len(segments):
                continue
            params: dict[str, str] = {}
            literal = 0
            for want, got in zip(pattern, segments, strict=True):
                if want.startswith("{"):
                    params[want[1:-1]] = decode_segment(got)
                elif want == got:
                    literal += 1
                else:
                    break
            else:
                if best is None or literal > best[0]:
                    best = (literal, op, params)
        return (best[1], best[2]) if best else None


async def read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def respond(send: Send, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
    raw = b"" if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
    out = [(b"content-length", str(len(raw)).encode())]
    if body is not None and not isinstance(body, bytes):
        out.append((b"content-type", b"application/json"))
    out += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": out})
    await send({"type": "http.response.body", "body": raw})


def multipart_form(body: bytes, content_type: str) -> dict[str, Any]:
    """An upload's fields; file parts come back base64-encoded, as the tool's arguments carry them."""
    from email.parser import BytesParser
    from email.policy import HTTP

    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    if not message.is_multipart():
        raise ValueError("not a multipart body")
    form: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if part.get_filename() is not None:
            form[str(name)] = base64.b64encode(payload).decode()
        else:
            text = payload.decode("utf-8", "replace")
            # Form fields are text on the wire; read them back as the JSON values the schema declares.
            form[str(name)] = {"true": True, "false": False}.get(text, int(text) if text.isdigit() else text)
    return form


async def send_file(send: Send, content: bytes) -> None:
    """A file's bytes in 1 MiB pieces, so a large recording goes out (and can be cut off) as a stream."""
    start = {"type": "http.response.start", "status": 200}
    headers = [(b"content-length", str(len(content)).encode()), (b"content-type", b"application/octet-stream")]
    await send({**start, "headers": headers})
    for offset in range(0, len(content), CHUNK):
        last = offset + CHUNK >= len(content)
        await send({"type": "http.response.body", "body": content[offset : offset + CHUNK], "more_body": not last})
    if not content:
        await send({"type": "http.response.body", "body": b""})
