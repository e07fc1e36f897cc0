"""The `devices` toolset: managed devices (Zoom Device Management), Zoom Phone appliances (ZPA) and their groups.

Error codes are the ones Zoom's reference lists per operation (the device APIs use 3005xxxx codes);
the state's kinds carry them (`DEVICE`, `ZPA_DEVICE`, `ZDM_GROUP`).
"""

from __future__ import annotations

import re

from zoom_mcp.sandbox import records
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply
from zoom_mcp.sandbox.engine.pagination import paginate
from zoom_mcp.sandbox.state import ROOM, ZDM_GROUP, ZPA_DEVICE, Record, find_or_404

ZPA_TYPE = 5  # device_type of a Zoom Phone Appliance
MAX_TAG = 64
_MAC = re.compile(r"^[0-9A-Fa-f]{2}([:-]?)[0-9A-Fa-f]{2}(\1[0-9A-Fa-f]{2}){4}$")


def _mac(text: str) -> str:
    """A MAC address reduced to its hex digits, for comparing spellings."""
    return re.sub(r"[^0-9a-f]", "", text.lower())


def _device(call: Call) -> Record:
    return call.state.devices.get_or_404(call.params["deviceId"])


def list_devices(call: Call) -> Reply:
    """Filters are matched loosely (substring search, case-insensitive vendor/model)."""
    q = call.query
    enrolled = q.get("is_enrolled_in_zdm") or ""

    def wanted(d: Record) -> bool:
        text = (d["device_name"] + " " + d["serial_number"] + " " + d["mac_address"]).lower()
        return (
            (not q.get("search_text") or q["search_text"].lower() in text)
            and (not q.get("platform_os") or d["platform_os"] == q["platform_os"])
            and (q.get("device_type") in (None, "", "-1") or str(d["device_type"]) == q["device_type"])
            and (not q.get("device_vendor") or d["vendor"].lower() == q["device_vendor"].lower())
            and (not q.get("device_model") or d["model"].lower() == q["device_model"].lower())
            and (q.get("device_status") in (None, "", "-1") or str(d["device_status"]) == q["device_status"])
            and (not enrolled or str(d["enrolled_in_zdm"]).lower() == enrolled.lower())
        )

    return 200, paginate(call, [d for d in call.state.devices.values() if wanted(d)], "devices")


def add_device(call: Call) -> Reply:
    """Zoom accepts the device for enrolment (202, no body); it then shows up in list_devices."""
    state = call.state
    body = call.fields
    if not _MAC.match(str(body.get("mac_address", ""))):
        raise call.error(400, 30055007, "invalid mac address.")
    if any(_mac(d["mac_address"]) == _mac(body["mac_address"]) for d in state.devices.values()):
        raise call.error(400, 30055006, "device has already exist.")
    if len(body.get("tag") or "") > MAX_TAG:
        raise call.error(400, 30055005, "tag length can not be more than 64.")
    device_id = f"dev-{state.new_key(10)}"
    state.devices[device_id] = records.device(device_id, body, call.now())
    return 202, None


def get_device(call: Call) -> Reply:
    return 200, _device(call)


def update_device(call: Call) -> Reply:
    _device(call).update(call.fields)
    return 204, None


def delete_device(call: Call) -> Reply:
    del call.state.devices[_device(call)["device_id"]]
    return 204, None


def change_device_assignment(call: Call) -> Reply:
    """Moves the device to the body's room (which must be named)."""
    device = _device(call)
    room = call.fields.get("room_id")
    if not room:
        raise ROOM.missing(room or "")
    device.update(room_id=room, room_name=room, app_type=call.fields.get("app_type", "ZR"))
    return 204, None


def assign_device_to_group(call: Call) -> Reply:
    device = _device(call)
    group = find_or_404(call.state.zdm_groups, ZDM_GROUP, call.query.get("group_id") or "", "zdm_group_id")
    device["zdm_group_id"] = group["zdm_group_id"]
    return 204, None


def _zpa(call: Call, vendor: str, mac: str) -> Record:
    """The Zoom Phone appliance with this vendor and MAC address (400 when the address is malformed)."""
    if not _MAC.match(mac):
        raise call.error(400, 30055007, "Mac address is wrong.")
    for device in call.state.devices.values():
        if device["vendor"].lower() == vendor.lower() and _mac(device["mac_address"]) == _mac(mac):
            if device["device_type"] != ZPA_TYPE:
                raise call.error(400, 30052026, "Device is not ZPA.")
            return device
    raise ZPA_DEVICE.missing(mac)


def assign_zpa_device(call: Call) -> Reply:
    body = call.fields
    device = _zpa(call, body.get("vendor", ""), body.get("mac_address", ""))
    device["extension_number"] = body.get("extension_number", "")
    return 204, None


def delete_zpa_device(call: Call) -> Reply:
    device = _zpa(call, call.params["vendor"], call.params["macAddress"])
    del call.state.devices[device["device_id"]]
    return 204, None


def list_zdm_groups(call: Call) -> Reply:
    return 200, paginate(call, call.state.zdm_groups, "groups")


def get_zpa_version_info(call: Call) -> Reply:
    find_or_404(call.state.zdm_groups, ZDM_GROUP, call.params["zdmGroupId"], "zdm_group_id")
    return 200, {
        "firmware_versions": [{"vendor": "Poly", "version": "8.2.0", "model": "CCX 400", "warn_info": ""}],
        "app_versions": ["5.19.1"],
    }


def upgrade_zpa_firmware(call: Call) -> Reply:
    """Accepted (202) and kept in `state.firmware_upgrades`: the upgrade itself would happen on the phones later."""
    body = call.fields
    find_or_404(call.state.zdm_groups, ZDM_GROUP, body.get("zdm_group_id", ""), "zdm_group_id")
    data = body.get("data") or {}
    kind = data.get("upgrade_type")
    if kind not in ("UPGRADE_FIRMWARE", "UPGRADE_APP"):
        raise call.error(400, 30055020, "Upgrade type dose not exist.")
    if kind == "UPGRADE_APP" and not data.get("app_version"):
        raise call.error(400, 30052030, "Missing required input: app_version.")
    if kind == "UPGRADE_FIRMWARE" and not data.get("firmware_versions"):
        raise call.error(400, 30052029, "Missing required input: firmware_versions.")
    call.state.firmware_upgrades.append({"zdm_group_id": body["zdm_group_id"], **data})
    return 202, None


HANDLERS: dict[str, Handler] = {
    "list_devices": list_devices,
    "add_device": add_device,
    "get_device": get_device,
    "update_device": update_device,
    "delete_device": delete_device,
    "change_device_assignment": change_device_assignment,
    "assign_device_to_group": assign_device_to_group,
    "assign_zpa_device": assign_zpa_device,
    "delete_zpa_device": delete_zpa_device,
    "list_zdm_groups": list_zdm_groups,
    "get_zpa_version_info": get_zpa_version_info,
    "upgrade_zpa_firmware": upgrade_zpa_firmware,
}
