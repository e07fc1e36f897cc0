"""Recording and archive files: `/rec/download/<file ID>`, and the signed storage host it may redirect to.

Like Zoom, a download takes the bearer token in the header or as `?access_token=`, or a recording
webhook's `download_token` (in the header), which opens that recording's files only. With
`sandbox.download_redirect` set, the answer is Zoom's other one: a 302 to a storage host with a
signed URL (which needs no token, and must not be sent one). Every file request is logged with
its answer, so tests count what was fetched, and from where.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import unquote

from zoom_mcp.sandbox.engine.log import RecordedRequest
from zoom_mcp.sandbox.engine.messages import Send, respond, send_file
from zoom_mcp.sandbox.engine.oauth import authorized

if TYPE_CHECKING:
    from zoom_mcp.sandbox.sandbox import Sandbox

NO_RECORDING = {"code": 3301, "message": "There is no recording for this meeting."}


def signature(sandbox: Sandbox, file_id: str) -> str:
    """The storage URL's signature for a file: an HMAC only this sandbox can make."""
    return hmac.new(sandbox.download_key, file_id.encode(), hashlib.sha256).hexdigest()


async def download(sandbox: Sandbox, send: Send, headers: dict[str, str], query: dict[str, str], file_id: str) -> None:
    """A file's bytes (or the redirect to signed storage); 401 without a valid token, 404 for a gone file."""
    bearer = headers.get("authorization", "").partition(" ")[2].strip()
    if authorized(sandbox, headers, query.get("access_token")):
        credential = "token"
    elif sandbox.download_token_opens(bearer, unquote(file_id)):
        credential = "download_token"
    else:
        credential = None
    record = _recorder(sandbox, "download", file_id, query, credential)
    if credential is None:
        record(401)
        await respond(send, 401, {"code": 124, "message": "Invalid access token."})
        return
    content = await _content_or_404(sandbox, send, record, file_id)
    if content is None:
        return
    redirect = sandbox.download_redirect
    if redirect:
        record(302)
        signed = f"?signature={signature(sandbox, unquote(file_id))}"
        await respond(send, 302, b"", {"location": f"{redirect.rstrip('/')}/rec/storage/{file_id}{signed}"})
        return
    record(200)
    await send_file(send, content)


async def storage(sandbox: Sandbox, send: Send, query: dict[str, str], file_id: str) -> None:
    """The storage host a download redirects to: no token, but the URL's signature must be right (else 403)."""
    record = _recorder(sandbox, "storage", file_id, query)
    wanted = signature(sandbox, unquote(file_id)).encode()
    if not hmac.compare_digest(query.get("signature", "").encode(), wanted):
        record(403)
        await respond(send, 403, {"code": 403, "message": "Signature does not match."})
        return
    content = await _content_or_404(sandbox, send, record, file_id)
    if content is None:
        return
    record(200)
    await send_file(send, content)


async def _content_or_404(sandbox: Sandbox, send: Send, record: Callable[[int], None], file_id: str) -> bytes | None:
    """The file's bytes; None, after answering 404, when it is gone (trashed, deleted, never there)."""
    content = sandbox.state.download(unquote(file_id))
    if content is None:
        record(404)
        await respond(send, 404, NO_RECORDING)
    return content


def _recorder(
    sandbox: Sandbox, route: str, file_id: str, query: dict[str, str], credential: str | None = None
) -> Callable[[int], None]:
    """Logs a file request with the status it was answered with."""

    def record(status: int) -> None:
        path = f"/rec/{route}/{file_id}"
        sandbox.requests.append(
            RecordedRequest("GET", path, {"fileId": file_id}, query, None, None, status, credential=credential)
        )

    return record
