"""Zoom's date and time formats, and times relative to a moment (seeded records are placed so)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from zoom_mcp.sandbox.engine.calls import ZoomHTTPError


def iso(moment: datetime) -> str:
    """A moment as Zoom writes one: UTC, whole seconds, `Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    """A date-time Zoom wrote (`...Z` or with an offset) as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def parse_day(text: str | None, fallback: datetime, name: str) -> datetime:
    """A `from` / `to` query value (a day) as that day's UTC midnight; `fallback` when absent; else 400 / 300."""
    if not text:
        return fallback
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")[:10]).replace(tzinfo=UTC)
    except ValueError as exc:
        raise ZoomHTTPError(400, 300, f"Invalid parameter: {name}.") from exc


def midnight(moment: datetime) -> datetime:
    """The start of `moment`'s day."""
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def days_ago(now: datetime, days: float, hour: int | None = None) -> datetime:
    """`days` before `now` (negative: after), at `hour` o'clock sharp when one is given."""
    moment = now - timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0) if hour is not None else moment
