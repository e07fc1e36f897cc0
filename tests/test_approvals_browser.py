"""The approval page in a real browser (Debian's Chromium and its driver, installed by .ci/run).

A person reads the preview, types the name where asked and clicks Approve or Deny; a URL-elicitation
client hands the page to that browser. `ZOOM_MCP_UPDATE_SCREENSHOT=1` refreshes docs/approval-page.png.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
import pytest
from mcp import Client

import zoom_mcp.sandbox.fixtures as s
from tests.test_approvals import MEETING, first_call, human
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.zoom import ZoomClient

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


@pytest.fixture
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=900,760"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(DRIVER or ""))
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


def approve_in_browser(driver: Any, url: str, decision: str = "approve", screenshot: Path | None = None) -> str:
    """What the person does: read the preview, type the name if asked, click. Returns the outcome text."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    preview = driver.find_element(By.ID, "call").text + "\n" + driver.find_element(By.ID, "consequence").text
    assert "DELETE /meetings/" in preview
    targets = driver.find_elements(By.ID, "target")
    if targets and decision == "approve":
        driver.find_element(By.ID, "typed").send_keys(targets[0].text)
    if screenshot is not None:
        driver.save_screenshot(str(screenshot))
    driver.find_element(By.ID, decision).click()
    outcome = WebDriverWait(driver, 10).until(ec.presence_of_element_located((By.ID, "outcome")))
    return f"{preview}\n{outcome.text}"


async def test_a_person_approves_in_the_browser_and_the_call_runs_once(
    zoom: ZoomClient, sandbox: Sandbox, browser: Any, tmp_path: Path
) -> None:
    shot = SCREENSHOT if os.environ.get("ZOOM_MCP_UPDATE_SCREENSHOT") else tmp_path / "page.png"
    async with human(zoom) as server, Client(server) as client:
        _, person = await first_call(client)
        seen = await anyio.to_thread.run_sync(approve_in_browser, browser, person.url, "approve", shot)
        assert "Weekly design review" in seen and "Approved" in seen
        ran = await client.call_tool("delete_meeting", MEETING)
    assert shot.stat().st_size > 10_000  # a real rendering of the page
    assert not ran.is_error
    assert [(r.method, r.operation) for r in sandbox.mutating_requests()] == [("DELETE", "delete_meeting")]


async def test_deny_in_the_browser_sends_nothing(zoom: ZoomClient, sandbox: Sandbox, browser: Any) -> None:
    async with human(zoom) as server, Client(server) as client:
        _, person = await first_call(client)
        seen = await anyio.to_thread.run_sync(approve_in_browser, browser, person.url, "deny")
        assert "Denied" in seen
        result = await client.call_tool("delete_meeting", MEETING)
    assert "denied it on the approval page" in result.content[0].text and sandbox.mutating_requests() == []


async def test_typing_the_wrong_name_in_the_browser_approves_nothing(
    zoom: ZoomClient, sandbox: Sandbox, browser: Any
) -> None:
    from selenium.webdriver.common.by import By

    async with human(zoom) as server, Client(server) as client:
        _, person = await first_call(client)

        def mistype() -> str:
            browser.get(person.url)
            browser.find_element(By.ID, "typed").send_keys("Weekly design")
            browser.find_element(By.ID, "approve").click()
            return browser.find_element(By.ID, "problem").text

        assert "type exactly: Weekly design review" in await anyio.to_thread.run_sync(mistype)
        still = await client.call_tool("delete_meeting", MEETING)
    assert still.structured_content["status"] == "waiting_for_approval" and sandbox.mutating_requests() == []


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_a_url_elicitation_client_opens_the_page_in_the_browser(
    zoom: ZoomClient, sandbox: Sandbox, browser: Any, mode: str
) -> None:
    async def open_url(context: Any, params: Any) -> types.ElicitResult:
        assert isinstance(params, types.ElicitRequestURLParams)
        await anyio.to_thread.run_sync(approve_in_browser, browser, params.url)
        return types.ElicitResult(action="accept")

    arguments = {"meetingId": s.SCHEDULED_MEETING_ID}
    async with human(zoom) as server, Client(server, mode=mode, elicitation_callback=open_url) as client:
        result = await client.call_tool("delete_meeting", arguments)
    assert not result.is_error and "answered HTTP 204" in result.content[0].text
    assert [r.operation for r in sandbox.mutating_requests()] == ["delete_meeting"]
