"""The sign-in endpoints' ceiling per client address, on a pinned clock (the flood itself, through the real
server, is in tests/test_oauth_attacks.py)."""

from __future__ import annotations

import pytest

from zoom_mcp.clock import FixedClock
from zoom_mcp.transport.oauth import throttle as throttle_module
from zoom_mcp.transport.oauth.throttle import Throttle


def request(address: str) -> dict[str, object]:
    return {"type": "http", "method": "POST", "client": (address, 50000)}


def test_the_window_moves_on_the_clock_and_a_refused_request_is_not_counted() -> None:
    clock = FixedClock("2026-03-01T00:00:00Z")
    limit = Throttle(3, 60.0, clock)
    for _ in range(3):
        assert limit.wait("/register", request("203.0.113.1")) == 0
        clock.advance(10)
    assert limit.wait("/register", request("203.0.113.1")) == 30  # the first leaves the window at 60 s
    assert limit.wait("/token", request("203.0.113.1")) == 0  # each endpoint counts on its own
    assert limit.wait("/register", request("203.0.113.2")) == 0  # and each address
    clock.advance(25)
    assert limit.wait("/register", request("203.0.113.1")) == 5  # refusals did not push the window on
    clock.advance(5)
    assert limit.wait("/register", request("203.0.113.1")) == 0
    assert limit.wait("/register", request("203.0.113.1")) == 10


def test_a_flood_from_many_addresses_does_not_grow_the_memory_without_end(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(throttle_module, "TRACKED", 100)
    limit = Throttle(1, 60.0, FixedClock("2026-03-01T00:00:00Z"))
    for n in range(1000):
        limit.wait("/register", request(f"2001:db8::{n:x}"))
    assert len(limit._seen) <= 100
    assert limit.wait("/register", request("2001:db8::3e7")) > 0  # the latest are still counted
