"""Zoom's date and time formats, and times relative to a moment (seeded records are placed so)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def iso(moment: datetime) -> str:
    """A moment as Zoom writes one: UTC, whole seconds, `Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    """A date-time Zoom wrote (`...Z` or with an offset) as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def parse_day(text: str | None, fallback: datetime) -> datetime:
    """A `from` / `to` query value (a day) as that day's UTC midnight; `fallback` when absent.

    Raises ValueError for text that is not a day; `Call.day` answers that with Zoom's 400 / 300.
    """
    if not text:
        return fallback
    return datetime.fromisoformat(text.replace("Z", "+00:00")[:10]).replace(tzinfo=UTC)


def midnight(moment: datetime) -> datetime:
    """The start of `moment`'s day."""
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def days_ago(now: datetime, days: float, hour: int | None = None) -> datetime:
    """`days` before `now` (negative: after), at `hour` o'clock sharp when one is given."""
    moment = now - timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0) if hour is not None else moment
