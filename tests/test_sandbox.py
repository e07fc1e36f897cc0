"""The sandbox behaves like Zoom where it matters: errors, pagination, trash, auth, HTTP serving."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from typing import Any

import httpx2
import mcp_types as types
import pytest
from mcp import Client
from mcp.server import Server

import zoom_mcp.sandbox.seed as s
from zoom_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("tool", "arguments", "expected"),
    [
        ("get_meeting", {"meetingId": 1234567890}, "HTTP 404, Zoom code 3001: Meeting does not exist: 1234567890."),
        ("get_meeting_recordings", {"meetingId": "99999999999"}, "Zoom code 3301: There is no recording"),
        ("list_user_recordings", {"userId": "nobody@example.com"}, "Zoom code 1001: User nobody@example.com does not"),
    ],
)
async def test_zoom_errors_carry_the_reference_codes(mcp: Client, tool: str, arguments: dict, expected: str) -> None:
    result = await mcp.call_tool(tool, arguments)
    assert result.is_error and expected in result.content[0].text


async def test_next_page_token_walks_every_record_once(mcp: Client, sandbox: Sandbox) -> None:
    now = time.gmtime()
    arguments = dict(userId="me")
    arguments.update(
        {"from": time.strftime("%Y-%m-%d", time.gmtime(time.time() - 20 * 86400)), "to": time.strftime("%Y-%m-%d", now)}
    )
    seen, token = [], ""
    for _ in range(10):
        page = (
            await mcp.call_tool("list_user_recordings", {**arguments, "page_size": 2, "next_page_token": token})
        ).structured_content
        seen += [m["uuid"] for m in page["meetings"]]
        token = page["next_page_token"]
        if not token:
            break
    assert sorted(seen) == sorted(u for u, m in sandbox.state.recordings.items() if m["host_id"] == s.OWNER_ID)
    assert len(seen) == len(set(seen)) == 4


async def accept(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
    return types.ElicitResult(action="accept", content={"confirm": True})


async def test_trash_then_recover_restores_and_permanent_delete_removes(server: Server, sandbox: Sandbox) -> None:
    async with Client(server, elicitation_callback=accept) as mcp:
        await mcp.call_tool("delete_meeting_recordings", {"meetingId": s.RETRO_UUID, "action": "trash"})
        gone = await mcp.call_tool("get_meeting_recordings", {"meetingId": s.RETRO_UUID})
        assert gone.is_error and "3301" in gone.content[0].text
        day = sandbox.state.recordings[s.RETRO_UUID]["start_time"][:10]
        trash = await mcp.call_tool("list_user_recordings", {"userId": "me", "trash": True, "from": day, "to": day})
        assert [m["uuid"] for m in trash.structured_content["meetings"]] == [s.RETRO_UUID]
        await mcp.call_tool("recover_meeting_recordings", {"meetingUUID": s.RETRO_UUID, "action": "recover"})
        back = await mcp.call_tool("get_meeting_recordings", {"meetingId": s.RETRO_UUID})
        assert [f["file_type"] for f in back.structured_content["recording_files"]] == ["MP4", "TRANSCRIPT"]
        await mcp.call_tool("delete_meeting_recordings", {"meetingId": s.RETRO_UUID, "action": "delete"})
        trash = await mcp.call_tool("list_user_recordings", {"userId": "me", "trash": True, "from": day, "to": day})
        assert trash.structured_content["meetings"] == []
        again = await mcp.call_tool("recover_meeting_recordings", {"meetingUUID": s.RETRO_UUID, "action": "recover"})
        assert again.is_error and "3301" in again.content[0].text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_zoom_mcp_sandbox_command_serves_http_on_loopback() -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZOOM_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "zoom_mcp", "sandbox", "--port", str(port)],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                token = httpx2.post(
                    f"{base}/oauth/token",
                    auth=("sandbox-client", "sandbox-secret"),
                    data={"grant_type": "account_credentials", "account_id": "sandbox-account"},
                )
                break
            except httpx2.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert token.status_code == 200
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        meeting = httpx2.get(f"{base}/v2/meetings/{s.SCHEDULED_MEETING_ID}", headers=headers)
        assert meeting.status_code == 200 and meeting.json()["id"] == s.SCHEDULED_MEETING_ID
        assert httpx2.get(f"{base}/v2/meetings/{s.SCHEDULED_MEETING_ID}").status_code == 401
        bad = httpx2.post(
            f"{base}/oauth/token",
            auth=("sandbox-client", "nope"),
            data={"grant_type": "account_credentials", "account_id": "sandbox-account"},
        )
        assert bad.status_code == 401 and "nope" not in bad.text
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert f"ZOOM_API_BASE_URL=http://127.0.0.1:{port}/v2" in err
