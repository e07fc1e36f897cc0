"""The sandbox's world: one account's records, in collections keyed the way Zoom keys them.

A `Collection` is a dict that knows what it holds (its `Kind`), so `state.meetings.get_or_404(id)`
either finds the record or raises `Missing`, which the engine answers with the operation's
documented not-found error (`engine.calls.Call.not_found`). Records are plain dicts in Zoom's
field names; handlers may keep extra bookkeeping in them (the gateway cuts answers to the schema).
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from zoom_mcp.sandbox.identity import ORIGIN
from zoom_mcp.sandbox.records import Record, placeholder_bytes

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class Kind:
    """A kind of record and how Zoom answers when the one a caller names does not exist.

    `answers` are the (status, code) pairs Zoom's reference uses for it, in preference order;
    `message` is the wording when the operation documents none; `params` are the placeholders the
    unknown value fills. `documented=False`: the reference never words it, so `message` always is.
    `wording` (a regex): pick the operation's documented error by what it says, not by its code.
    """

    name: str
    answers: tuple[tuple[int, int], ...]
    message: str
    params: tuple[str, ...] = ()
    documented: bool = True
    wording: str | None = None

    def missing(self, value: object) -> Missing:
        """The exception for an unknown `value` of this kind."""
        return Missing(self, value)


class Missing(LookupError):
    """A lookup found nothing; the engine answers with the operation's not-found error for `kind`."""

    def __init__(self, kind: Kind, value: object) -> None:
        super().__init__(f"no {kind.name} {value!r}")
        self.kind, self.value = kind, value


USER = Kind(
    "user", ((404, 1001),), "User {userId} does not exist or does not belong to this account.", ("userId", "email")
)
MEETING = Kind(
    "meeting",
    ((404, 3001),),
    "Meeting does not exist: {meetingId}.",
    ("meetingId", "meetingUUID"),
    wording=r"eeting.*(not exist|not found)|(not exist|not found).*eeting",
)
RECORDING = Kind("recording", ((404, 3301),), "There is no recording for this meeting.")
TRANSCRIPT = Kind("transcript", ((404, 3322),), "This meeting transcript does not exist.")
SUMMARY = Kind("summary", ((404, 3001),), "Meeting summary does not exist: {meetingId}.", ("meetingId",), False)
WEBINAR = Kind("webinar", ((404, 3001),), "Webinar does not exist: {webinarId}.", ("webinarId",))
REGISTRANT = Kind("registrant", ((404, 3079),), "This registrant does not exist: {registrantId}.", ("registrantId",))
PANELIST = Kind("panelist", ((404, 3001),), "Panelist does not exist: {panelistId}.", ("panelistId",), False)
POLL = Kind("poll", ((404, 404),), "Poll does not exist: {pollId}.", ("pollId",))
CHAT_MESSAGE = Kind("chat message", ((404, 3001),), "Message does not exist: {messageId}.", ("messageId",), False)
NAME_TAG = Kind("name tag", ((400, 300),), "Name Tag does not exist.", ("nameTagId",), False)  # code 300 is shared
ARCHIVE = Kind("archive", ((404, 3001),), "Meeting does not exist: {meetingUUID}.", ("meetingUUID",))
ARCHIVED_FILE = Kind("archived file", ((404, 3301),), "Archived file does not exist: {fileId}.", ("fileId",), False)
TRACKING_FIELD = Kind("tracking field", ((404, 5110),), "Tracking field does not exist: {fieldId}.", ("fieldId",))
TSP_ACCOUNT = Kind("TSP account", ((400, 300),), "The TSP ID provided does not exist.", ("tspId",))
SIP_PHONE = Kind("SIP phone", ((404, 2305),), "SIP phone does not exist: {phone_id}.", ("phone_id",))
DEVICE = Kind("device", ((404, 30055012), (404, 8503)), "Device does not exist: {deviceId}.", ("deviceId",))
ZPA_DEVICE = Kind("ZPA device", ((404, 30051039), (400, 30051039)), "Zdm device not found.")
ZDM_GROUP = Kind("ZDM group", ((404, 30052027), (400, 30055018), (400, 30052010)), "ZdmGroup not found.")
H323_DEVICE = Kind("H.323 device", ((404, 1010),), "H.323 device does not exist: {deviceId}.", ("deviceId",), False)
ROOM = Kind("room", ((404, 1012),), "Room does not exist: {roomId}.", ("roomId",))


class Collection(dict[K, V]):
    """Records of one kind by their key; `get_or_404` is the lookup handlers use.

    `int_keys`: the key is a number that arrives as text in a path (meeting and webinar IDs).
    """

    def __init__(self, kind: Kind, items: Iterable[tuple[K, V]] = (), *, int_keys: bool = False) -> None:
        super().__init__(items)
        self.kind = kind
        self.int_keys = int_keys

    def get_or_404(self, key: object) -> V:
        """The record for `key` (numeric text works for numeric keys), else `Missing` of this kind."""
        found = self.get(cast(K, as_int(key) if self.int_keys else key))
        if found is None:
            raise self.kind.missing(key)
        return found


class Users(Collection[str, Record]):
    """The account's users by ID; `me` is the user the request's token belongs to (`acting`: set by the engine
    around each call), else the owner (seeded first); an e-mail address works as well."""

    acting: str | None = None

    def get_or_404(self, key: object) -> Record:
        if key == "me" and self.acting is not None and self.acting in self:
            return self[self.acting]
        if key == "me" and self:
            return next(iter(self.values()))
        for user in self.values():
            if key in (user["id"], user["email"]):
                return user
        raise self.kind.missing(key)


def sees(users: Users, host_id: object) -> bool:
    """Whether the acting user may see what `host_id` hosts: the owner (an admin) sees everything, a member
    only their own (as Zoom answers a user-level app)."""
    owner = next(iter(users), None)
    return users.acting in (None, owner) or host_id == users.acting


def find_or_404(items: Iterable[Record], kind: Kind, value: object, *keys: str) -> Record:
    """The first record whose `keys` (tried in order, the first present one counts) equal `value`.

    For records kept in lists (a meeting's polls, a webinar's panelists); `Missing` of `kind` if none.
    """
    for item in items:
        key = next((k for k in keys if k in item), None)
        if key is not None and item[key] == value:
            return item
    raise kind.missing(value)


def as_int(value: object) -> int | None:
    """`value` as a whole number when it is one written in digits, else None."""
    text = str(value)
    return int(text) if text.isdigit() else None


def _collection(kind: Kind, *, int_keys: bool = False) -> Callable[[], Collection[Any, Any]]:
    return lambda: Collection(kind, int_keys=int_keys)


@dataclass
class State:
    """Everything the sandbox account holds. Instances of past meetings are keyed by UUID."""

    users: Users = field(default_factory=lambda: Users(USER))
    meetings: Collection[int, Record] = field(default_factory=_collection(MEETING, int_keys=True))
    # Past meeting instances with cloud recordings, by UUID.
    recordings: Collection[str, Record] = field(default_factory=_collection(RECORDING))
    recording_settings: dict[str, Record] = field(default_factory=dict)  # by UUID
    recording_registrants: dict[int, list[Record]] = field(default_factory=dict)
    recording_questions: dict[str, Record] = field(default_factory=dict)
    archives: Collection[str, Record] = field(default_factory=_collection(ARCHIVE))  # by UUID
    devices: Collection[str, Record] = field(default_factory=_collection(DEVICE))
    zdm_groups: list[Record] = field(default_factory=list)
    firmware_upgrades: list[Record] = field(default_factory=list)  # accepted upgrade_zpa_firmware requests
    h323: Collection[str, Record] = field(default_factory=_collection(H323_DEVICE))
    live: Collection[int, Record] = field(default_factory=_collection(MEETING, int_keys=True))  # in progress
    summaries: list[Record] = field(default_factory=list)
    registrants: dict[int, list[Record]] = field(default_factory=dict)
    polls: dict[int, list[Record]] = field(default_factory=dict)
    templates: dict[str, list[Record]] = field(default_factory=dict)  # by user ID
    file_content: dict[str, bytes] = field(default_factory=dict)
    # Past meeting instances without cloud recordings (ended through the API), by UUID.
    past_meetings: dict[str, Record] = field(default_factory=dict)
    participants: dict[str, list[Record]] = field(default_factory=dict)  # by past-instance UUID
    past_qa: dict[str, list[Record]] = field(default_factory=dict)  # by past-instance UUID
    past_polls: dict[str, list[Record]] = field(default_factory=dict)  # by past-instance UUID
    deleted_meetings: dict[int, Record] = field(default_factory=dict)  # recoverable (update_meeting_status)
    registration_questions: dict[int, Record] = field(default_factory=dict)  # meetings and webinars
    surveys: dict[int, Record] = field(default_factory=dict)  # meetings and webinars
    webinars: Collection[int, Record] = field(default_factory=_collection(WEBINAR, int_keys=True))
    panelists: dict[int, list[Record]] = field(default_factory=dict)
    webinar_registrants: dict[int, list[Record]] = field(default_factory=dict)
    webinar_polls: dict[int, list[Record]] = field(default_factory=dict)
    webinar_templates: dict[str, list[Record]] = field(default_factory=dict)  # by user ID
    tracking_fields: Collection[str, Record] = field(default_factory=_collection(TRACKING_FIELD))
    tsp: Record = field(default_factory=dict)  # the account's TSP settings
    user_tsp: dict[str, list[Record]] = field(default_factory=dict)  # by user ID
    sip_phones: Collection[str, Record] = field(default_factory=_collection(SIP_PHONE))
    user_tsp_settings: dict[str, Record] = field(default_factory=dict)  # by user ID: the global dial-in URL
    live_webinars: Collection[int, Record] = field(default_factory=_collection(WEBINAR, int_keys=True))  # in progress
    webinar_branding: dict[int, Record] = field(default_factory=dict)  # name tags, virtual backgrounds, wallpaper
    open_apps: dict[int, list[Record]] = field(default_factory=dict)  # Zoom Apps set to open, by meeting ID
    sip_dialing: dict[int, list[Record]] = field(default_factory=dict)  # issued SIP URIs: meetings and webinars
    invite_links: dict[int, list[Record]] = field(default_factory=dict)  # issued join links: meetings and webinars
    rng: random.Random = field(default_factory=lambda: random.Random(20261128))
    public_url: str = ORIGIN  # where download_urls point: the sandbox's own address

    def new_id(self, digits: int = 11) -> int:
        """A random numeric ID of `digits` digits (meeting and webinar IDs)."""
        return self.rng.randrange(10 ** (digits - 1), 10**digits)

    def new_key(self, length: int = 22) -> str:
        """A random alphanumeric ID (registrants, polls, templates, ...)."""
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        return "".join(self.rng.choice(alphabet) for _ in range(length))

    def new_uuid(self) -> str:
        """A random meeting-instance UUID (base64 of 16 bytes, as Zoom's look)."""
        return base64.b64encode(self.rng.randbytes(16)).decode()

    def instances(self) -> dict[str, Record]:
        """Every past meeting instance by UUID: recorded ones and those ended through the API."""
        return {**self.recordings, **self.past_meetings}

    @staticmethod
    def latest(value: str, instances: Iterable[Record]) -> Record | None:
        """The latest of `instances` of meeting ID `value` (how Zoom resolves a meeting ID to an instance)."""
        number = as_int(value)
        same = [i for i in instances if number is not None and i["id"] == number]
        return max(same, key=lambda i: i["start_time"]) if same else None

    def recording(self, value: str) -> Record:
        """A recorded instance that still has files: by UUID, or a meeting ID's latest recorded instance."""
        found = self.recordings.get(value)
        if found is None:
            found = self.latest(value, self.recordings.values())
        if found is None or not found["recording_files"]:
            raise RECORDING.missing(value)
        return found

    def past(self, value: str) -> Record:
        """A past instance, recorded or not: by UUID, or a meeting ID's latest instance."""
        every = self.instances()
        found = every.get(value) or self.latest(value, every.values())
        if found is None:
            raise MEETING.missing(value)
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
