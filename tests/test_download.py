"""Recording downloads never hand the token to a host off the allow-list, whatever the URL or redirect.

Two real loopback servers: one on the allow-list (standing in for Zoom's download host), one off
it (a storage host, or an attacker's). Each records the headers and URLs it received.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs

import anyio
import pytest

from tests.http_sandbox import serve_asgi
from zoom_mcp.client import BearerAuth, ZoomClient
from zoom_mcp.client.download import AllowList, DownloadLimits
from zoom_mcp.errors import DownloadRefused

pytestmark = pytest.mark.anyio
TOKEN = "secret-download-token"


class Recorder:
    """A tiny file host: `/file`, `/big`, `/chunked`, `/slow`, `/loop`, `/go?to=URL` (302)."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, str]] = []  # path, query, Authorization header

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        query = scope.get("query_string", b"").decode()
        path = scope["path"]
        self.seen.append((path, query, headers.get("authorization", "")))
        extra: list[tuple[bytes, bytes]] = []
        status, body = 200, b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAlex: hi\n"
        if path == "/go":
            status, body = 302, b""
            extra = [(b"location", parse_qs(query)["to"][0].encode())]
        elif path == "/loop":
            status, body = 302, b""
            extra = [(b"location", b"/loop")]
        elif path == "/big":
            body = b"x" * 50_000
        elif path == "/slow":
            await anyio.sleep(5)
        if path == "/chunked":
            await send({"type": "http.response.start", "status": 200, "headers": []})
            for _ in range(10):
                await send({"type": "http.response.body", "body": b"y" * 10_000, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
            return
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-length", str(len(body)).encode()), *extra],
            }
        )
        await send({"type": "http.response.body", "body": body})


@contextmanager
def two_hosts() -> Iterator[tuple[Recorder, str, Recorder, str]]:
    zoom, other = Recorder(), Recorder()
    with serve_asgi(zoom) as zoom_base, serve_asgi(other) as other_base:
        yield zoom, zoom_base, other, other_base


def client(allowed: str, **limits: Any) -> ZoomClient:
    return ZoomClient(
        "http://127.0.0.1:9/v2",
        BearerAuth(TOKEN),
        download_hosts=AllowList((allowed,)),
        download_limits=DownloadLimits(**limits),
    )


async def test_the_token_goes_to_the_allowed_host_and_not_across_a_redirect() -> None:
    with two_hosts() as (zoom, zoom_base, other, other_base):
        async with client(zoom_base) as c:
            body = await c.download(f"{zoom_base}/go?to={other_base}/file")
    assert body.startswith(b"WEBVTT")
    assert zoom.seen == [("/go", f"to={other_base}/file", f"Bearer {TOKEN}")]
    assert other.seen == [("/file", "", "")]  # followed, but with no token anywhere


async def test_a_redirect_back_to_the_allowed_host_carries_the_token_again() -> None:
    with two_hosts() as (zoom, zoom_base, _other, _other_base):
        async with client(zoom_base) as c:
            await c.download(f"{zoom_base}/go?to={zoom_base}/file")
    assert [auth for _, _, auth in zoom.seen] == [f"Bearer {TOKEN}", f"Bearer {TOKEN}"]


async def test_an_off_list_url_is_refused_before_any_request() -> None:
    with two_hosts() as (zoom, zoom_base, other, other_base):
        async with client(zoom_base) as c:
            with pytest.raises(DownloadRefused, match="not one of Zoom's download hosts") as refused:
                await c.download(f"{other_base}/file?access_token=leak")
    assert other.seen == [] and zoom.seen == []
    assert "leak" not in str(refused.value)  # the query (signed URLs, tokens) is never echoed


@pytest.mark.parametrize("path", ["/big", "/chunked"])
async def test_a_file_over_the_cap_is_refused(path: str) -> None:
    with two_hosts() as (_zoom, zoom_base, _other, _other_base):
        async with client(zoom_base, max_bytes=20_000) as c:
            with pytest.raises(DownloadRefused, match="over the download cap of 20,000 bytes"):
                await c.download(f"{zoom_base}{path}")


async def test_a_slow_download_times_out_and_a_redirect_loop_stops() -> None:
    with two_hosts() as (_zoom, zoom_base, _other, _other_base):
        async with client(zoom_base, timeout=0.5) as c:
            with pytest.raises(DownloadRefused, match=r"did not finish within 0\.5s"):
                await c.download(f"{zoom_base}/slow")
            with pytest.raises(DownloadRefused, match="redirected more than 5 times"):
                await c.download(f"{zoom_base}/loop")


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://zoom.us/rec/download/abc", True),
        ("https://us02web.zoom.us/rec/download/abc", True),
        ("https://ssrweb.zoom.us/file", True),
        ("https://api.zoomgov.com/rec", True),
        ("http://zoom.us/rec/download/abc", False),  # never the token over plain HTTP
        ("https://zoom.us.evil.example/rec", False),
        ("https://evilzoom.us/rec", False),
        ("https://zoom.us@evil.example/rec", False),
        ("file:///etc/passwd", False),
    ],
)
def test_default_allow_list(url: str, allowed: bool) -> None:
    assert AllowList().allows(url) is allowed


def test_an_origin_entry_allows_exactly_that_origin() -> None:
    allow = AllowList(("http://127.0.0.1:8123",))
    assert allow.allows("http://127.0.0.1:8123/rec/download/x")
    assert not allow.allows("http://127.0.0.1:8124/rec/download/x")
    assert not allow.allows("https://127.0.0.1:8123/rec/download/x")
