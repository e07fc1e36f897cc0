"""The approval pages in a real browser (Debian's Chromium and its driver, installed by .ci/run), with a
virtual authenticator (the DevTools WebAuthn domain) standing in for the person's passkey: a platform
authenticator with user verification, as a laptop's fingerprint reader or a phone would be.

The person enrols with `zoom-mcp approvals enroll` (the real command, on a terminal), reads the
preview, types the name where asked and approves with the passkey, or denies; a second authenticator
that was never enrolled approves nothing; a URL-elicitation client hands the page to the browser on
both protocol eras. `ZOOM_MCP_UPDATE_SCREENSHOT=1` refreshes docs/approval-page.png.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
import pytest
from mcp import Client
from mcp.server import Server

from tests.conftest import running
from tests.test_approvals import MEETING, first_call
from zoom_mcp.clock import FixedClock
from zoom_mcp.safety.passkeys import PasskeyStore
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.transport.approval_server import approval_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = [
    pytest.mark.anyio,
    # In CI (.ci/run installs them) a missing browser fails the tests instead of skipping them.
    pytest.mark.skipif(
        not (CHROMIUM and DRIVER) and not os.environ.get("CI"), reason="needs Chromium and chromedriver"
    ),
]
SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "approval-page.png"
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=900,900",
)
BASE_ENV = {k: v for k, v in os.environ.items() if not k.startswith("ZOOM_")}


class Browser:
    """Chromium driven by Selenium, with virtual authenticators the test adds and removes."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver
        self.added: list[str] = []
        driver.execute_cdp_cmd("WebAuthn.enable", {"enableUI": False})

    def add_authenticator(self, transport: str = "internal") -> str:
        """A platform authenticator (`internal`), or a security key (`usb`): Chrome allows one internal."""
        options = {
            "protocol": "ctap2",
            "transport": transport,
            "hasResidentKey": True,
            "hasUserVerification": True,
            "isUserVerified": True,
            "automaticPresenceSimulation": True,
        }
        added = self.driver.execute_cdp_cmd("WebAuthn.addVirtualAuthenticator", {"options": options})
        self.added.append(added["authenticatorId"])
        return str(added["authenticatorId"])

    def remove_authenticator(self, authenticator: str) -> None:
        self.driver.execute_cdp_cmd("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": authenticator})
        self.added.remove(authenticator)

    def credentials(self, authenticator: str) -> list[dict[str, Any]]:
        found = self.driver.execute_cdp_cmd("WebAuthn.getCredentials", {"authenticatorId": authenticator})
        return list(found["credentials"])

    def click_and_read(self, url: str, button: str, typed: str | None = None, shot: Path | None = None) -> str:
        """Open the page, type if asked, click; the outcome, or the problem the page shows."""
        from selenium.common.exceptions import StaleElementReferenceException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver.get(url)
        if typed is not None:
            self.driver.find_element(By.ID, "typed").send_keys(typed)
        if shot is not None:
            self.driver.save_screenshot(str(shot))
        self.driver.find_element(By.ID, button).click()

        def settled(driver: Any) -> str | None:
            for element_id in ("outcome", "problem"):
                found = driver.find_elements(By.ID, element_id)
                if found:
                    return str(found[0].text)
            status = driver.find_elements(By.ID, "status")
            text = status[0].text if status else ""
            return text if text.startswith("No passkey") else None

        # The page replaces its body with the server's answer: an element may go stale while it is read.
        wait = WebDriverWait(self.driver, 20, ignored_exceptions=(StaleElementReferenceException,))
        return str(wait.until(settled))


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'chromium'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(DRIVER or ""))
    driver.set_page_load_timeout(20)
    try:
        yield Browser(driver)
    finally:
        driver.quit()


def enrol_in_browser(browser: Browser, config: Path, *, expect: str = "Enrolled passkey") -> str:
    """`zoom-mcp approvals enroll` on a terminal: it prints a one-time page; the person opens it, creates
    the passkey; the command says what it did and exits."""
    primary, secondary = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "zoom_mcp", "approvals", "enroll", "--name", "laptop", "--timeout", "60"],
        stdin=secondary,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**BASE_ENV, "ZOOM_MCP_CONFIG_DIR": str(config)},
    )
    os.close(secondary)
    try:
        assert proc.stderr is not None
        url = ""
        for _ in range(10):
            line = proc.stderr.readline().strip()
            if line.startswith("http://localhost:") and "/enroll/" in line:
                url = line
                break
        assert url, "the command printed no enrolment page"
        seen = browser.click_and_read(url, "go")
        assert expect in seen, seen
        if expect != "Enrolled passkey":
            proc.terminate()
        _, rest = proc.communicate(timeout=30)
    finally:
        os.close(primary)
        if proc.poll() is None:
            proc.kill()
    return seen + rest


@asynccontextmanager
async def human_at(sandbox: Sandbox, clock: FixedClock, config: Path) -> AsyncIterator[Server]:
    """`zoom-mcp --sandbox --confirm human` on stdio, with the passkeys of this config directory."""
    async with running(sandbox, clock, {"ZOOM_MCP_CONFIG_DIR": str(config)}, confirm="human") as app:
        assert app.approvals is not None
        async with approval_server(app.approvals):
            yield app.server


@pytest.fixture
def enrolled(browser: Browser, tmp_path: Path) -> Path:
    """A config directory with the browser's (first) virtual authenticator enrolled."""
    config = tmp_path / "config"
    authenticator = browser.add_authenticator()
    out = enrol_in_browser(browser, config)
    assert "Enrolled passkey" in out and len(browser.credentials(authenticator)) == 1
    keys = PasskeyStore.in_dir(config).all()
    assert [(k.rp_id, k.name) for k in keys] == [("localhost", "laptop")]
    assert (config / "passkeys.json").stat().st_mode & 0o077 == 0  # owner-only, public keys only
    assert "private" not in (config / "passkeys.json").read_text().lower()
    return config


async def test_enrol_then_approve_with_the_passkey_and_the_call_runs_once(
    sandbox: Sandbox, clock: FixedClock, browser: Browser, enrolled: Path, tmp_path: Path
) -> None:
    shot = SCREENSHOT if os.environ.get("ZOOM_MCP_UPDATE_SCREENSHOT") else tmp_path / "page.png"
    async with human_at(sandbox, clock, enrolled) as server, Client(server) as client:
        _, person = await first_call(client)
        seen = await anyio.to_thread.run_sync(
            lambda: browser.click_and_read(person.url, "approve", typed="Weekly design review", shot=shot)
        )
        assert "Approved with your passkey" in seen
        ran = await client.call_tool("delete_meeting", MEETING)
        again = await client.call_tool("delete_meeting", MEETING)
    assert shot.stat().st_size > 10_000  # a real rendering of the page
    assert not ran.is_error and "answered HTTP 204" in ran.content[0].text
    assert again.structured_content["status"] == "approval_required"  # spent: a new call, a new approval
    assert [(r.method, r.operation) for r in sandbox.mutating_requests()] == [("DELETE", "delete_meeting")]
    assert PasskeyStore.in_dir(enrolled).all()[0].sign_count >= 1  # the use was counted


async def test_deny_in_the_browser_sends_nothing(
    sandbox: Sandbox, clock: FixedClock, browser: Browser, enrolled: Path
) -> None:
    async with human_at(sandbox, clock, enrolled) as server, Client(server) as client:
        _, person = await first_call(client)
        seen = await anyio.to_thread.run_sync(lambda: browser.click_and_read(person.url, "deny"))
        assert "Denied" in seen
        result = await client.call_tool("delete_meeting", MEETING)
    assert "denied it on the approval page" in result.content[0].text and sandbox.mutating_requests() == []


async def test_typing_the_wrong_name_approves_nothing(
    sandbox: Sandbox, clock: FixedClock, browser: Browser, enrolled: Path
) -> None:
    async with human_at(sandbox, clock, enrolled) as server, Client(server) as client:
        _, person = await first_call(client)
        seen = await anyio.to_thread.run_sync(
            lambda: browser.click_and_read(person.url, "approve", typed="Weekly design")
        )
        assert "type exactly: Weekly design review" in seen
        still = await client.call_tool("delete_meeting", MEETING)
    assert still.structured_content["status"] == "waiting_for_approval" and sandbox.mutating_requests() == []


async def test_a_second_authenticator_never_enrolled_approves_nothing(
    sandbox: Sandbox, clock: FixedClock, browser: Browser, enrolled: Path
) -> None:
    """The enrolled authenticator is gone; another one, with a passkey of its own for localhost, is there.
    The page asks only for enrolled passkeys, so the browser finds none; and an assertion the other
    authenticator makes (the page's script asked for any passkey) does not verify."""
    stranger = browser.add_authenticator("usb")  # a security key the person never enrolled
    async with human_at(sandbox, clock, enrolled) as server, Client(server) as client:
        _, person = await first_call(client)

        def with_the_stranger() -> tuple[str, str]:
            from selenium.webdriver.common.by import By
            from selenium.webdriver.support.ui import WebDriverWait

            browser.driver.get(person.url)
            browser.driver.find_element(By.ID, "typed").send_keys("Weekly design review")
            # Any passkey for localhost, not only enrolled ones: what a page under the agent's control would ask.
            forged = browser.driver.execute_async_script(
                """
                const done = arguments[arguments.length - 1];
                const options = JSON.parse(document.getElementById('webauthn').textContent).get;
                options.allowCredentials = [];
                assertion(options).then(a => post(document.querySelector('form'),
                  {decision: 'approve', assertion: a})).then(() => done('posted'), e => done('error ' + e.name));
                """
            )
            outcome = WebDriverWait(browser.driver, 20).until(lambda d: d.find_elements(By.ID, "problem"))
            return str(forged), str(outcome[0].text)

        # The stranger has its own passkey for localhost, made on an enrolment page it never finished.
        browser.driver.execute_cdp_cmd(
            "WebAuthn.addCredential", {"authenticatorId": stranger, "credential": _credential("localhost")}
        )
        for enrolled_one in [a for a in browser.added if a != stranger]:
            browser.remove_authenticator(enrolled_one)
        forged, problem = await anyio.to_thread.run_sync(with_the_stranger)
        assert forged == "posted" and "needs your passkey" in problem
        still = await client.call_tool("delete_meeting", MEETING)
    assert still.structured_content["status"] == "waiting_for_approval" and sandbox.mutating_requests() == []


@pytest.mark.parametrize("mode", ["legacy", "auto"])  # protocol 2025-11-25 and 2026-07-28
async def test_a_url_elicitation_client_opens_the_page_in_the_browser(
    sandbox: Sandbox, clock: FixedClock, browser: Browser, enrolled: Path, mode: str
) -> None:
    shown: list[str] = []

    async def open_url(context: Any, params: Any) -> types.ElicitResult:
        assert isinstance(params, types.ElicitRequestURLParams)
        shown.append(params.url)
        seen = await anyio.to_thread.run_sync(
            lambda: browser.click_and_read(params.url, "approve", typed="Weekly design review")
        )
        assert "Approved with your passkey" in seen
        return types.ElicitResult(action="accept")

    async with (
        human_at(sandbox, clock, enrolled) as server,
        Client(server, mode=mode, elicitation_callback=open_url) as client,
    ):
        result = await client.call_tool("delete_meeting", MEETING)
    assert len(shown) == 1 and shown[0].startswith("http://localhost:")
    assert not result.is_error and "answered HTTP 204" in result.content[0].text
    assert [r.operation for r in sandbox.mutating_requests()] == ["delete_meeting"]


def _credential(rp_id: str) -> dict[str, Any]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    der, pkcs8_format = serialization.Encoding.DER, serialization.PrivateFormat.PKCS8
    pkcs8 = key.private_bytes(der, pkcs8_format, serialization.NoEncryption())
    return {
        "credentialId": base64.b64encode(os.urandom(32)).decode(),
        "isResidentCredential": True,
        "rpId": rp_id,
        "privateKey": base64.b64encode(pkcs8).decode(),
        "userHandle": base64.b64encode(b"stranger").decode(),
        "signCount": 0,
    }
