"""The `webinars` toolset: webinars and their status, panelists, registrants, registration questions, polls,
surveys, SIP URIs and invite links, live streams, the chat of webinars in progress, session branding.

Registrant status and registration questions work as for meetings (`registrants`), and so do polls
(`polls`), surveys (`surveys`) and invite links (`meetings`). Webinars in progress are in
`state.live_webinars`, as meetings are in `state.live`. Webinar templates are in `templates`; past
webinars keep the schema-shaped default answer.
"""

from __future__ import annotations

import base64
import binascii

from zoom_mcp.sandbox import records
from zoom_mcp.sandbox.dates import iso
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.engine.gateway import complete, item_schema
from zoom_mcp.sandbox.engine.pagination import paginate
from zoom_mcp.sandbox.handlers.livestream import STREAM_FIELDS
from zoom_mcp.sandbox.handlers.meetings import invite_links
from zoom_mcp.sandbox.handlers.polls import remove_poll, the_poll
from zoom_mcp.sandbox.handlers.registrants import MAX_BATCH, registration_questions, set_status
from zoom_mcp.sandbox.handlers.surveys import survey_of, update_survey
from zoom_mcp.sandbox.state import CHAT_MESSAGE, NAME_TAG, PANELIST, REGISTRANT, Record, find_or_404

MAX_PANELISTS = 100  # per request, as Zoom caps add_webinar_panelists
MAX_NAME_TAGS = 20  # per webinar
MAX_NAME_TAG_LENGTH = 50
MAX_BACKGROUNDS = 10  # per webinar
MAX_IMAGE_BYTES = 15 * 1024 * 1024  # "15M"
IMAGE_TYPES = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpg"), (b"GIF87a", "gif"), (b"GIF89a", "gif"))


def _webinar(call: Call) -> Record:
    return call.state.webinars.get_or_404(call.params["webinarId"])


def create_webinar(call: Call) -> Reply:
    state = call.state
    host = state.users.get_or_404(call.params["userId"])
    webinar_id = state.new_id()
    while webinar_id in state.webinars or webinar_id in state.meetings:
        webinar_id = state.new_id()
    state.webinars[webinar_id] = records.webinar(state, webinar_id, host, dict(call.fields), call.now())
    return 201, state.webinars[webinar_id]


def get_webinar(call: Call) -> Reply:
    """With `occurrence_id`, the webinar as of that occurrence."""
    webinar = _webinar(call)
    wanted = call.query.get("occurrence_id")
    if wanted:
        found = [o for o in webinar.get("occurrences") or [] if o["occurrence_id"] == wanted]
        if not found:
            raise ZoomHTTPError(400, 300, "Invalid parameter: `occurrence_id`.")
        return 200, {**webinar, "start_time": found[0]["start_time"], "occurrences": found}
    return 200, webinar


def list_webinars(call: Call) -> Reply:
    """`type=scheduled` (default): every webinar of the user; `upcoming`: those not yet over."""
    state = call.state
    user = state.users.get_or_404(call.params["userId"])
    now = iso(call.now())
    mine = [w for w in state.webinars.values() if w["host_id"] == user["id"]]
    if call.query.get("type") == "upcoming":
        mine = [w for w in mine if w["type"] == 6 or w.get("start_time", "") >= now or w.get("occurrences")]
    mine.sort(key=lambda w: w.get("start_time") or "9999")
    return 200, paginate(call, complete(item_schema(call, "webinars"), mine), "webinars")


def update_webinar(call: Call) -> Reply:
    """PATCH semantics; `occurrence_id` changes one occurrence's time."""
    webinar = _webinar(call)
    body = dict(call.fields)
    settings = body.pop("settings", None)
    wanted = call.query.get("occurrence_id")
    if wanted:
        for item in webinar.get("occurrences") or []:
            if item["occurrence_id"] == wanted:
                item.update({k: body[k] for k in ("start_time", "duration") if k in body})
                return 204, None
        raise ZoomHTTPError(400, 300, "Invalid parameter: `occurrence_id`.")
    webinar.update({k: v for k, v in body.items() if k != "schedule_for"})
    if settings:
        webinar["settings"].update(settings)
    return 204, None


def delete_webinar(call: Call) -> Reply:
    """The whole webinar with its panelists, registrants, polls, survey and branding; or with `occurrence_id`
    that occurrence."""
    state = call.state
    webinar = _webinar(call)
    wanted = call.query.get("occurrence_id")
    if wanted:
        webinar["occurrences"] = [o for o in webinar.get("occurrences") or [] if o["occurrence_id"] != wanted]
        return 204, None
    del state.webinars[webinar["id"]]
    for store in (state.panelists, state.webinar_registrants, state.webinar_polls, state.surveys):
        store.pop(webinar["id"], None)
    state.webinar_branding.pop(webinar["id"], None)
    state.live_webinars.pop(webinar["id"], None)
    return 204, None


def update_webinar_status(call: Call) -> Reply:
    """`end`: the webinar is over (and no longer in progress)."""
    webinar = _webinar(call)
    call.action({"end": "end"})
    webinar["status"] = "ended"
    call.state.live_webinars.pop(webinar["id"], None)
    return 200, None


# --- panelists ------------------------------------------------------------------------------------------------


def list_webinar_panelists(call: Call) -> Reply:
    people = call.state.panelists.get(_webinar(call)["id"], [])
    return 200, {"total_records": len(people), "panelists": people}


def add_webinar_panelists(call: Call) -> Reply:
    """1 to 100 panelists, each with an e-mail; one already on the panel (same e-mail) is updated."""
    state = call.state
    webinar = _webinar(call)
    wanted = call.fields.get("panelists") or []
    if not wanted or len(wanted) > MAX_PANELISTS:
        raise ZoomHTTPError(400, 300, f"Validation Failed: panelists must have 1 to {MAX_PANELISTS} entries.")
    people = state.panelists.setdefault(webinar["id"], [])
    for person in wanted:
        if not person.get("email"):
            raise ZoomHTTPError(400, 300, "Validation Failed: every panelist needs an email.")
        same = [p for p in people if p["email"].lower() == person["email"].lower()]
        if same:
            same[0].update(person)
            continue
        people.append(records.panelist(state, webinar, person))
    return 201, {"id": str(webinar["id"]), "updated_at": iso(call.now())}


def remove_webinar_panelist(call: Call) -> Reply:
    """By panelist ID or e-mail."""
    state = call.state
    webinar = _webinar(call)
    people = state.panelists.get(webinar["id"], [])
    wanted = call.params["panelistId"]
    left = [p for p in people if wanted not in (p["id"], p["email"])]
    if len(left) == len(people):
        raise PANELIST.missing(wanted)
    state.panelists[webinar["id"]] = left
    return 204, None


def remove_all_webinar_panelists(call: Call) -> Reply:
    call.state.panelists[_webinar(call)["id"]] = []
    return 204, None


# --- registrants ----------------------------------------------------------------------------------------------


def _registrants(call: Call) -> tuple[Record, list[Record]]:
    """The path's webinar and its registrants."""
    webinar = _webinar(call)
    return webinar, call.state.webinar_registrants.setdefault(webinar["id"], [])


def _register(call: Call, webinar: Record, person: Record, approve: bool | None = None) -> Record:
    """A new registrant: approved unless the webinar wants manual approval (or `approve` says otherwise)."""
    manual = webinar["settings"].get("approval_type") == 1
    approved = approve if approve is not None else not manual
    stored = records.webinar_registrant(call.state, webinar, person, approved, call.now())
    call.state.webinar_registrants.setdefault(webinar["id"], []).append(stored)
    return stored


def add_webinar_registrant(call: Call) -> Reply:
    webinar = _webinar(call)
    stored = _register(call, webinar, dict(call.fields))
    return 201, {
        "id": webinar["id"],
        "registrant_id": stored["id"],
        "topic": webinar["topic"],
        "start_time": webinar.get("start_time", ""),
        "join_url": stored["join_url"],
        "occurrences": webinar.get("occurrences") or [],
    }


def add_webinar_registrants_batch(call: Call) -> Reply:
    """Up to 30 at once; `auto_approve` approves them whatever the webinar's approval setting."""
    webinar = _webinar(call)
    people = call.fields.get("registrants") or []
    if len(people) > MAX_BATCH:
        raise ZoomHTTPError(400, 300, f"You can register at most {MAX_BATCH} registrants at once.")
    added = [_register(call, webinar, p, bool(call.fields.get("auto_approve")) or None) for p in people]
    return 201, {
        "registrants": [{"email": a["email"], "registrant_id": a["id"], "join_url": a["join_url"]} for a in added]
    }


def list_webinar_registrants(call: Call) -> Reply:
    """Registrants with `status` (default approved)."""
    _, people = _registrants(call)
    status = call.query.get("status") or "approved"
    rows = [p for p in people if p["status"] == status]
    return 200, paginate(call, complete(item_schema(call, "registrants"), rows), "registrants")


def _one(call: Call, people: list[Record]) -> Record:
    return find_or_404(people, REGISTRANT, call.params["registrantId"], "id")


def get_webinar_registrant(call: Call) -> Reply:
    _, people = _registrants(call)
    return 200, complete(call.op.response_schema, _one(call, people))


def delete_webinar_registrant(call: Call) -> Reply:
    webinar, people = _registrants(call)
    gone = _one(call, people)
    call.state.webinar_registrants[webinar["id"]] = [p for p in people if p is not gone]
    return 204, None


def update_webinar_registrant_status(call: Call) -> Reply:
    _, people = _registrants(call)
    set_status(call, people)
    return 204, None


def get_webinar_registration_questions(call: Call) -> Reply:
    return 200, registration_questions(call, _webinar(call)["id"])


def update_webinar_registration_questions(call: Call) -> Reply:
    registration_questions(call, _webinar(call)["id"]).update(call.fields)
    return 204, None


# --- polls and surveys ----------------------------------------------------------------------------------------


def _polls(call: Call) -> list[Record]:
    return call.state.webinar_polls.setdefault(_webinar(call)["id"], [])


def list_webinar_polls(call: Call) -> Reply:
    polls = _polls(call)
    return 200, {"total_records": len(polls), "polls": polls}


def create_webinar_poll(call: Call) -> Reply:
    poll = records.poll(call.state, call.fields)
    _polls(call).append(poll)
    return 201, poll


def get_webinar_poll(call: Call) -> Reply:
    return 200, the_poll(call, _polls(call))


def update_webinar_poll(call: Call) -> Reply:
    the_poll(call, _polls(call)).update(call.fields)
    return 204, None


def delete_webinar_poll(call: Call) -> Reply:
    remove_poll(call, _polls(call))
    return 204, None


def get_webinar_survey(call: Call) -> Reply:
    return 200, survey_of(call, _webinar(call)["id"])


def update_webinar_survey(call: Call) -> Reply:
    update_survey(call, _webinar(call)["id"])
    return 204, None


def delete_webinar_survey(call: Call) -> Reply:
    call.state.surveys.pop(_webinar(call)["id"], None)
    return 204, None


# --- SIP URIs, invite links, live streams -------------------------------------------------------------------


def get_webinar_sip_uri(call: Call) -> Reply:
    """As for meetings: a SIP URI (the passcode embedded when given), its participant code kept."""
    state = call.state
    webinar = _webinar(call)
    issued = records.sip_dialing(state, webinar["id"], str(call.fields.get("passcode") or ""), call.now())
    state.sip_dialing.setdefault(webinar["id"], []).append(issued)
    return 201, issued


def create_webinar_invite_links(call: Call) -> Reply:
    return invite_links(call, _webinar(call)["id"])


def get_webinar_livestream(call: Call) -> Reply:
    """Where the webinar streams to; empty values until update_webinar_livestream sets them."""
    return 200, _webinar(call).get("livestream") or dict.fromkeys(STREAM_FIELDS, "")


def update_webinar_livestream(call: Call) -> Reply:
    """Sets the target (stream_url, stream_key and page_url required; resolution kept unless given)."""
    webinar = _webinar(call)
    given = {k: call.fields[k] for k in STREAM_FIELDS if call.fields.get(k) is not None}
    webinar["livestream"] = {**webinar.get("livestream", {}), **given}
    return 204, None


def update_webinar_livestream_status(call: Call) -> Reply:
    """`start` streams the webinar in progress to its configured target, `stop` ends that; `settings`
    (speaker and display name) are kept with the stream (`state.live_webinars[...]["livestream"]`)."""
    webinar = _webinar(call)
    action = call.action({"start": "started", "stop": "stopped"})
    live = call.state.live_webinars.get(webinar["id"])
    if live is None:
        raise ZoomHTTPError(400, 200, f"Webinar {webinar['id']} has not started.")
    target = webinar.get("livestream") or {}
    if not target.get("stream_url"):
        raise ZoomHTTPError(400, 3000, "The current webinar is not configured with a custom streaming service.")
    stream = live.get("livestream") or {"status": "stopped", "settings": {}}
    settings = call.fields.get("settings")
    if isinstance(settings, dict):
        stream["settings"].update(settings)
    stream.update(status=action, stream_url=target["stream_url"])
    live["livestream"] = stream
    return 204, None


# --- the chat of a webinar in progress ------------------------------------------------------------------------


def _id_list(text: str | None) -> list[str]:
    """A comma-separated query value's IDs."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def delete_live_webinar_chat_message(call: Call) -> Reply:
    """The message; with `file_ids` (comma-separated), only those of its files (its text and other files stay).

    Only a webinar in progress answers; an ended, scheduled or unknown one gets "Webinar does not exist".
    """
    messages = call.state.live_webinars.get_or_404(call.params["webinarId"])["messages"]
    message_id = call.params["messageId"]
    found = messages.get(message_id)
    if found is None:
        raise CHAT_MESSAGE.missing(message_id)
    files = _id_list(call.query.get("file_ids"))
    if not files:
        del messages[message_id]
        return 204, None
    if not set(files) <= set(found["file_ids"]):
        raise ZoomHTTPError(400, 300, "Invalid parameter: file_ids.")
    found["file_ids"] = [f for f in found["file_ids"] if f not in files]
    return 204, None


# --- session branding -----------------------------------------------------------------------------------------


def _branding(call: Call) -> tuple[Record, Record]:
    """The path's webinar and its branding (`state.webinar_branding`), if the webinar has session branding on."""
    webinar = _webinar(call)
    if not webinar["settings"].get("enable_session_branding"):
        raise ZoomHTTPError(400, 3000, "This webinar does not have session branding enabled.")
    empty: Record = {"name_tags": [], "virtual_backgrounds": [], "wallpaper": None}
    return webinar, call.state.webinar_branding.setdefault(webinar["id"], empty)


def _panelists(call: Call, webinar: Record) -> list[Record]:
    return call.state.panelists.get(webinar["id"], [])


def _everyone(call: Call) -> bool:
    """The body's `set_default_for_all_panelists` (Zoom's default: true)."""
    return call.fields.get("set_default_for_all_panelists", True) is not False


def _default_name_tag(call: Call, webinar: Record, tags: list[Record], tag: Record, everyone: bool) -> None:
    """`tag` becomes the default: given to every panelist with `everyone`, else to those without a name tag."""
    for other in tags:
        other["is_default"] = other is tag
    for person in _panelists(call, webinar):
        if everyone or not person.get("name_tag_id"):
            person.update(name_tag_id=tag["id"], name_tag_name=tag.get("name", ""))


def _check_name(call: Call) -> None:
    name = call.fields.get("name")
    if isinstance(name, str) and len(name) > MAX_NAME_TAG_LENGTH:
        message = f"Invalid field: at most {MAX_NAME_TAG_LENGTH} characters."
        raise ZoomHTTPError(400, 300, "Validation Failed.", [{"field": "name", "message": message}])


def get_webinar_branding(call: Call) -> Reply:
    """Name tags, virtual backgrounds and (once uploaded) the wallpaper."""
    webinar = _webinar(call)
    if not webinar["settings"].get("enable_session_branding"):
        raise call.error(400, 3000, "You cannot enable session branding for this webinar.")
    branding = call.state.webinar_branding.get(webinar["id"]) or {}
    out: Record = {
        "name_tags": branding.get("name_tags", []),
        "virtual_backgrounds": branding.get("virtual_backgrounds", []),
    }
    if branding.get("wallpaper"):
        out["wallpaper"] = branding["wallpaper"]
    return 200, out


def create_webinar_branding_name_tag(call: Call) -> Reply:
    """At most 20 per webinar; `is_default` makes it the default (for which panelists: `_default_name_tag`)."""
    webinar, branding = _branding(call)
    _check_name(call)
    tags = branding["name_tags"]
    if len(tags) >= MAX_NAME_TAGS:
        limit = f"The limit is {MAX_NAME_TAGS}."
        raise ZoomHTTPError(
            400, 3000, f"You have reached the limit for the number of name tags you can add for this webinar. {limit}"
        )
    tag = records.name_tag(call.state, call.fields)
    tags.append(tag)
    if call.fields.get("is_default"):
        _default_name_tag(call, webinar, tags, tag, _everyone(call))
    return 201, tag


def update_webinar_branding_name_tag(call: Call) -> Reply:
    """PATCH semantics; panelists wearing the tag see its new name."""
    webinar, branding = _branding(call)
    tags = branding["name_tags"]
    tag = find_or_404(tags, NAME_TAG, call.params["nameTagId"], "id")
    _check_name(call)
    keep = ("name", "text_color", "accent_color", "background_color")
    tag.update({k: call.fields[k] for k in keep if call.fields.get(k) is not None})
    if call.fields.get("is_default") is True:
        _default_name_tag(call, webinar, tags, tag, _everyone(call))
    elif call.fields.get("is_default") is False:
        tag["is_default"] = False
    for person in _panelists(call, webinar):
        if person.get("name_tag_id") == tag["id"]:
            person["name_tag_name"] = tag.get("name", "")
    return 204, None


def delete_webinar_branding_name_tags(call: Call) -> Reply:
    """The name tags `name_tag_ids` names (all must exist); panelists wearing one lose it."""
    webinar, branding = _branding(call)
    wanted = set(_id_list(call.query.get("name_tag_ids")))
    if not wanted or not wanted <= {t["id"] for t in branding["name_tags"]}:
        raise ZoomHTTPError(400, 300, "Invalid parameter: `name_tag_ids`.")
    branding["name_tags"] = [t for t in branding["name_tags"] if t["id"] not in wanted]
    for person in _panelists(call, webinar):
        if person.get("name_tag_id") in wanted:
            person.pop("name_tag_id")
            person.pop("name_tag_name", None)
    return 204, None


def _image(call: Call, wrong_type: str) -> tuple[str, int]:
    """The uploaded file's image type (its extension) and size; Zoom's 400 / 120 for none, too big, or not an image."""
    try:
        data = base64.b64decode(call.fields.get("file") or "", validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise ZoomHTTPError(400, 120, wrong_type) from None
    if not data:
        raise ZoomHTTPError(400, 120, "No file uploaded. Verify that a file has been uploaded.")
    if len(data) > MAX_IMAGE_BYTES:
        raise ZoomHTTPError(400, 120, "File size cannot exceed 15M.")
    extension = next((ext for magic, ext in IMAGE_TYPES if data.startswith(magic)), None)
    if extension is None:
        raise ZoomHTTPError(400, 120, wrong_type)
    return extension, len(data)


def _default_background(call: Call, webinar: Record, image: Record, everyone: bool) -> None:
    """`image` becomes the default background: every panelist's with `everyone`, else theirs who have none."""
    branding = call.state.webinar_branding[webinar["id"]]
    for other in branding["virtual_backgrounds"]:
        other["is_default"] = other is image
    for person in _panelists(call, webinar):
        if everyone or not person.get("virtual_background_id"):
            person["virtual_background_id"] = image["id"]


def add_webinar_branding_virtual_background(call: Call) -> Reply:
    """A JPG, GIF or PNG of at most 15 MB; at most 10 per webinar; `default` makes it the default."""
    webinar, branding = _branding(call)
    backgrounds = branding["virtual_backgrounds"]
    if len(backgrounds) >= MAX_BACKGROUNDS:
        raise ZoomHTTPError(400, 120, f"A maximum of {MAX_BACKGROUNDS} files are allowed for a webinar.")
    extension, size = _image(call, "You may only upload JPG/JPEG, GIF, or PNG image files.")
    image = {**records.branding_image(call.state, extension, size), "is_default": False}
    backgrounds.append(image)
    if call.fields.get("default"):
        _default_background(call, webinar, image, _everyone(call))
    return 201, image


def set_webinar_branding_default_virtual_background(call: Call) -> Reply:
    """The background `id` names becomes the default; `set_default_for_all_panelists=true` gives it to every
    panelist, else only to those without one."""
    webinar, branding = _branding(call)
    wanted = call.query.get("id", "")
    image = next((b for b in branding["virtual_backgrounds"] if b["id"] == wanted), None)
    if image is None:
        raise ZoomHTTPError(400, 300, f"Invalid parameter: {wanted}")
    _default_background(call, webinar, image, call.query.get("set_default_for_all_panelists") == "true")
    return 204, None


def delete_webinar_branding_virtual_backgrounds(call: Call) -> Reply:
    """The backgrounds `ids` names (all must exist); panelists using one lose it."""
    webinar, branding = _branding(call)
    wanted = set(_id_list(call.query.get("ids")))
    if not wanted or not wanted <= {b["id"] for b in branding["virtual_backgrounds"]}:
        raise ZoomHTTPError(400, 300, "Invalid parameter: `ids`.")
    branding["virtual_backgrounds"] = [b for b in branding["virtual_backgrounds"] if b["id"] not in wanted]
    for person in _panelists(call, webinar):
        if person.get("virtual_background_id") in wanted:
            person.pop("virtual_background_id")
    return 204, None


def add_webinar_branding_wallpaper(call: Call) -> Reply:
    """A JPG, GIF or PNG of at most 15 MB; it replaces the webinar's wallpaper (there is one)."""
    _, branding = _branding(call)
    extension, size = _image(call, "You can only upload JPG/JPEG, GIF, or PNG image files.")
    branding["wallpaper"] = records.branding_image(call.state, extension, size)
    return 201, branding["wallpaper"]


def delete_webinar_branding_wallpaper(call: Call) -> Reply:
    """Removes the wallpaper (none to remove is no error)."""
    _, branding = _branding(call)
    branding["wallpaper"] = None
    return 204, None


HANDLERS: dict[str, Handler] = {
    "create_webinar": create_webinar,
    "get_webinar": get_webinar,
    "list_webinars": list_webinars,
    "update_webinar": update_webinar,
    "delete_webinar": delete_webinar,
    "update_webinar_status": update_webinar_status,
    "list_webinar_panelists": list_webinar_panelists,
    "add_webinar_panelists": add_webinar_panelists,
    "remove_webinar_panelist": remove_webinar_panelist,
    "remove_all_webinar_panelists": remove_all_webinar_panelists,
    "add_webinar_registrant": add_webinar_registrant,
    "add_webinar_registrants_batch": add_webinar_registrants_batch,
    "list_webinar_registrants": list_webinar_registrants,
    "get_webinar_registrant": get_webinar_registrant,
    "delete_webinar_registrant": delete_webinar_registrant,
    "update_webinar_registrant_status": update_webinar_registrant_status,
    "get_webinar_registration_questions": get_webinar_registration_questions,
    "update_webinar_registration_questions": update_webinar_registration_questions,
    "list_webinar_polls": list_webinar_polls,
    "create_webinar_poll": create_webinar_poll,
    "get_webinar_poll": get_webinar_poll,
    "update_webinar_poll": update_webinar_poll,
    "delete_webinar_poll": delete_webinar_poll,
    "get_webinar_survey": get_webinar_survey,
    "update_webinar_survey": update_webinar_survey,
    "delete_webinar_survey": delete_webinar_survey,
    "get_webinar_sip_uri": get_webinar_sip_uri,
    "create_webinar_invite_links": create_webinar_invite_links,
    "get_webinar_livestream": get_webinar_livestream,
    "update_webinar_livestream": update_webinar_livestream,
    "update_webinar_livestream_status": update_webinar_livestream_status,
    "delete_live_webinar_chat_message": delete_live_webinar_chat_message,
    "get_webinar_branding": get_webinar_branding,
    "create_webinar_branding_name_tag": create_webinar_branding_name_tag,
    "update_webinar_branding_name_tag": update_webinar_branding_name_tag,
    "delete_webinar_branding_name_tags": delete_webinar_branding_name_tags,
    "add_webinar_branding_virtual_background": add_webinar_branding_virtual_background,
    "set_webinar_branding_default_virtual_background": set_webinar_branding_default_virtual_background,
    "delete_webinar_branding_virtual_backgrounds": delete_webinar_branding_virtual_backgrounds,
    "add_webinar_branding_wallpaper": add_webinar_branding_wallpaper,
    "delete_webinar_branding_wallpaper": delete_webinar_branding_wallpaper,
}
