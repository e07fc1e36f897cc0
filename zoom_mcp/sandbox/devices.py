"""Managed devices (ZDM), Zoom Phone appliances (ZPA) and H.323/SIP devices."""

from __future__ import annotations

from typing import Any

from zoom_mcp.sandbox.app import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.state import State, iso, now_utc, paginate


def _state(call: Call) -> State:
    return call.sandbox.state


def _device(call: Call) -> dict[str, Any]:
    found = _state(call).devices.get(call.params["deviceId"])
    if found is None:
        raise ZoomHTTPError(404, 3060, f"Device does not exist: {call.params['deviceId']}.")
    return found


def list_devices(call: Call) -> Reply:
    q = call.query
    devices = [
        d
        for d in _state(call).devices.values()
        if (not q.get("search_text") or q["search_text"].lower() in (d["device_name"] + d["serial_number"]).lower())
        and (not q.get("platform_os") or d["platform_os"] == q["platform_os"])
        and (q.get("device_type") in (None, "", "-1") or str(d["device_type"]) == q["device_type"])
        and (not q.get("device_vendor") or d["vendor"].lower() == q["device_vendor"].lower())
        and (q.get("device_status") in (None, "", "-1") or str(d["device_status"]) == q["device_status"])
    ]
    page = paginate(call, devices, "devices")
    page.pop("total_records")
    return 200, page


def add_device(call: Call) -> Reply:
    state = _state(call)
    body = call.body or {}
    missing = [
        f for f in ("device_name", "mac_address", "serial_number", "vendor", "model", "device_type") if f not in body
    ]
    if missing:
        raise ZoomHTTPError(400, 300, f"Missing field(s): {', '.join(missing)}.")
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
    device = _device(call)
    room = (call.body or {}).get("room_id")
    if not room:
        raise ZoomHTTPError(400, 300, "Invalid parameter: room_id.")
    device.update(room_id=room, room_name=room)
    return 204, None


def _zpa(call: Call, vendor: str, mac: str) -> dict[str, Any]:
    for device in _state(call).devices.values():
        if device["vendor"].lower() == vendor.lower() and device["mac_address"].lower() == mac.lower():
            return device
    raise ZoomHTTPError(404, 3060, f"Device does not exist: {vendor} {mac}.")


def assign_zpa_device(call: Call) -> Reply:
    body = call.body or {}
    device = _zpa(call, body.get("vendor", ""), body.get("mac_address", ""))
    device["extension_number"] = body.get("extension_number", "")
    return 204, None


def delete_zpa_device(call: Call) -> Reply:
    device = _zpa(call, call.params["vendor"], call.params["macAddress"])
    del _state(call).devices[device["device_id"]]
    return 204, None


def _group(call: Call, group_id: str) -> dict[str, Any]:
    for group in _state(call).zdm_groups:
        if group["zdm_group_id"] == group_id:
            return group
    raise ZoomHTTPError(404, 3060, f"ZDM group does not exist: {group_id}.")


def list_zdm_groups(call: Call) -> Reply:
    page = paginate(call, _state(call).zdm_groups, "groups")
    page.pop("total_records")
    return 200, page


def get_zpa_version_info(call: Call) -> Reply:
    _group(call, call.params["zdmGroupId"])
    return 200, {
        "firmware_versions": [{"vendor": "Poly", "version": "8.2.0", "model": "CCX 400", "warn_info": ""}],
        "app_versions": ["5.19.1"],
    }


def upgrade_zpa_firmware(call: Call) -> Reply:
    body = call.body or {}
    _group(call, body.get("zdm_group_id", ""))
    return 202, None


def _h323(call: Call) -> dict[str, Any]:
    found = _state(call).h323.get(call.params["deviceId"])
    if found is None:
        raise ZoomHTTPError(404, 1010, f"Device does not exist: {call.params['deviceId']}.")
    return found


def list_h323_devices(call: Call) -> Reply:
    page = paginate(call, list(_state(call).h323.values()), "devices")
    page.update(page_count=1, page_number=1)
    return 200, page


def create_h323_device(call: Call) -> Reply:
    state = _state(call)
    device = {**(call.body or {}), "id": state.new_key(10)}
    state.h323[device["id"]] = device
    return 201, device


def update_h323_device(call: Call) -> Reply:
    _h323(call).update(call.body or {})
    return 204, None


def delete_h323_device(call: Call) -> Reply:
    del _state(call).h323[_h323(call)["id"]]
    return 200, None


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
