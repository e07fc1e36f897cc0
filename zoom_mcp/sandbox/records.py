"""Record builders: each kind of thing the sandbox keeps, as Zoom stores and describes it.

Builders return plain dicts in Zoom's field names and do not store them: the seed and the create
handlers decide where a record goes (`add_recording_file` alone adds its file to the instance).
Those that draw IDs take the `State` for its seeded random source, so IDs stay reproducible.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from zoom_mcp.sandbox.dates import iso, parse_time

if TYPE_CHECKING:
    from zoom_mcp.sandbox.state import State

Record = dict[str, Any]
Person = tuple[str, str, str, bool]  # name, e-mail, user ID ("" for guests), internal to the account


def user(user_id: str, email: str, first: str, last: str) -> Record:
    """A licensed user of the account."""
    return {"id": user_id, "email": email, "first_name": first, "last_name": last, "type": 2}


def meeting(state: State, meeting_id: int, host: Record, fields: Record, created: datetime) -> Record:
    """A scheduled meeting as Zoom stores it; `fields` are the caller's (a create body or the seed's)."""
    out: Record = {
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
    out.update({k: v for k, v in fields.items() if k != "settings"})
    out["settings"].update(fields.get("settings") or {})
    if out["type"] == 8:
        out.setdefault("start_time", iso(created))
        out["occurrences"] = occurrences(out)
    return out


def occurrences(meeting: Record) -> list[Record]:
    """The occurrences of a recurring meeting or webinar with fixed time, from its recurrence rule.

    Zoom lists at most 50 (the sandbox stops at 20); occurrence IDs are the start time in ms, as Zoom's are.
    """
    start = parse_time(str(meeting["start_time"]))
    rule = meeting.get("recurrence") or {}
    interval = max(1, int(rule.get("repeat_interval") or 1))
    step = {1: timedelta(days=interval), 3: timedelta(days=30 * interval)}.get(
        int(rule.get("type") or 2), timedelta(weeks=interval)
    )
    until = parse_time(rule["end_date_time"]) if rule.get("end_date_time") else None
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


def ended_instance(meeting: Record, now: datetime) -> Record:
    """The past instance a live meeting leaves when it is ended `now` (not recorded)."""
    started = parse_time(meeting.get("start_time") or iso(now))
    return {
        "uuid": meeting["uuid"],
        "id": meeting["id"],
        "host_id": meeting["host_id"],
        "topic": meeting["topic"],
        "type": meeting["type"],
        "start_time": iso(min(started, now)),
        "timezone": meeting.get("timezone", "UTC"),
        "duration": max(1, int((now - min(started, now)).total_seconds() // 60)),
    }


def recording(uuid: str, meeting_id: int, topic: str, start: datetime, host_id: str, duration: int) -> Record:
    """A recorded past instance, without files yet (see `add_recording_file`)."""
    return {
        "uuid": uuid,
        "id": meeting_id,
        "account_id": "sandbox-account",
        "host_id": host_id,
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


def add_recording_file(
    state: State,
    instance: Record,
    file_type: str,
    ext: str,
    size: int,
    content: bytes | None = None,
    recording_type: str = "shared_screen_with_speaker_view",
) -> Record:
    """A file of a recorded instance, appended to it; `content` (if any) is what its download serves.

    File IDs are numbered across every instance of the meeting ID (the instance must already be in
    `state.recordings`), so they stay unique account-wide.
    """
    siblings = sum(len(r["recording_files"]) for r in state.recordings.values() if r["id"] == instance["id"])
    file_id = f"{instance['id']}-{file_type.lower()}-{siblings + 1}"
    if content is not None:
        state.file_content[file_id] = content
        size = len(content)
    entry = {
        "id": file_id,
        "meeting_id": instance["uuid"],
        "recording_start": instance["start_time"],
        "recording_end": instance["start_time"],
        "file_type": file_type,
        "file_extension": ext,
        "file_size": size,
        "play_url": f"https://zoom.us/rec/play/{file_id}",
        "download_url": f"{state.public_url}/rec/download/{file_id}",
        "status": "completed",
        "recording_type": recording_type,
    }
    instance["recording_files"].append(entry)
    return entry


def refresh_totals(instance: Record) -> None:
    """Recount a recorded instance's files and bytes after files came or went."""
    instance["recording_count"] = len(instance["recording_files"])
    instance["total_size"] = sum(f["file_size"] for f in instance["recording_files"])


def recording_settings(topic: str) -> Record:
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


def placeholder_bytes(file_type: str, file_id: str) -> bytes:
    """Stand-in media: the right magic bytes for the type, not a playable file."""
    if file_type == "MP4":
        return b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + file_id.encode()
    if file_type == "M4A":
        return b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A mp42" + file_id.encode()
    return f"sandbox file {file_id}\n".encode()


def participant(i: int, person: Person, joined: datetime, left: datetime) -> Record:
    """One past-meeting participant, the `i`-th to join."""
    name, email, user_id, internal = person
    return {
        "id": user_id,
        "user_id": str(16778240 + 1024 * i),
        "name": name,
        "user_email": email,
        "join_time": iso(joined),
        "leave_time": iso(left),
        "duration": int((left - joined).total_seconds()),
        "failover": False,
        "status": "in_meeting",
        "internal_user": internal,
        "registrant_id": "",
    }


def participants_for(instance: Record, count: int, people: tuple[Person, ...]) -> list[Record]:
    """`count` attendees of a past instance from `people`: the host first, on time; others join a little later."""
    start, minutes = parse_time(instance["start_time"]), int(instance["duration"])
    host = next((p for p in people if p[2] == instance["host_id"]), people[0])
    chosen = [host, *[p for p in people if p is not host][: count - 1]]
    out = []
    for i, person in enumerate(chosen):
        joined = start + timedelta(minutes=2 * i)
        left = start + timedelta(minutes=minutes - (1 if i == len(chosen) - 1 and i else 0))
        out.append(participant(i, person, joined, left))
    return out


def summary(instance: Record, host_email: str, end: str, created: str) -> Record:
    """Zoom's AI summary of a past instance, before its words (title, overview, details, next steps) are set."""
    return {
        "meeting_uuid": instance["uuid"],
        "meeting_id": instance["id"],
        "meeting_topic": instance["topic"],
        "meeting_host_id": instance["host_id"],
        "meeting_host_email": host_email,
        "meeting_start_time": instance["start_time"],
        "meeting_end_time": end,
        "summary_start_time": instance["start_time"],
        "summary_end_time": end,
        "summary_created_time": created,
        "summary_last_modified_time": created,
    }


def meeting_registrant(state: State, meeting: Record, data: Record, wanted: str = "") -> Record:
    """A meeting registrant as stored: the meeting's ID in `id`, its own in `registrant_id`, approved.

    `wanted` (comma-separated occurrence IDs) names the occurrences registered for; none means all.
    """
    registrant_id = state.new_key()
    chosen = [o for o in meeting.get("occurrences") or [] if not wanted or o["occurrence_id"] in wanted.split(",")]
    return {
        **data,
        "id": meeting["id"],
        "registrant_id": registrant_id,
        "topic": meeting["topic"],
        "start_time": meeting.get("start_time", ""),
        "join_url": f"https://zoom.us/w/{meeting['id']}?tk={registrant_id}",
        "participant_pin_code": state.rng.randrange(100000, 999999),
        "occurrences": chosen,
        "status": "approved",
    }


def webinar_registrant(state: State, webinar: Record, person: Record, approved: bool, now: datetime) -> Record:
    """A webinar registrant as stored (its own ID in `id`), approved or pending."""
    registrant_id = state.new_key()
    return {
        **person,
        "id": registrant_id,
        "status": "approved" if approved else "pending",
        "create_time": iso(now),
        "join_url": f"https://zoom.us/w/{webinar['id']}?tk={registrant_id}",
    }


def recording_registrant(state: State, person: Record, approved: bool, now: datetime) -> Record:
    """An on-demand recording registrant, approved or pending."""
    return {
        **person,
        "id": state.new_key(),
        "status": "approved" if approved else "pending",
        "create_time": iso(now),
        "share_url": f"https://zoom.us/rec/share/{state.new_key(10)}",
    }


def panelist(state: State, webinar: Record, person: Record) -> Record:
    """A webinar panelist with their own join link."""
    panelist_id = state.new_key()
    return {**person, "id": panelist_id, "join_url": f"https://zoom.us/w/{webinar['id']}?tk={panelist_id}"}


def poll(state: State, data: Record) -> Record:
    """A meeting or webinar poll, not started yet unless `data` says otherwise."""
    return {"id": state.new_key(), "status": "notstart", "anonymous": False, "poll_type": 1, **data}


def webinar(state: State, webinar_id: int, host: Record, fields: Record, now: datetime) -> Record:
    """A webinar as Zoom stores it; `fields` are the caller's (a create body or the seed's)."""
    out: Record = {
        "id": webinar_id,
        "uuid": fields.get("uuid") or state.new_uuid(),  # the seed's webinars bring their own
        "host_id": host["id"],
        "host_email": host["email"],
        "topic": "Zoom webinar",
        "type": 5,
        "duration": 60,
        "timezone": "UTC",
        "agenda": "",
        "created_at": iso(now),
        "start_time": iso(now),
        "join_url": f"https://zoom.us/j/{webinar_id}",
        "registration_url": f"https://zoom.us/webinar/register/{webinar_id}",
        "password": "webinar1",
        "is_simulive": False,
        "creation_source": "open_api",
        "settings": {"approval_type": 2, "host_video": True, "panelists_video": True, "practice_session": False},
    }
    out.update({k: v for k, v in fields.items() if k not in ("settings", "schedule_for", "default_passcode")})
    out["settings"].update(fields.get("settings") or {})
    if out["type"] == 6:
        out.pop("start_time", None)
    if out["type"] == 9:
        out["occurrences"] = occurrences(out)
    return out


def template(state: State, name: str, **extra: Any) -> Record:
    """A meeting or webinar template (`extra`: what it was made from)."""
    return {"id": state.new_key(), "name": name, **extra}


def device(device_id: str, fields: Record, now: datetime) -> Record:
    """A device enrolled in Zoom Device Management, not yet connected; `fields` are the add body."""
    return {
        "device_id": device_id,
        "platform_os": "",
        "device_status": 0,
        "room_id": "",
        "room_name": "",
        "enrolled_in_zdm": True,
        "connected_to_zdm": False,
        "app_version": "",
        "last_online": iso(now),
        "tag": "",
        **fields,
    }


def h323_device(device_id: str, fields: Record) -> Record:
    """An H.323 / SIP room device."""
    return {**fields, "id": device_id}


def tracking_field(field_id: str, name: str, fields: Record) -> Record:
    """A tracking field, optional and visible unless `fields` say otherwise."""
    return {"required": False, "visible": True, "recommended_values": [], **fields, "field": name, "id": field_id}


def tsp_account(tsp_id: str, fields: Record) -> Record:
    """One of a user's TSP (audio conferencing) accounts."""
    return {**fields, "id": tsp_id}


def sip_phone(phone_id: str, fields: Record) -> Record:
    """A SIP phone registered for a user."""
    return {"registration_expire_time": 60, "display_number": "", "voice_mail": "", **fields, "phone_id": phone_id}


def join_token(state: State) -> Record:
    """A short-lived token for joining a meeting (livestream, local recording, local archiving)."""
    return {"token": state.new_key(40), "expire_in": 120}


SIP_URI_LIFETIME = 7200  # seconds an issued SIP URI stays valid, as Zoom's expire_in says


def sip_dialing(state: State, target_id: int, passcode: str, now: datetime) -> Record:
    """A SIP URI a room system dials to join meeting or webinar `target_id` (its passcode embedded when given),
    with the participant identifier code Zoom issues with it; the sandbox has no paid CRC plan."""
    address = f"{target_id}.{passcode}@zoomcrc.com" if passcode else f"{target_id}@zoomcrc.com"
    return {
        "sip_dialing": address,
        "participant_identifier_code": str(state.rng.randrange(10**7, 10**8)),
        "paid_crc_plan_participant": False,
        "expire_in": SIP_URI_LIFETIME,
        "expires_at": iso(now + timedelta(seconds=SIP_URI_LIFETIME)),
    }


def invite_link(state: State, target_id: int, attendee: Record, ttl: int, now: datetime) -> Record:
    """One attendee's personal join link to meeting or webinar `target_id`, valid for `ttl` seconds."""
    return {
        "name": attendee.get("name", ""),
        "join_url": f"https://zoom.us/w/{target_id}?tk={state.new_key(43)}",
        "disable_audio": bool(attendee.get("disable_audio", False)),
        "disable_video": bool(attendee.get("disable_video", False)),
        "expires_at": iso(now + timedelta(seconds=ttl)),
    }


def open_app(state: State, meeting: Record, app_id: str) -> Record:
    """A Zoom App set to open when `meeting` starts."""
    out: Record = {"id": state.new_id(), "app_id": app_id}
    if meeting.get("start_time"):
        out["start_time"] = meeting["start_time"]
    return out


def name_tag(state: State, fields: Record) -> Record:
    """A webinar's session-branding name tag."""
    keep = ("name", "text_color", "accent_color", "background_color")
    return {"id": state.new_key(20), **{k: fields[k] for k in keep if k in fields}, "is_default": False}


def branding_image(state: State, extension: str, size: int) -> Record:
    """An uploaded session-branding image (a virtual background or the wallpaper), named by its new ID."""
    image_id = state.new_key(20)
    return {"id": image_id, "name": f"{image_id}.{extension}", "type": "image", "size": size}
