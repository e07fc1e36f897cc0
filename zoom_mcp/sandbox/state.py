"""The sandbox's world: plain dicts keyed the way Zoom keys them, plus shared helpers."""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from zoom_mcp.sandbox.app import Call, ZoomHTTPError
from zoom_mcp.sandbox.identity import ORIGIN as PUBLIC_URL  # in-process, downloads point at this origin


@dataclass
class State:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    meetings: dict[int, dict[str, Any]] = field(default_factory=dict)
    # Past meeting instances with cloud recordings, by UUID.
    recordings: dict[str, dict[str, Any]] = field(default_factory=dict)
    recording_settings: dict[str, dict[str, Any]] = field(default_factory=dict)  # by UUID
    recording_registrants: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    recording_questions: dict[str, dict[str, Any]] = field(default_factory=dict)
    archives: dict[str, dict[str, Any]] = field(default_factory=dict)  # by UUID
    devices: dict[str, dict[str, Any]] = field(default_factory=dict)
    zdm_groups: list[dict[str, Any]] = field(default_factory=list)
    h323: dict[str, dict[str, Any]] = field(default_factory=dict)
    live: dict[int, dict[str, Any]] = field(default_factory=dict)  # meetings in progress
    summaries: list[dict[str, Any]] = field(default_factory=list)
    registrants: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    polls: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    templates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    file_content: dict[str, bytes] = field(default_factory=dict)
    # Past meeting instances without cloud recordings (ended through the API), by UUID.
    past_meetings: dict[str, dict[str, Any]] = field(default_factory=dict)
    participants: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by past-instance UUID
    past_qa: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by past-instance UUID
    past_polls: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by past-instance UUID
    deleted_meetings: dict[int, dict[str, Any]] = field(default_factory=dict)  # recoverable (update_meeting_status)
    registration_questions: dict[int, dict[str, Any]] = field(default_factory=dict)  # meetings and webinars
    surveys: dict[int, dict[str, Any]] = field(default_factory=dict)  # meetings and webinars
    webinars: dict[int, dict[str, Any]] = field(default_factory=dict)
    panelists: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    webinar_registrants: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    webinar_polls: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    webinar_templates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by user ID
    tracking_fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    tsp: dict[str, Any] = field(default_factory=dict)  # the account's TSP settings
    user_tsp: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by user ID
    sip_phones: dict[str, dict[str, Any]] = field(default_factory=dict)
    rng: random.Random = field(default_factory=lambda: random.Random(20261128))
    public_url: str = PUBLIC_URL  # where download_urls point: the sandbox's own address

    def new_id(self, digits: int = 11) -> int:
        return self.rng.randrange(10 ** (digits - 1), 10**digits)

    def new_key(self, length: int = 22) -> str:
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        return "".join(self.rng.choice(alphabet) for _ in range(length))

    def new_uuid(self) -> str:
        return base64.b64encode(self.rng.randbytes(16)).decode()

    def user(self, call: Call, user_id: str) -> dict[str, Any]:
        if user_id == "me" and self.users:
            return next(iter(self.users.values()))  # the account owner is seeded first
        for user in self.users.values():
            if user_id in (user["id"], user["email"]):
                return user
        error = call.error(404, 1001, "User {userId} does not exist or does not belong to this account.", email=user_id)
        error.message = error.message.replace("$userId", user_id)  # some reference pages spell it so
        raise error

    def meeting(self, call: Call, key: str = "meetingId", value: Any = None) -> dict[str, Any]:
        """A scheduled meeting by its numeric ID (path `key`, or `value` when it comes from a body)."""
        raw = call.params[key] if value is None else value
        meeting_id = as_int(raw)
        if meeting_id is None or meeting_id not in self.meetings:
            raise missing_meeting(call, raw)
        return self.meetings[meeting_id]

    def recording(self, call: Call, key: str = "meetingId") -> dict[str, Any]:
        """A past instance by UUID, or the latest instance of a meeting ID - as Zoom resolves it."""
        value = call.params[key]
        found = self.recordings.get(value)
        if found is None and as_int(value) is not None:
            instances = [r for r in self.recordings.values() if r["id"] == as_int(value)]
            found = max(instances, key=lambda r: r["start_time"]) if instances else None
        if found is None or not found["recording_files"]:
            raise call.error(404, 3301, "There is no recording for this meeting.")
        return found

    def past(self, call: Call, key: str = "meetingId") -> dict[str, Any]:
        """A past instance (recorded or not) by UUID, or the latest instance of a meeting ID."""
        value = call.params[key]
        every = {**self.recordings, **self.past_meetings}
        found = every.get(value)
        if found is None and as_int(value) is not None:
            instances = [m for m in every.values() if m["id"] == as_int(value)]
            found = max(instances, key=lambda m: m["start_time"]) if instances else None
        if found is None:
            raise missing_meeting(call, value)
        return found

    def download(self, file_id: str) -> bytes | None:
        """The bytes behind a live (not trashed, not deleted) recording or archive file's download_url."""
        for meeting in self.recordings.values():
            for f in meeting["recording_files"]:
                if f["id"] == file_id:
                    return self.file_content.get(file_id) or placeholder_bytes(f["file_type"], file_id)
        for archive in self.archives.values():
            for f in archive["archive_files"]:
                if f["id"] == file_id:
                    return self.file_content.get(file_id) or placeholder_bytes(f["file_type"], file_id)
        return None


def placeholder_bytes(file_type: str, file_id: str) -> bytes:
    """Stand-in media: the right magic bytes for the type, not a playable file."""
    if file_type == "MP4":
        return b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + file_id.encode()
    if file_type == "M4A":
        return b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A mp42" + file_id.encode()
    return f"sandbox file {file_id}\n".encode()


def missing_meeting(call: Call, value: Any) -> ZoomHTTPError:
    """This operation's documented "no such meeting" error: Zoom's reference words (and codes) it per operation."""
    candidates = [
        e
        for e in call.op.errors
        if "eeting" in e.message and ("not exist" in e.message or "not found" in e.message) and e.status in (400, 404)
    ]
    candidates.sort(key=lambda e: (e.status != 404, e.code != 3001))
    chosen = candidates[0] if candidates else None
    if chosen is None:
        return call.error(404, 3001, "Meeting does not exist: {meetingId}.", meetingId=value)
    return call.error(chosen.status, chosen.code, chosen.message, meetingId=value, meetingUUID=value)


def as_int(value: Any) -> int | None:
    text = str(value)
    return int(text) if text.isdigit() else None


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_day(text: str | None, fallback: datetime, call: Call, name: str) -> datetime:
    if not text:
        return fallback
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")[:10]).replace(tzinfo=UTC)
    except ValueError as exc:
        raise ZoomHTTPError(400, 300, f"Invalid parameter: {name}.") from exc


TOKEN_PREFIX = "sbx:"


def paginate(call: Call, items: list[Any], key: str, **extra: Any) -> dict[str, Any]:
    """Zoom's next_page_token pagination: an opaque token, '' on the last page.

    page_size defaults to 30 and is capped at 300, as Zoom does; the legacy page_number is honoured
    when no token is given. Fields the operation's schema does not name are dropped later (`conform`).
    """
    try:
        size = min(300, max(1, int(call.query.get("page_size") or 30)))
    except ValueError as exc:
        raise ZoomHTTPError(400, 300, "Invalid parameter: page_size.") from exc
    token = call.query.get("next_page_token") or ""
    try:
        if token:
            start = int(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode().removeprefix(TOKEN_PREFIX))
        else:
            start = (max(1, int(call.query.get("page_number") or 1)) - 1) * size
        if start < 0:
            raise ValueError(token)
    except ValueError as exc:
        raise ZoomHTTPError(400, 300, "Invalid parameter: next_page_token.") from exc
    page = items[start : start + size]
    following = start + size
    next_token = (
        base64.urlsafe_b64encode(f"{TOKEN_PREFIX}{following}".encode()).decode().rstrip("=")
        if following < len(items)
        else ""
    )
    return {
        "page_size": size,
        "total_records": len(items),
        "page_count": -(-len(items) // size),
        "page_number": start // size + 1,
        "next_page_token": next_token,
        key: page,
        **extra,
    }


def now_utc(call: Call) -> datetime:
    return datetime.fromtimestamp(call.sandbox.clock(), UTC)


def days_ago(now: datetime, days: float, hour: int | None = None) -> datetime:
    moment = now - timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0) if hour is not None else moment
