"""`zoom-mcp --sandbox --transport http --auth oauth` (the real command) with a person in Debian's Chromium:
the SDK's OAuth client discovers the server, registers (a client ID metadata document over verified TLS, or
dynamic registration), opens the browser at /authorize; the person continues on our consent page, signs in
on the sandbox's Zoom page as themselves, and the browser lands on the client's loopback redirect with our
code. Then the person's tools and data, and under `--confirm human` an approval that takes both the passkey
(a virtual authenticator) and the browser session the sign-in set, an HttpOnly cookie no script can read."""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import anyio
import pytest
from mcp.client.auth import OAuthClientProvider
from mcp.shared.auth import AuthorizationCodeResult

from tests.http_sandbox import serve_asgi
from tests.http_server import zoom_mcp_http
from tests.oauth_harness import MemoryTokens, Served, connected, sdk_provider
from tests.test_approvals_browser import CHROMIUM, DRIVER, Browser, browser, enrol_in_browser
from tests.test_oauth_cimd import Documents
from tests.tls import make_ca, serve_https
from zoom_mcp.sandbox.fixtures.account import CUSTOMER_UUID, RECURRING_MEETING_ID, SCHEDULED_MEETING_ID
from zoom_mcp.sandbox.fixtures.people import OWNER_ID, SAM_ID

__all__ = ["browser"]  # the Chromium fixture, shared with the approval-page tests
pytestmark = [
    pytest.mark.anyio,
    pytest.mark.skipif(
        not (CHROMIUM and DRIVER) and not os.environ.get("CI"), reason="needs Chromium and chromedriver"
    ),
]
NOW = {"ZOOM_MCP_SANDBOX_NOW": "2026-06-17T15:04:05Z"}  # the sandbox's dates are pinned; nothing waits on them
SESSION_COOKIE = "__Host-zoom-mcp-session"


class Callback:
    """The MCP client's loopback redirect URI: it answers the browser and hands the code to the client."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.query: dict[str, str] = {}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["path"] != "/callback":  # the browser also asks for a favicon
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        self.query = {k: v[0] for k, v in parse_qs(scope.get("query_string", b"").decode()).items()}
        body = b"<!doctype html><title>signed in</title><p id=done>You can close this tab.</p>"
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
        await send({"type": "http.response.body", "body": body})
        self.arrived.set()


@contextmanager
def callback_server() -> Iterator[tuple[str, Callback]]:
    callback = Callback()
    with serve_asgi(callback) as base:
        yield f"{base}/callback", callback


def sign_in_in_chromium(chromium: Browser, url: str, user: str, choice: str = "zoom") -> None:
    """What the person does once the client opened the browser: our consent page, then Zoom's sign-in."""
    from selenium.webdriver.common.by import By  # late: selenium is a dev dependency, loaded by these tests only
    from selenium.webdriver.support.ui import WebDriverWait  # late: as above

    driver = chromium.driver
    wait = WebDriverWait(driver, 20)
    driver.get(url)
    wait.until(lambda d: d.find_elements(By.ID, choice))
    driver.find_element(By.ID, choice).click()
    if choice == "zoom":
        wait.until(lambda d: d.find_elements(By.ID, f"as-{user}"))
        driver.find_element(By.ID, f"as-{user}").click()
    wait.until(lambda d: d.find_elements(By.ID, "done"))


def chromium_provider(
    served: Served, chromium: Browser, user: str, redirect: str, callback: Callback, **kw: Any
) -> OAuthClientProvider:
    """The SDK's OAuth client whose browser is Chromium, and whose redirect URI is `callback`."""
    provider = sdk_provider(served, None, user, redirect_uri=redirect, storage=MemoryTokens(), **kw)

    async def open_browser(url: str) -> None:
        callback.arrived.clear()
        await anyio.to_thread.run_sync(lambda: sign_in_in_chromium(chromium, url, user))

    async def wait_for_callback() -> AuthorizationCodeResult:
        await anyio.to_thread.run_sync(lambda: callback.arrived.wait(30))
        query = callback.query
        return AuthorizationCodeResult(code=query["code"], state=query.get("state"), iss=query.get("iss"))

    provider.context.redirect_handler = open_browser
    provider.context.callback_handler = wait_for_callback
    return provider


@asynccontextmanager
async def command(*args: str, env: dict[str, str] | None = None) -> AsyncIterator[Served]:
    """The real `zoom-mcp --sandbox --auth oauth` on a loopback port."""
    flags = ("--sandbox", "--auth", "oauth", "--toolsets", "all", *args)
    with zoom_mcp_http(*flags, env={**NOW, **(env or {})}) as base:
        yield Served(app=None, base=base.replace("127.0.0.1", "localhost"))  # type: ignore[arg-type]


@pytest.mark.parametrize("registration", ["cimd", "dcr"])
async def test_sign_in_in_the_browser_then_tools_as_the_person(
    browser: Browser, tmp_path: Path, registration: str
) -> None:
    ca = make_ca(tmp_path / "ca")
    site = Documents()
    env = {"ZOOM_MCP_OAUTH_CA_BUNDLE": str(ca.ca_pem), "ZOOM_MCP_OAUTH_ALLOW_PRIVATE_FETCH": "1"}
    with callback_server() as (redirect, callback):
        site.redirect = redirect
        async with serve_https(site, ca) as port, command("--hide-unauthorized", env=env) as served:
            site.port = port
            metadata_url = site.url("/client.json") if registration == "cimd" else None
            provider = chromium_provider(served, browser, SAM_ID, redirect, callback, metadata_url=metadata_url)
            async with connected(served, provider) as client:
                tools = {t.name for t in (await client.list_tools()).tools}
                assert "list_user_recordings" in tools and "delete_meeting_recordings" not in tools
                found = await client.call_tool("list_user_recordings", {"userId": "me", "from": "2026-06-01"})
                meetings = (found.structured_content or {})["meetings"]
                assert CUSTOMER_UUID in {m["uuid"] for m in meetings} and {m["host_id"] for m in meetings} == {SAM_ID}
            info = provider.context.client_info
            assert info is not None
            assert (info.client_id == metadata_url) if metadata_url else not info.client_id.startswith("https://")
            assert callback.query["iss"] == served.base and "code" in callback.query
            if metadata_url:
                assert "/client.json" in site.hits
            # The sign-in left the browser a session on the server's origin: Secure, HttpOnly, SameSite.
            await anyio.to_thread.run_sync(lambda: browser.driver.get(f"{served.base}/healthz"))
            cookies = {c["name"]: c for c in browser.driver.get_cookies()}
    session = cookies[SESSION_COOKIE]
    assert session["httpOnly"] and session["secure"] and session["sameSite"] == "Lax" and session["path"] == "/"
    assert "__Host-zoom-mcp-signin" not in cookies  # the sign-in's binding is cleared once used


async def test_an_approval_takes_the_passkey_and_the_persons_browser_session(browser: Browser, tmp_path: Path) -> None:
    config = tmp_path / "config"
    browser.add_authenticator()
    assert "Enrolled passkey" in enrol_in_browser(browser, config)
    env = {"ZOOM_MCP_CONFIG_DIR": str(config)}
    with callback_server() as (redirect, callback):
        async with command("--confirm", "human", env=env) as served:
            provider = chromium_provider(served, browser, OWNER_ID, redirect, callback)
            async with connected(served, provider, mode="legacy") as client:
                meeting = {"meetingId": SCHEDULED_MEETING_ID}
                first = await client.call_tool("delete_meeting", meeting)
                url = (first.structured_content or {})["approval_url"]
                assert url.startswith(served.base + "/approvals/")
                # The page's own script cannot see the session cookie.
                await anyio.to_thread.run_sync(lambda: browser.driver.get(url))
                assert SESSION_COOKIE not in browser.driver.execute_script("return document.cookie")
                seen = await anyio.to_thread.run_sync(
                    lambda: browser.click_and_read(url, "approve", typed="Weekly design review")
                )
                assert "Approved with your passkey" in seen
                ran = await client.call_tool("delete_meeting", meeting)
                assert not ran.is_error and "204" in ran.content[0].text

                # The same browser and passkey without the session (cookies cleared): no form, nothing approved.
                other = {"meetingId": RECURRING_MEETING_ID}
                url = ((await client.call_tool("delete_meeting", other)).structured_content or {})["approval_url"]
                browser.driver.delete_all_cookies()
                await anyio.to_thread.run_sync(lambda: browser.driver.get(url))
                assert _has(browser, "session-needed") and not _has(browser, "approve")
                still = await client.call_tool("delete_meeting", other)
                assert (still.structured_content or {})["status"] == "waiting_for_approval"


def _has(chromium: Browser, element_id: str) -> bool:
    from selenium.webdriver.common.by import By  # late: selenium is a dev dependency, loaded by these tests only

    return bool(chromium.driver.find_elements(By.ID, element_id))
