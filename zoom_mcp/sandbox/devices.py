"""Managed devices (ZDM), Zoom Phone appliances (ZPA) and H.323/SIP devices.

Error codes are the ones Zoom's reference lists per operation (the device APIs use 3005xxxx codes).
"""

from __future__ import annotations

import re
from typing import Any

from zoom_mcp.sandbox.app import Call, Handler, Reply
from zoom_mcp.sandbox.state import State, iso, now_utc, paginate

ZPA_TYPE = 5  # device_type of a Zoom Phone Appliance
_MAC = re.compile(r"^[0-9A-Fa-f]{2}([:-]?)[0-9A-Fa-f]{2}(\1[0-9A-Fa-f]{2}){4}$")


def _state(call: Call) -> State:
    return call.sandbox.state


def _device(call: Call, code: int = 30055012) -> dict[str, Any]:
    found = _state(call).devices.get(call.params["deviceId"])
    if found is None:
        raise call.error(404, code, "Device does not exist: {deviceId}.")
    return found


def _mac(text: str) -> str:
    return re.sub(r"[^0-9a-f]", "", text.lower())


def list_devices(call: Call) -> Reply:
    """Filters are matched loosely (substring search, case-insensitive vendor/model)."""
    q = call.query
    enrolled = q.get("is_enrolled_in_zdm") or ""

    def wanted(d: dict[str, Any]) -> bool:
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

    return 200, paginate(call, [d for d in _state(call).devices.values() if wanted(d)], "devices")


def add_device(call: Call) -> Reply:
    """Zoom accepts the device for enrolment (202, no body); it then shows up in list_devices."""
    state = _state(call)
    body = call.body or {}
    if not _MAC.match(str(body.get("mac_address", ""))):
        raise call.error(400, 30055007, "invalid mac address.")
    if any(_mac(d["mac_address"]) == _mac(body["mac_address"]) for d in state.devices.values()):
        raise call.error(400, 30055006, "device has already exist.")
    if len(body.get("tag") or "") > 64:
        raise call.error(400, 30055005, "tag length can not be more than 64.")
    device_id = f"dev-{state.new_key(10)}"
    state.devices[device_id] = {
        "device_id": device_id,
        "platform_os": "",
        "device_status": 0,
        "room_id": "",
        "room_name": "",
        "enrolled_in_zdm": True,
        "connected_to_zdm": False,
        "app_version": "",
        "last_online": iso(now_utc(call)),
        "tag": "",
        **body,
    }
    return 202, None


def get_device(call: Call) -> Reply:
    return 200, _device(call)


def update_device(call: Call) -> Reply:
    _device(call).update(call.body or {})
    return 204, None


def delete_device(call: Call) -> Reply:
    del _state(call).devices[_device(call)["device_id"]]
    return 204, None


def change_device_assignment(call: Call) -> Reply:
    device = _device(call, 8503)
    room = (call.body or {}).get("room_id")
    if not room:
        raise call.error(404, 1012, "Room does not exist: {roomId}.", roomId=room or "")
    device.update(room_id=room, room_name=room, app_type=(call.body or {}).get("app_type", "ZR"))
    return 204, None


def _zpa(call: Call, vendor: str, mac: str, status: int, code: int) -> dict[str, Any]:
    if not _MAC.match(mac):
        raise call.error(400, 30055007, "Mac address is wrong.")
    for device in _state(call).devices.values():
        if device["vendor"].lower() == vendor.lower() and _mac(device["mac_address"]) == _mac(mac):
            if device["device_type"] != ZPA_TYPE:
                raise call.error(400, 30052026, "Device is not ZPA.")
            return device
    raise call.error(status, code, "Zdm device not found.")


def assign_zpa_device(call: Call) -> Reply:
    body = call.body or {}
    device = _zpa(call, body.get("vendor", ""), body.get("mac_address", ""), 400, 30051039)
    device["extension_number"] = body.get("extension_number", "")
    return 204, None


def delete_zpa_device(call: Call) -> Reply:
    device = _zpa(call, call.params["vendor"], call.params["macAddress"], 404, 30051039)
    del _state(call).devices[device["device_id"]]
    return 204, None


def _group(call: Call, group_id: str, status: int, code: int) -> dict[str, Any]:
    for group in _state(call).zdm_groups:
        if group["zdm_group_id"] == group_id:
            return group
    raise call.error(status, code, "ZdmGroup not found.")


def list_zdm_groups(call: Call) -> Reply:
    return 200, paginate(call, _state(call).zdm_groups, "groups")


def get_zpa_version_info(call: Call) -> Reply:
    _group(call, call.params["zdmGroupId"], 404, 30052027)
    return 200, {
        "firmware_versions": [{"vendor": "Poly", "version": "8.2.0", "model": "CCX 400", "warn_info": ""}],
        "app_versions": ["5.19.1"],
    }


def upgrade_zpa_firmware(call: Call) -> Reply:
    """Accepted (202): the upgrade itself would happen on the phones later."""
    body = call.body or {}
    _group(call, body.get("zdm_group_id", ""), 400, 30055018)
    data = body.get("data") or {}
    kind = data.get("upgrade_type")
    if kind not in ("UPGRADE_FIRMWARE", "UPGRADE_APP"):
        raise call.error(400, 30055020, "Upgrade type dose not exist.")
    if kind == "UPGRADE_APP" and not data.get("app_version"):
        raise call.error(400, 30052030, "Missing required input: app_version.")
    if kind == "UPGRADE_FIRMWARE" and not data.get("firmware_versions"):
        raise call.error(400, 30052029, "Missing required input: firmware_versions.")
    return 202, None


def _h323(call: Call) -> dict[str, Any]:
    found = _state(call).h323.get(call.params["deviceId"])
    if found is None:
        raise call.error(404, 1010, "H.323 device does not exist: {deviceId}.")
    return found


def _unique_name(call: Call, name: str | None, own_id: str | None = None) -> None:
    if name and any(d["name"] == name and d["id"] != own_id for d in _state(call).h323.values()):
        raise call.error(404, 2020, "H.323 device's display name {displayName} is already in use.", displayName=name)


def list_h323_devices(call: Call) -> Reply:
    return 200, paginate(call, list(_state(call).h323.values()), "devices")


def create_h323_device(call: Call) -> Reply:
    state = _state(call)
    body = call.body or {}
    _unique_name(call, body.get("name"))
    device = {**body, "id": state.new_key(22)}
    state.h323[device["id"]] = device
    return 201, device


def update_h323_device(call: Call) -> Reply:
    device = _h323(call)
    _unique_name(call, (call.body or {}).get("name"), device["id"])
    device.update(call.body or {})
    return 204, None


def delete_h323_device(call: Call) -> Reply:
    del _state(call).h323[_h323(call)["id"]]
    return 200, None  # the catalog (Zoom's reference) says 200 with no body for this one


HANDLERS: dict[str, Handler] = {
    "list_devices": list_devices,
    "add_device": add_device,
    "get_device": get_device,
    "update_device": update_device,
    "delete_device": delete_device,
    "change_device_assignment": change_device_assignment,
    "assign_zpa_device": assign_zpa_device,
    "delete_zpa_device": delete_zpa_device,
    "list_zdm_groups": list_zdm_groups,
    "get_zpa_version_info": get_zpa_version_info,
    "upgrade_zpa_firmware": upgrade_zpa_firmware,
    "list_h323_devices": list_h323_devices,
    "create_h323_device": create_h323_device,
    "update_h323_device": update_h323_device,
    "delete_h323_device": delete_h323_device,
}
