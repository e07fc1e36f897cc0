"""ASGI messages in and out: read a request body, send a JSON answer or a file, read a multipart form."""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable, MutableMapping
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

CHUNK = 1024 * 1024  # downloads go out in pieces this size


async def read_body(receive: Receive) -> bytes:
    """The whole request body, however many messages it came in."""
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def respond(send: Send, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
    """An answer: `body` as JSON (bytes as they are, None as nothing), with `headers` added."""
    raw = b"" if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
    out = [(b"content-length", str(len(raw)).encode())]
    if body is not None and not isinstance(body, bytes):
        out.append((b"content-type", b"application/json"))
    out += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": out})
    await send({"type": "http.response.body", "body": raw})


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


def multipart_form(body: bytes, content_type: str) -> dict[str, Any]:
    """An upload's fields; file parts come back base64-encoded, as the tool's arguments carry them."""
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    if not message.is_multipart():
        raise ValueError("not a multipart body")
    form: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        raw = part.get_payload(decode=True)
        payload = raw if isinstance(raw, bytes) else b""
        if part.get_filename() is not None:
            form[str(name)] = base64.b64encode(payload).decode()
        else:
            text = payload.decode("utf-8", "replace")
            # Form fields are text on the wire; read them back as the JSON values the schema declares.
            form[str(name)] = {"true": True, "false": False}.get(text, int(text) if text.isdigit() else text)
    return form
