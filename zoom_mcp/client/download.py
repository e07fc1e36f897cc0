"""Recording downloads that cannot leak the account's token.

A download URL comes from Zoom's answer, so it is data, not trust: the token is attached only when
the URL's origin is on the allow-list (Zoom's own hosts by default), redirects are followed by hand
so every hop is checked again, and a hop off the list (Zoom's storage host with a signed URL) gets
no token at all. Bodies are streamed under a byte cap and an overall deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import anyio
import httpx2

from zoom_mcp.errors import DownloadRefused

DEFAULT_DOWNLOAD_HOSTS: tuple[str, ...] = ("zoom.us", "zoomgov.com")
MAX_REDIRECTS = 5


@dataclass(frozen=True)
class AllowList:
    """Where the token may go. `zoom.us` means https on zoom.us and its subdomains; an entry with a
    scheme (`http://127.0.0.1:8123`) means exactly that origin, which is how the sandbox is allowed."""

    entries: tuple[str, ...] = DEFAULT_DOWNLOAD_HOSTS

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        for entry in self.entries:
            entry = entry.strip().lower().rstrip("/")
            if "://" in entry:
                if origin == entry:
                    return True
            elif parts.scheme == "https" and (host == entry or host.endswith("." + entry)):
                return True
        return False

    def describe(self) -> str:
        return ", ".join(self.entries)


@dataclass(frozen=True)
class DownloadLimits:
    max_bytes: int = 20 * 1024 * 1024  # transcripts and chat files are small; media is never fetched
    timeout: float = 60.0


async def download(
    http: httpx2.AsyncClient,
    auth: httpx2.Auth,
    url: str,
    allow: AllowList,
    limits: DownloadLimits = DownloadLimits(),
) -> bytes:
    """The body at `url`, following redirects; the token goes only to allowed origins."""
    if not allow.allows(url):
        raise DownloadRefused(
            f"Refused to download {_shown(url)}: its host is not one of Zoom's download hosts ({allow.describe()}); "
            "nothing was sent. Add the host to ZOOM_MCP_DOWNLOAD_HOSTS if it is really Zoom's."
        )
    try:
        with anyio.fail_after(limits.timeout):
            for _ in range(MAX_REDIRECTS + 1):
                trusted = allow.allows(url)
                # auth=None: no token at all for a hop off the list (httpx2 then sends no Authorization).
                request = http.build_request("GET", url, headers={"Accept": "*/*"})
                response = await http.send(request, auth=auth if trusted else None, stream=True)
                try:
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        url = urljoin(url, location)
                        if urlsplit(url).scheme not in ("http", "https"):
                            raise DownloadRefused(f"Refused a redirect to {_shown(url)}.")
                        continue
                    if response.status_code >= 400:
                        raise DownloadRefused(f"The download of {_shown(url)} failed: HTTP {response.status_code}.")
                    return await _read_capped(response, limits.max_bytes, url)
                finally:
                    await response.aclose()
            raise DownloadRefused(f"The download of {_shown(url)} redirected more than {MAX_REDIRECTS} times.")
    except TimeoutError as exc:
        raise DownloadRefused(f"The download did not finish within {limits.timeout:g}s.") from exc
    except httpx2.HTTPError as exc:
        raise DownloadRefused(f"The download failed ({type(exc).__name__}).") from exc


async def _read_capped(response: httpx2.Response, cap: int, url: str) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise _too_big(int(declared), cap)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > cap:
            raise _too_big(size, cap, at_least=True)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(size: int, cap: int, at_least: bool = False) -> DownloadRefused:
    more = "more than " if at_least else ""
    return DownloadRefused(
        f"Refused: the file is {more}{size:,} bytes, over the download cap of {cap:,} bytes (ZOOM_MCP_MAX_DOWNLOAD_MB)."
    )


def _shown(url: str) -> str:
    """The URL without its query: signed URLs and `access_token` parameters are secrets."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"
