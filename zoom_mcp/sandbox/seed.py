"""Seeded sample data: a small account worth asking questions about.

IDs are fixed so tests and examples can name them; times are relative to the sandbox clock
so "recent recordings" stay recent.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from zoom_mcp.sandbox.content import BUDGET_TRANSCRIPT, CHAT, RETRO_TRANSCRIPT
from zoom_mcp.sandbox.seed_more import seed_more
from zoom_mcp.sandbox.state import State, days_ago, iso

OWNER_ID = "KDcuGIm1QgePTO8WbOqwIQ"
OWNER_EMAIL = "alex.rivera@example.com"
SAM_ID = "z8yCxjabQ6qD2dVx5rqGhg"
SAM_EMAIL = "sam.okafor@example.com"
JAMIE_ID = "q4T2vLmNR0WcXyZ9AbCdEf"
JAMIE_EMAIL = "jamie.chen@example.com"

SCHEDULED_MEETING_ID = 85746065432
RECURRING_MEETING_ID = 81234567890
LIVE_MEETING_ID = 84444444444
LIVE_MESSAGE_IDS = ("dkdLR1hWUlZTVnVqNkw1bw==", "cUhRS2pGQzlRd0NKbk1oQw==")

BUDGET_UUID = "4444AAAiAAAAAiAiAiiAii=="
BUDGET_MEETING_ID = 87654321098
RETRO_UUID = "/ajXp112QmuoKj4854875=="
RETRO_MEETING_ID = 87654321099
CUSTOMER_UUID = "Rb4k//Yy8Ez8x+AZ5kzWg=="
CUSTOMER_MEETING_ID = 87654321100
STANDUP_UUIDS = ("stdupAAAAAAAAAAAAAAAAA==", "stdupBBBBBBBBBBBBBBBBB==")

ZOOM_ROOM_DEVICE_ID = "dev-zr-0001"
PHONE_DEVICE_ID = "dev-zpa-0002"
PHONE_MAC = "00:04:f2:aa:bb:cc"
PHONE_VENDOR = "Poly"
ZDM_GROUP_ID = "zdm-group-hq"
H323_DEVICE_ID = "h323dev1"
ARCHIVE_FILE_ID = "arch-file-0001"


def seed(state: State, now: datetime, *, extra_meetings: int = 0) -> None:
    """The seeded account; `extra_meetings` adds that many more transcribed meetings (see `history`)."""
    from zoom_mcp.sandbox.history import seed_history  # late: history builds on this module's helpers

    state.users = {
        OWNER_ID: _user(OWNER_ID, OWNER_EMAIL, "Alex", "Rivera"),
        SAM_ID: _user(SAM_ID, SAM_EMAIL, "Sam", "Okafor"),
        JAMIE_ID: _user(JAMIE_ID, JAMIE_EMAIL, "Jamie", "Chen"),
    }
    _meetings(state, now)
    _recordings(state, now)
    _devices(state, now)
    state.live[LIVE_MEETING_ID] = {
        "topic": "All-hands (live now)",
        "messages": {
            mid: {"message_id": mid, "message_content": text}
            for mid, text in zip(LIVE_MESSAGE_IDS, ("Welcome all!", "Q&A starts at 10:30"), strict=True)
        },
        "events": [],
    }
    state.summaries = [
        {
            "meeting_uuid": r["uuid"],
            "meeting_id": r["id"],
            "meeting_topic": r["topic"],
            "meeting_host_id": r["host_id"],
            "meeting_host_email": OWNER_EMAIL,
            "meeting_start_time": r["start_time"],
            "meeting_end_time": iso(_at(r["start_time"]) + timedelta(minutes=r["duration"])),
            "summary_start_time": r["start_time"],
            "summary_end_time": iso(_at(r["start_time"]) + timedelta(minutes=r["duration"])),
            "summary_created_time": r["start_time"],
            "summary_last_modified_time": r["start_time"],
        }
        for r in state.recordings.values()
        if r["uuid"] in (BUDGET_UUID, RETRO_UUID)
    ]
    seed_more(state, now, BUDGET_UUID)
    seed_history(state, now, extra_meetings=extra_meetings)


def _user(user_id: str, email: str, first: str, last: str) -> dict[str, Any]:
    return {"id": user_id, "email": email, "first_name": first, "last_name": last, "type": 2}


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def new_meeting(
    state: State, meeting_id: int, host: dict[str, Any], fields: dict[str, Any], now: datetime | None = None
) -> dict[str, Any]:
    """A scheduled meeting as Zoom stores it; `fields` are the caller's (create body or seed)."""
    created = now or datetime.now().astimezone()
    meeting: dict[str, Any] = {
        "id": meeting_id,
        "uuid": state.new_uuid(),
        "host_id": host["id"],
        "host_email": host["email"],
        "topic": "Zoom meeting",
        "type": 2,
        "status": "waiting",
        "duration": 60,
        "timezone": "UTC",
        "agenda": "",
        "created_at": iso(created),
        "join_url": f"https://zoom.us/j/{meeting_id}",
        "start_url": f"https://zoom.us/s/{meeting_id}?zak=sandbox",
        "password": "sandbox1",
        "settings": {
            "host_video": False,
            "participant_video": False,
            "join_before_host": False,
            "mute_upon_entry": True,
            "approval_type": 2,
            "waiting_room": True,
        },
        "pre_schedule": False,
    }
    meeting.update({k: v for k, v in fields.items() if k != "settings"})
    meeting["settings"].update(fields.get("settings") or {})
    if meeting["type"] == 8:
        meeting.setdefault("start_time", iso(created))
        meeting["occurrences"] = occurrences(meeting)
    state.meetings[meeting_id] = meeting
    return meeting


def occurrences(meeting: dict[str, Any]) -> list[dict[str, Any]]:
    """The occurrences of a recurring meeting with fixed time (type 8), from its recurrence rule.

    Zoom lists at most 50 (the sandbox stops at 20); occurrence IDs are the start time in ms, as Zoom's are.
    """
    start = _at(str(meeting["start_time"]))
    rule = meeting.get("recurrence") or {}
    interval = max(1, int(rule.get("repeat_interval") or 1))
    step = {1: timedelta(days=interval), 3: timedelta(days=30 * interval)}.get(
        int(rule.get("type") or 2), timedelta(weeks=interval)
    )
    until = _at(rule["end_date_time"]) if rule.get("end_date_time") else None
    times = int(rule.get("end_times") or (60 if until else 7))
    out = []
    for i in range(min(times, 20)):
        moment = start + step * i
        if until is not None and moment > until:
            break
        out.append(
            {
                "occurrence_id": str(int(moment.timestamp() * 1000)),
                "start_time": iso(moment),
                "duration": meeting["duration"],
                "status": "available",
            }
        )
    return out


def _meetings(state: State, now: datetime) -> None:
    owner = state.users[OWNER_ID]
    new_meeting(
        state,
        SCHEDULED_MEETING_ID,
        owner,
        {
            "topic": "Weekly design review",
            "type": 2,
            "start_time": iso(days_ago(now, -2, hour=15)),
            "duration": 45,
            "agenda": "Review the new onboarding flow",
        },
        now,
    )
    new_meeting(
        state,
        RECURRING_MEETING_ID,
        owner,
        {
            "topic": "Team stand-up",
            "type": 8,
            "start_time": iso(days_ago(now, -1, hour=9)),
            "duration": 15,
            "recurrence": {"type": 2, "repeat_interval": 1, "weekly_days": "2", "end_times": 4},
        },
        now,
    )
    new_meeting(
        state,
        LIVE_MEETING_ID,
        owner,
        {"topic": "All-hands (live now)", "type": 2, "status": "started", "start_time": iso(days_ago(now, 0.01))},
        now,
    )


def _file(
    state: State,
    meeting: dict[str, Any],
    file_type: str,
    ext: str,
    size: int,
    content: bytes | None = None,
    recording_type: str = "shared_screen_with_speaker_view",
) -> dict[str, Any]:
    # Numbered across every instance of the meeting ID, so file IDs stay unique account-wide.
    siblings = sum(len(r["recording_files"]) for r in state.recordings.values() if r["id"] == meeting["id"])
    file_id = f"{meeting['id']}-{file_type.lower()}-{siblings + 1}"
    if content is not None:
        state.file_content[file_id] = content
        size = len(content)
    entry = {
        "id": file_id,
        "meeting_id": meeting["uuid"],
        "recording_start": meeting["start_time"],
        "recording_end": meeting["start_time"],
        "file_type": file_type,
        "file_extension": ext,
        "file_size": size,
        "play_url": f"https://zoom.us/rec/play/{file_id}",
        "download_url": f"{state.public_url}/rec/download/{file_id}",
        "status": "completed",
        "recording_type": recording_type,
    }
    meeting["recording_files"].append(entry)
    return entry


def new_recording(
    state: State, uuid: str, meeting_id: int, topic: str, start: datetime, host: str, duration: int
) -> dict[str, Any]:
    meeting = {
        "uuid": uuid,
        "id": meeting_id,
        "account_id": "sandbox-account",
        "host_id": host,
        "topic": topic,
        "type": "2",
        "start_time": iso(start),
        "timezone": "UTC",
        "duration": duration,
        "total_size": 0,
        "recording_count": 0,
        "share_url": f"https://zoom.us/rec/share/{meeting_id}",
        "recording_files": [],
        "trashed_files": [],
        "password": "",
        "recording_play_passcode": "",
    }
    state.recordings[uuid] = meeting
    return meeting


def refresh_totals(meeting: dict[str, Any]) -> None:
    meeting["recording_count"] = len(meeting["recording_files"])
    meeting["total_size"] = sum(f["file_size"] for f in meeting["recording_files"])


def recording_settings(topic: str) -> dict[str, Any]:
    """A recording's share settings as seeded. No `password` until one is set: Zoom's schema wants
    8-10 characters when there is one."""
    return {
        "share_recording": "publicly",
        "recording_authentication": False,
        "authentication_option": "",
        "authentication_domains": "",
        "viewer_download": True,
        "on_demand": False,
        "approval_type": 2,
        "send_email_to_host": True,
        "show_social_share_buttons": True,
        "topic": topic,
        "auto_delete": False,
        "auto_delete_date": "",
    }


def _recordings(state: State, now: datetime) -> None:
    budget = new_recording(
        state, BUDGET_UUID, BUDGET_MEETING_ID, "Q3 budget planning", days_ago(now, 0.05), OWNER_ID, 32
    )
    _file(state, budget, "MP4", "MP4", 48_211_433)
    _file(state, budget, "M4A", "M4A", 7_804_112, recording_type="audio_only")
    _file(state, budget, "TRANSCRIPT", "VTT", 0, BUDGET_TRANSCRIPT.encode(), recording_type="audio_transcript")
    _file(state, budget, "CHAT", "TXT", 0, CHAT.encode(), recording_type="chat_file")
    retro = new_recording(state, RETRO_UUID, RETRO_MEETING_ID, "Launch retro", days_ago(now, 3, hour=14), OWNER_ID, 41)
    _file(state, retro, "MP4", "MP4", 61_002_017)
    _file(state, retro, "TRANSCRIPT", "VTT", 0, RETRO_TRANSCRIPT.encode(), recording_type="audio_transcript")
    customer = new_recording(
        state, CUSTOMER_UUID, CUSTOMER_MEETING_ID, "Customer call: Acme", days_ago(now, 6, hour=16), SAM_ID, 28
    )
    _file(state, customer, "MP4", "MP4", 35_990_120)
    for days, uuid in zip((8, 1), STANDUP_UUIDS, strict=True):
        standup = new_recording(
            state, uuid, RECURRING_MEETING_ID, "Team stand-up", days_ago(now, days, hour=9), OWNER_ID, 14
        )
        _file(state, standup, "M4A", "M4A", 3_100_000 + days, recording_type="audio_only")
    for meeting in state.recordings.values():
        refresh_totals(meeting)
        state.recording_settings[meeting["uuid"]] = recording_settings(meeting["topic"])
    state.recording_registrants[BUDGET_MEETING_ID] = [
        {
            "id": "reg-0001",
            "email": "pat.lee@example.com",
            "first_name": "Pat",
            "last_name": "Lee",
            "status": "pending",
            "create_time": iso(days_ago(now, 0.02)),
            "share_url": "https://zoom.us/rec/share/r1",
        },
    ]
    state.archives[BUDGET_UUID] = {
        "uuid": BUDGET_UUID,
        "id": BUDGET_MEETING_ID,
        "host_id": OWNER_ID,
        "topic": budget["topic"],
        "type": 2,
        "start_time": budget["start_time"],
        "timezone": "UTC",
        "duration": 32,
        "duration_in_second": 32 * 60 + 17,
        "total_size": 1024,
        "recording_count": 1,
        "meeting_type": "internal",
        "account_name": "Sandbox Inc.",
        "complete_time": budget["start_time"],
        "is_breakout_room": False,
        "status": "completed",
        "archive_files": [
            {
                "id": ARCHIVE_FILE_ID,
                "file_type": "CHAT",
                "file_extension": "JSON",
                "file_size": 1024,
                "download_url": f"{state.public_url}/rec/download/{ARCHIVE_FILE_ID}",
                "recording_type": "chat_file",
                "status": "completed",
                "encryption_fingerprint": "sha256:9f2c4e1d0b7a65f3e8c1d2b4a6f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2",
                "auto_delete": True,
                "individual": False,
                "participant_join_time": budget["start_time"],
                "participant_leave_time": iso(_at(budget["start_time"]) + timedelta(minutes=32)),
                "number_of_messages": 2,
                "storage_location": "US",
            }
        ],
    }


def _devices(state: State, now: datetime) -> None:
    state.devices = {
        ZOOM_ROOM_DEVICE_ID: {
            "device_id": ZOOM_ROOM_DEVICE_ID,
            "device_name": "Boardroom PC",
            "device_type": 0,
            "platform_os": "win",
            "mac_address": "00:1a:2b:3c:4d:5e",
            "serial_number": "ZR-001",
            "vendor": "Dell",
            "model": "OptiPlex",
            "device_status": 1,
            "room_id": "room-board",
            "room_name": "Boardroom",
            "enrolled_in_zdm": True,
            "connected_to_zdm": True,
            "app_version": "6.2.0",
            "last_online": iso(now),
            "tag": "hq",
        },
        PHONE_DEVICE_ID: {
            "device_id": PHONE_DEVICE_ID,
            "device_name": "Reception phone",
            "device_type": 5,
            "platform_os": "android",
            "mac_address": PHONE_MAC,
            "serial_number": "PL-002",
            "vendor": PHONE_VENDOR,
            "model": "CCX 400",
            "device_status": 1,
            "room_id": "",
            "room_name": "",
            "enrolled_in_zdm": True,
            "connected_to_zdm": True,
            "app_version": "8.1.0",
            "last_online": iso(now),
            "tag": "",
            "extension_number": "1001",
        },
    }
    state.zdm_groups = [{"zdm_group_id": ZDM_GROUP_ID, "name": "Headquarters", "description": "HQ devices"}]
    state.h323 = {
        H323_DEVICE_ID: {
            "id": H323_DEVICE_ID,
            "name": "Lobby codec",
            "protocol": "H.323",
            "ip": "192.0.2.10",
            "encryption": "auto",
        }
    }
