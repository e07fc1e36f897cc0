"""`zoom-mcp login` / `logout` end to end against the sandbox's OAuth endpoints; the test plays the browser."""

from __future__ import annotations

import html
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import anyio
import httpx2
import pytest

from tests.http_sandbox import serve_sandbox
from zoom_mcp.api import load_catalog
from zoom_mcp.api.serialize import build_request
from zoom_mcp.client import ZoomClient
from zoom_mcp.client.auth import UserOAuth
from zoom_mcp.sandbox import SANDBOX_CREDENTIALS, Sandbox
from zoom_mcp.sandbox.fixtures.people import OWNER_ID
from zoom_mcp.sandbox.transport import SandboxTransport

ROOT = Path(__file__).resolve().parents[1]


def env_for(base: str, config: Path, **extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ZOOM_")}
    return {
        **clean,
        "ZOOM_OAUTH_AUTHORIZE_URL": f"{base}/oauth/authorize",
        "ZOOM_OAUTH_TOKEN_URL": f"{base}/oauth/token",
        "ZOOM_API_BASE_URL": f"{base}/v2",
        "ZOOM_MCP_CONFIG_DIR": str(config),
        "ZOOM_MCP_NO_KEYRING": "1",  # the owner-only file, whatever keyring this machine has
        **extra,
    }


def start_login(env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "zoom_mcp", "login", "--no-browser", "--port", "0", "--timeout", "60"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert proc.stderr is not None
    for _ in range(5):
        line = proc.stderr.readline()
        if line.startswith("http"):
            return proc, line.strip()
    proc.kill()
    raise AssertionError("login printed no sign-in URL")


def sign_in_as(url: str, user: str = OWNER_ID) -> httpx2.Response:
    """The browser on Zoom's sign-in page: it follows the link of the user the person is (the sandbox's page
    has one per user), and Zoom redirects to the loopback listener."""
    page = httpx2.get(url)
    assert page.status_code == 200 and f"id='as-{user}'" in page.text
    link = re.search(rf"id='as-{user}' href='([^']+)'", page.text)
    assert link is not None
    return httpx2.get(httpx2.URL(url).join(html.unescape(link.group(1))))


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zoom_mcp", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )


def test_login_then_work_as_that_user_then_logout(tmp_path: Path) -> None:
    creds = {"ZOOM_CLIENT_ID": SANDBOX_CREDENTIALS.client_id, "ZOOM_CLIENT_SECRET": SANDBOX_CREDENTIALS.client_secret}
    with serve_sandbox(Sandbox()) as base:
        env = env_for(base, tmp_path, **creds)
        proc, url = start_login(env)
        assert url.startswith(f"{base}/oauth/authorize?") and "code_challenge_method=S256" in url and "state=" in url
        consent = sign_in_as(url)  # the browser: Zoom's consent page redirects to the loopback listener
        assert consent.status_code == 302
        callback = consent.headers["location"]
        assert callback.startswith("http://127.0.0.1:") and "/callback?code=" in callback
        page = httpx2.get(callback)
        assert page.status_code == 200 and "Signed in" in page.text
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert "owner-only file; no system keyring" in err
        stored = tmp_path / "login.json"
        assert stat.S_IMODE(stored.stat().st_mode) == 0o600
        first = json.loads(stored.read_text())["refresh_token"]
        assert first and first not in out + err and SANDBOX_CREDENTIALS.client_secret not in out + err

        as_user = env_for(base, tmp_path)  # no client credentials in the environment: all from the sign-in
        meetings = run("call", "list_user_meetings", '{"userId": "me"}', env=as_user)
        assert meetings.returncode == 0, meetings.stdout + meetings.stderr
        assert json.loads(meetings.stdout)["meetings"]
        rotated = json.loads(stored.read_text())["refresh_token"]
        assert rotated != first  # Zoom rotates refresh tokens; the new one was kept
        doctor = run("doctor", env=as_user)
        assert doctor.returncode == 0 and "your own Zoom sign-in" in doctor.stdout and "Token: OK" in doctor.stdout

        logout = run("logout", env=as_user)
        assert logout.returncode == 0 and "Signed out" in logout.stderr and not stored.exists()
        after = run("call", "list_user_meetings", '{"userId": "me"}', env=as_user)
        assert after.returncode == 2 and "zoom-mcp login" in after.stderr


def test_a_callback_with_the_wrong_state_stores_nothing(tmp_path: Path) -> None:
    creds = {"ZOOM_CLIENT_ID": SANDBOX_CREDENTIALS.client_id, "ZOOM_CLIENT_SECRET": SANDBOX_CREDENTIALS.client_secret}
    with serve_sandbox(Sandbox()) as base:
        proc, url = start_login(env_for(base, tmp_path, **creds))
        callback = sign_in_as(url).headers["location"]
        forged = callback.split("?")[0] + "?code=stolen&state=not-the-one"
        assert httpx2.get(forged).status_code == 400
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1 and "did not carry this login's state" in err
    assert not (tmp_path / "login.json").exists()


def test_login_without_app_credentials_says_what_to_set(tmp_path: Path) -> None:
    proc = run("login", "--no-browser", env=env_for("http://127.0.0.1:9", tmp_path))
    assert proc.returncode == 2 and "ZOOM_CLIENT_ID" in proc.stderr and "/callback" in proc.stderr


def test_the_sandbox_checks_pkce_and_single_use_codes() -> None:
    async def main() -> None:
        sb = Sandbox()
        async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=sb.app), base_url="http://sb") as http:
            query = {
                "response_type": "code",
                "client_id": SANDBOX_CREDENTIALS.client_id,
                "redirect_uri": "http://127.0.0.1:1234/callback",
                "state": "s",
                "code_challenge": "wrong-challenge",
                "code_challenge_method": "S256",
                "sandbox_user": OWNER_ID,
            }
            code = httpx2.URL((await http.get("/oauth/authorize", params=query)).headers["location"]).params["code"]
            form = {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": query["redirect_uri"],
                "code_verifier": "x" * 50,
            }
            auth = (SANDBOX_CREDENTIALS.client_id, SANDBOX_CREDENTIALS.client_secret)
            bad = await http.post("/oauth/token", data=form, auth=auth)
            assert bad.status_code == 400 and bad.json()["reason"] == "Invalid code_verifier"
            again = await http.post("/oauth/token", data=form, auth=auth)
            assert again.json()["reason"] == "Invalid authorization code"  # used up by the failed attempt
            assert (
                await http.get("/oauth/authorize", params={**query, "redirect_uri": "https://evil.example/cb"})
            ).status_code == 400

    anyio.run(main)


@pytest.mark.anyio
async def test_refreshes_are_single_flight_and_rotated_tokens_are_kept() -> None:
    sb = Sandbox()
    sb.app.user_oauth.refresh_tokens.add("rt-1")
    kept: list[str] = []
    auth = UserOAuth(
        SANDBOX_CREDENTIALS.client_id,
        SANDBOX_CREDENTIALS.client_secret,
        "rt-1",
        "http://sandbox.zoom-mcp.local/oauth/token",
        kept.append,
    )
    op = load_catalog().get("get_meeting")
    assert op is not None
    client = ZoomClient("http://sandbox.zoom-mcp.local/v2", auth, transport=SandboxTransport(sb))
    async with client, anyio.create_task_group() as group:
        for _ in range(20):
            group.start_soon(client.send, build_request(op, {"meetingId": 85746065432}))
    assert auth.token_requests == 1 and sb.token_requests == 1
    assert (
        len(kept) == 1
        and kept[0] in sb.app.user_oauth.refresh_tokens
        and "rt-1" not in sb.app.user_oauth.refresh_tokens
    )
