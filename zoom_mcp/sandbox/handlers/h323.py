"""The `h323` toolset: H.323 / SIP room devices; display names are unique."""

from __future__ import annotations

from zoom_mcp.sandbox import records
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply
from zoom_mcp.sandbox.engine.pagination import paginate
from zoom_mcp.sandbox.state import Record


def _device(call: Call) -> Record:
    return call.state.h323.get_or_404(call.params["deviceId"])


def _unique_name(call: Call, name: str | None, own_id: str | None = None) -> None:
    """Zoom's 2020 when another device already has this display name."""
    if name and any(d["name"] == name and d["id"] != own_id for d in call.state.h323.values()):
        raise call.error(404, 2020, "H.323 device's display name {displayName} is already in use.", displayName=name)


def list_h323_devices(call: Call) -> Reply:
    return 200, paginate(call, list(call.state.h323.values()), "devices")


def create_h323_device(call: Call) -> Reply:
    _unique_name(call, call.fields.get("name"))
    device = records.h323_device(call.state.new_key(22), call.fields)
    call.state.h323[device["id"]] = device
    return 201, device


def update_h323_device(call: Call) -> Reply:
    device = _device(call)
    _unique_name(call, call.fields.get("name"), device["id"])
    device.update(call.fields)
    return 204, None


def delete_h323_device(call: Call) -> Reply:
    del call.state.h323[_device(call)["id"]]
    return 200, None  # the catalog (Zoom's reference) says 200 with no body for this one


HANDLERS: dict[str, Handler] = {
    "list_h323_devices": list_h323_devices,
    "create_h323_device": create_h323_device,
    "update_h323_device": update_h323_device,
    "delete_h323_device": delete_h323_device,
}
