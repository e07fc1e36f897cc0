"""The sandbox sends Zoom's webhooks: signed as Zoom signs them, shaped as Zoom documents them, after the
request that caused them; a download_token opens that recording's files only; fault mode misdelivers."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import httpx2
import pytest

from zoom_mcp.clock import FixedClock
from zoom_mcp.sandbox import STATIC_TOKEN, Sandbox
from zoom_mcp.sandbox.fixtures import account as a

pytestmark = pytest.mark.anyio

SECRET = "the-apps-secret-token"


class Receiver:
    """An ASGI endpoint that keeps what it was sent and answers Zoom's validation right."""

    def __init__(self) -> None:
        self.got: list[tuple[dict[str, str], bytes]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        self.got.append((headers, body))
        event = json.loads(body)
        answer: dict[str, Any] = {}
        if event["event"] == "endpoint.url_validation":
            plain = event["payload"]["plainToken"]
            answer = {
                "plainToken": plain,
                "encryptedToken": hmac.new(SECRET.encode(), plain.encode(), "sha256").hexdigest(),
            }
        raw = json.dumps(answer).encode()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": raw})

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.got]


def configured(sandbox: Sandbox, **kwargs: Any) -> Receiver:
    receiver = Receiver()
    sandbox.send_webhooks_to(
        "https://hooks.example.com/zoom/webhook", SECRET, transport=httpx2.ASGITransport(app=receiver), **kwargs
    )
    return receiver


def zoom_client(sandbox: Sandbox) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=sandbox.app),
        base_url="http://sandbox.zoom-mcp.local",
        headers={"Authorization": f"Bearer {STATIC_TOKEN}"},
    )


async def test_every_delivery_is_signed_as_zoom_signs_it(sandbox: Sandbox, clock: FixedClock) -> None:
    receiver = configured(sandbox)
    sandbox.finish_meeting("Weekly sync", said=[("Sam Okafor", "Ship it on Friday.")])
    made = await sandbox.webhooks.flush() if sandbox.webhooks else []
    assert [d.kind for d in made] == ["event", "event"] and len(receiver.got) == 3  # the validation came first
    for headers, body in receiver.got:
        stamp = headers["x-zm-request-timestamp"]
        assert stamp == str(int(clock.time())) and headers["content-type"].startswith("application/json")
        expected = hmac.new(SECRET.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
        assert headers["x-zm-signature"] == f"v0={expected}"
        assert body == json.dumps(json.loads(body), separators=(",", ":"), ensure_ascii=False).encode()  # compact
    assert [e["event"] for e in receiver.events()] == [
        "endpoint.url_validation",
        "recording.completed",
        "recording.transcript_completed",
    ]


async def test_a_finished_meeting_sends_zooms_payloads_with_a_download_token(
    sandbox: Sandbox, clock: FixedClock
) -> None:
    receiver = configured(sandbox)
    instance = sandbox.finish_meeting("Weekly sync", said=[("Sam Okafor", "Ship it on Friday.")], summary=True)
    assert sandbox.webhooks is not None
    await sandbox.webhooks.flush()
    completed, transcribed, summarized = receiver.events()[1:]
    obj = completed["payload"]["object"]
    assert completed["payload"]["account_id"] == obj["account_id"] == sandbox.credentials.account_id
    assert (obj["uuid"], obj["id"], obj["topic"], obj["host_email"]) == (
        instance["uuid"], instance["id"], "Weekly sync", "alex.rivera@example.com",
    )  # fmt: skip
    assert {f["file_type"] for f in obj["recording_files"]} == {"MP4", "M4A"}
    assert [f["file_type"] for f in transcribed["payload"]["object"]["recording_files"]] == ["TRANSCRIPT"]
    assert (
        completed["event_ts"] == int(clock.time() * 1000)
        and completed["download_token"] != transcribed["download_token"]
    )
    assert summarized["event"] == "meeting.summary_completed"
    assert summarized["payload"]["object"]["meeting_uuid"] == instance["uuid"]
    transcript = transcribed["payload"]["object"]["recording_files"][0]
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=sandbox.app)) as http:
        opened = await http.get(
            transcript["download_url"], headers={"Authorization": f"Bearer {transcribed['download_token']}"}
        )
        assert opened.status_code == 200 and b"Sam Okafor: Ship it on Friday." in opened.content
        other = next(iter(sandbox.state.recordings.values()))["recording_files"][0]["download_url"]
        refused = await http.get(other, headers={"Authorization": f"Bearer {transcribed['download_token']}"})
        assert refused.status_code == 401  # a download token opens its own recording's files only
        clock.advance(24 * 3600)
        expired = await http.get(
            transcript["download_url"], headers={"Authorization": f"Bearer {transcribed['download_token']}"}
        )
        assert expired.status_code == 401
    assert [r.credential for r in sandbox.requests if r.raw_path.startswith("/rec/")] == ["download_token", None, None]


async def test_trash_delete_and_recover_through_the_api_send_their_events(sandbox: Sandbox) -> None:
    receiver = configured(sandbox)
    async with zoom_client(sandbox) as zoom:
        assert (await zoom.delete(f"/v2/meetings/{a.RETRO_MEETING_ID}/recordings")).status_code == 204
        trashed = receiver.events()[-1]
        assert trashed["event"] == "recording.trashed" and trashed["payload"]["operator_id"]
        assert "download_token" not in trashed
        assert trashed["payload"]["object"]["uuid"] == a.RETRO_UUID
        recover = await zoom.put(f"/v2/meetings/{a.RETRO_MEETING_ID}/recordings/status", json={"action": "recover"})
        assert recover.status_code == 200
        recovered = receiver.events()[-1]
        assert recovered["event"] == "recording.recovered" and recovered["download_token"]
        deleting = await zoom.delete(f"/v2/meetings/{a.RETRO_MEETING_ID}/recordings", params={"action": "delete"})
        assert deleting.status_code == 204
        assert receiver.events()[-1]["event"] == "recording.deleted"


async def test_nothing_is_sent_before_the_endpoint_answers_its_validation(sandbox: Sandbox) -> None:
    class Wrong(Receiver):
        async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
            await receive()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"{}"})

    wrong = Wrong()
    sandbox.send_webhooks_to("https://hooks.example.com/x", SECRET, transport=httpx2.ASGITransport(app=wrong))
    sandbox.finish_meeting("Weekly sync")
    assert sandbox.webhooks is not None
    assert await sandbox.webhooks.flush() == [] and sandbox.webhooks.outbox  # kept until the endpoint validates


async def test_fault_mode_sends_a_bad_signature_a_replay_and_a_duplicate(sandbox: Sandbox, clock: FixedClock) -> None:
    receiver = configured(sandbox, faults=("bad_signature", "replay", "duplicate"))
    sandbox.finish_meeting("Weekly sync", transcript=False)
    assert sandbox.webhooks is not None
    made = await sandbox.webhooks.flush()
    assert [d.kind for d in made] == ["bad_signature", "event", "replay", "duplicate"]
    (bad, _), (good, body), (replay, again), (duplicate, same) = receiver.got[1:]
    assert body == again == same and replay == good
    assert len({bad["x-zm-signature"], good["x-zm-signature"], duplicate["x-zm-signature"]}) == 3
    assert int(duplicate["x-zm-request-timestamp"]) < int(good["x-zm-request-timestamp"]) == int(clock.time())
    with pytest.raises(ValueError, match="unknown webhook fault"):
        sandbox.send_webhooks_to("https://x", SECRET, faults=("nonsense",))


async def test_ending_a_live_meeting_recorded_to_the_cloud_records_it(sandbox: Sandbox) -> None:
    receiver = configured(sandbox)
    async with zoom_client(sandbox) as zoom:
        meeting = f"/v2/meetings/{a.LIVE_MEETING_ID}"
        assert (await zoom.patch(meeting, json={"settings": {"auto_recording": "cloud"}})).status_code == 204
        assert (await zoom.put(f"{meeting}/status", json={"action": "end"})).status_code == 204
        names = [e["event"] for e in receiver.events()[1:]]
        assert names == ["recording.completed", "recording.transcript_completed", "meeting.summary_completed"]
        uuid = receiver.events()[1]["payload"]["object"]["uuid"]
        recorded = await zoom.get(f"/v2/meetings/{a.LIVE_MEETING_ID}/recordings")
        assert recorded.json()["uuid"] == uuid
        assert {f["file_type"] for f in recorded.json()["recording_files"]} >= {"TRANSCRIPT", "M4A", "MP4"}
