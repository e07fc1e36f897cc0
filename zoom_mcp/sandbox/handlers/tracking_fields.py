"""The `tracking_fields` toolset: the account's meeting tracking fields; field names are unique."""

from __future__ import annotations

from zoom_mcp.sandbox import records
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.state import Record


def _field(call: Call) -> Record:
    return call.state.tracking_fields.get_or_404(call.params["fieldId"])


def list_tracking_fields(call: Call) -> Reply:
    fields = list(call.state.tracking_fields.values())
    return 200, {"total_records": len(fields), "tracking_fields": fields}


def create_tracking_field(call: Call) -> Reply:
    state = call.state
    name = str(call.fields.get("field") or "").strip()
    if not name:
        raise ZoomHTTPError(400, 300, "Validation Failed: field is required.")
    if any(f["field"].lower() == name.lower() for f in state.tracking_fields.values()):
        raise ZoomHTTPError(400, 300, f"Tracking field already exists: {name}.")
    field_id = state.new_key()
    state.tracking_fields[field_id] = records.tracking_field(field_id, name, call.fields)
    return 201, state.tracking_fields[field_id]


def get_tracking_field(call: Call) -> Reply:
    return 200, _field(call)


def update_tracking_field(call: Call) -> Reply:
    _field(call).update({k: v for k, v in call.fields.items() if k != "id"})
    return 204, None


def delete_tracking_field(call: Call) -> Reply:
    del call.state.tracking_fields[_field(call)["id"]]
    return 204, None


HANDLERS: dict[str, Handler] = {
    "list_tracking_fields": list_tracking_fields,
    "create_tracking_field": create_tracking_field,
    "get_tracking_field": get_tracking_field,
    "update_tracking_field": update_tracking_field,
    "delete_tracking_field": delete_tracking_field,
}
