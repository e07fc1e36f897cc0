"""Confirmation tokens in isolation: bound, single-use, expiring, unforgeable."""

from __future__ import annotations

import pytest

from zoom_mcp.clock import FixedClock
from zoom_mcp.errors import TokenRefused
from zoom_mcp.safety import ConfirmationTokens

pytestmark = pytest.mark.anyio

ARGS = {"meetingId": "85746065", "action": "delete"}


async def test_token_runs_exactly_its_call_once() -> None:
    tokens = ConfirmationTokens(b"k" * 32)
    token = tokens.issue("delete_meeting_recordings", ARGS)
    claims = await tokens.redeem(token, "delete_meeting_recordings", dict(reversed(ARGS.items())))
    assert claims.tool == "delete_meeting_recordings"
    with pytest.raises(TokenRefused, match="already used"):
        await tokens.redeem(token, "delete_meeting_recordings", ARGS)


@pytest.mark.parametrize(
    ("tool", "args", "reason"),
    [
        ("delete_meeting_recordings", {**ARGS, "action": "trash"}, "arguments differ"),
        ("delete_meeting_recordings", {"meetingId": "85746065"}, "arguments differ"),
        ("delete_meeting", ARGS, "issued for delete_meeting_recordings"),
    ],
)
async def test_token_is_refused_for_any_other_call(tool: str, args: dict, reason: str) -> None:
    tokens = ConfirmationTokens(b"k" * 32)
    token = tokens.issue("delete_meeting_recordings", ARGS)
    with pytest.raises(TokenRefused, match=reason):
        await tokens.redeem(token, tool, args)


async def test_token_expires() -> None:
    clock = FixedClock("2026-06-17T15:04:05Z")
    tokens = ConfirmationTokens(b"k" * 32, ttl=300, clock=clock)
    token = tokens.issue("delete_meeting", {"meetingId": 1})
    clock.advance(301)
    with pytest.raises(TokenRefused, match="expired"):
        await tokens.redeem(token, "delete_meeting", {"meetingId": 1})


@pytest.mark.parametrize("forgery", ["", "abc", "a.b", "x" * 40 + "." + "y" * 43])
async def test_forged_tokens_are_refused(forgery: str) -> None:
    tokens = ConfirmationTokens(b"k" * 32)
    with pytest.raises(TokenRefused, match="not valid"):
        await tokens.redeem(forgery, "delete_meeting", {"meetingId": 1})


async def test_token_from_another_secret_or_tampered_payload_is_refused() -> None:
    ours, theirs = ConfirmationTokens(b"k" * 32), ConfirmationTokens(b"z" * 32)
    with pytest.raises(TokenRefused, match="not valid"):
        await ours.redeem(theirs.issue("delete_meeting", {"meetingId": 1}), "delete_meeting", {"meetingId": 1})
    body, signature = ours.issue("delete_meeting", {"meetingId": 1}).split(".")
    tampered = body[:-2] + ("AA" if body[-2:] != "AA" else "BB") + "." + signature
    with pytest.raises(TokenRefused, match="not valid"):
        await ours.redeem(tampered, "delete_meeting", {"meetingId": 1})


async def test_token_is_bound_to_its_client() -> None:
    tokens = ConfirmationTokens(b"k" * 32)
    token = tokens.issue("delete_meeting", {"meetingId": 1}, subject="alice")
    with pytest.raises(TokenRefused, match="another client"):
        await tokens.redeem(token, "delete_meeting", {"meetingId": 1}, subject="mallory")
    await tokens.redeem(token, "delete_meeting", {"meetingId": 1}, subject="alice")
