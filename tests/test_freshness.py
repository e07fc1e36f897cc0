"""Which days the index knows completely: what a listing covers, and when webhooks can be relied on."""

from __future__ import annotations

from datetime import UTC, date, datetime

from zoom_mcp.tasks.freshness import MAX_SILENCE, Freshness, uncovered
from zoom_mcp.tasks.index import Listing

D = date.fromisoformat
JUNE_17 = datetime(2026, 6, 17, 15, tzinfo=UTC).timestamp()


def test_what_no_listing_covers_is_left() -> None:
    past = Listing("2026-03-01", "2026-03-31", JUNE_17)
    assert uncovered(D("2026-02-15"), D("2026-04-10"), [past]) == [
        (D("2026-02-15"), D("2026-02-28")),
        (D("2026-04-01"), D("2026-04-10")),
    ]
    assert uncovered(D("2026-03-05"), D("2026-03-20"), [past]) == []
    assert uncovered(D("2026-01-01"), D("2026-01-31"), []) == [(D("2026-01-01"), D("2026-01-31"))]


def test_a_listing_that_reached_its_own_day_covers_every_later_day() -> None:
    recent = Listing("2026-05-18", "2026-06-17", JUNE_17)
    assert uncovered(D("2026-05-20"), D("2026-09-30"), [recent]) == []  # what happens later arrives by webhook
    assert uncovered(D("2026-05-01"), D("2026-06-30"), [recent]) == [(D("2026-05-01"), D("2026-05-17"))]
    stopped_short = Listing("2026-05-18", "2026-06-10", JUNE_17)
    assert uncovered(D("2026-06-01"), D("2026-06-20"), [stopped_short]) == [(D("2026-06-11"), D("2026-06-20"))]


def test_webhooks_are_relied_on_from_the_first_delivery_until_a_gap_or_a_long_silence() -> None:
    fresh = Freshness(receiving=True)
    assert fresh.since(1000.0) is None  # nothing says Zoom is sending here yet
    fresh.delivered(1000.0)
    fresh.delivered(2000.0)
    assert fresh.since(2500.0) == 1000.0
    assert fresh.since(2000.0 + MAX_SILENCE + 1) is None  # Zoom re-validates every 72 hours: silence means stopped
    fresh.gap()  # a delivery refused: what was listed before may miss it
    assert fresh.since(2600.0) is None
    fresh.delivered(2700.0)
    assert fresh.since(2800.0) == 2700.0
