"""Account-level settings and lists: meeting templates, tracking fields, TSP, SIP phones, device groups."""

from __future__ import annotations

from typing import Any

from zoom_mcp.sandbox.app import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.common import complete, item_schema, state_of
from zoom_mcp.sandbox.state import paginate

MAX_TSP_ACCOUNTS = 2  # per user, as Zoom allows


def list_meeting_templates(call: Call) -> Reply:
    state = state_of(call)
    user = state.user(call, call.params["userId"])
    templates = [{"type": 1, **t} for t in state.templates.get(user["id"], [])]
    return 200, {"total_records": len(templates), "templates": templates}


# --- tracking fields ------------------------------------------------------------------------------------------


def _field(call: Call) -> dict[str, Any]:
    found = state_of(call).tracking_fields.get(call.params["fieldId"])
    if found is None:
        raise call.error(404, 5110, "Tracking field does not exist: {fieldId}.")
    return found


def list_tracking_fields(call: Call) -> Reply:
    fields = list(state_of(call).tracking_fields.values())
    return 200, {"total_records": len(fields), "tracking_fields": fields}


def create_tracking_field(call: Call) -> Reply:
    state = state_of(call)
    body = call.body or {}
    name = str(body.get("field") or "").strip()
    if not name:
        raise ZoomHTTPError(400, 300, "Validation Failed: field is required.")
    if any(f["field"].lower() == name.lower() for f in state.tracking_fields.values()):
        raise ZoomHTTPError(400, 300, f"Tracking field already exists: {name}.")
    field_id = state.new_key()
    created = {"required": False, "visible": True, "recommended_values": [], **body, "field": name, "id": field_id}
    state.tracking_fields[field_id] = created
    return 201, created


def get_tracking_field(call: Call) -> Reply:
    return 200, _field(call)


def update_tracking_field(call: Call) -> Reply:
    _field(call).update({k: v for k, v in (call.body or {}).items() if k != "id"})
    return 204, None


def delete_tracking_field(call: Call) -> Reply:
    del state_of(call).tracking_fields[_field(call)["id"]]
    return 204, None


# --- TSP ------------------------------------------------------------------------------------------------------


def get_account_tsp(call: Call) -> Reply:
    return 200, state_of(call).tsp


def update_account_tsp(call: Call) -> Reply:
    state_of(call).tsp.update(call.body or {})
    return 204, None


def _tsp_accounts(call: Call) -> list[dict[str, Any]]:
    state = state_of(call)
    if not state.tsp.get("tsp_enabled", True):
        raise call.error(400, 2024, "Account has not enabled TSP.")
    user = state.user(call, call.params["userId"])
    return state.user_tsp.setdefault(user["id"], [])


def _tsp_account(call: Call) -> dict[str, Any]:
    for account in _tsp_accounts(call):
        if account["id"] == call.params["tspId"]:
            return account
    raise call.error(400, 300, "The TSP ID provided does not exist.")


def list_user_tsp_accounts(call: Call) -> Reply:
    accounts = _tsp_accounts(call)
    return 200, {"tsp_accounts": complete(item_schema(call, "tsp_accounts"), accounts)}


def add_user_tsp_account(call: Call) -> Reply:
    accounts = _tsp_accounts(call)
    if len(accounts) >= MAX_TSP_ACCOUNTS:
        raise ZoomHTTPError(400, 300, f"A user can have at most {MAX_TSP_ACCOUNTS} TSP accounts.")
    taken = {a["id"] for a in accounts}
    tsp_id = next(str(i) for i in range(1, MAX_TSP_ACCOUNTS + 2) if str(i) not in taken)  # Zoom numbers them 1, 2
    created = {**(call.body or {}), "id": tsp_id}
    accounts.append(created)
    return 201, created


def get_user_tsp_account(call: Call) -> Reply:
    return 200, complete(call.op.response_schema, _tsp_account(call))


def update_user_tsp_account(call: Call) -> Reply:
    _tsp_account(call).update({k: v for k, v in (call.body or {}).items() if k != "id"})
    return 204, None


def delete_user_tsp_account(call: Call) -> Reply:
    gone = _tsp_account(call)
    accounts = _tsp_accounts(call)
    accounts.remove(gone)
    return 204, None


# --- SIP phones -----------------------------------------------------------------------------------------------


def _phone(call: Call) -> dict[str, Any]:
    value = call.params["phoneId"]
    found = state_of(call).sip_phones.get(value)
    if found is None:
        raise call.error(404, 2305, "SIP phone does not exist: {phone_id}.", phone_id=value)
    return found


def list_sip_phones(call: Call) -> Reply:
    key = (call.query.get("search_key") or "").lower()
    phones = [
        p
        for p in state_of(call).sip_phones.values()
        if not key or key in p["user_email"].lower() or key in p["user_name"].lower()
    ]
    return 200, paginate(call, phones, "phones")


def add_sip_phone(call: Call) -> Reply:
    state = state_of(call)
    body = dict(call.body or {})
    state.user(call, str(body.get("user_email", "")))  # the phone belongs to a user of this account
    if any(p["user_email"].lower() == body["user_email"].lower() for p in state.sip_phones.values()):
        raise ZoomHTTPError(400, 300, f"SIP phone already exists for user: {body['user_email']}.")
    phone_id = state.new_key()
    created = {"registration_expire_time": 60, "display_number": "", "voice_mail": "", **body, "phone_id": phone_id}
    state.sip_phones[phone_id] = created
    return 201, created


def update_sip_phone(call: Call) -> Reply:
    phone = _phone(call)
    for name, value in (call.body or {}).items():
        if isinstance(value, dict) and isinstance(phone.get(name), dict):
            phone[name] = {**phone[name], **value}
        else:
            phone[name] = value
    return 204, None


def delete_sip_phone(call: Call) -> Reply:
    del state_of(call).sip_phones[_phone(call)["phone_id"]]
    return 204, None


# --- devices --------------------------------------------------------------------------------------------------


def assign_device_to_group(call: Call) -> Reply:
    state = state_of(call)
    device = state.devices.get(call.params["deviceId"])
    if device is None:
        raise call.error(404, 30055012, "Device does not exist.")
    group_id = call.query.get("group_id") or ""
    if not any(g["zdm_group_id"] == group_id for g in state.zdm_groups):
        raise call.error(400, 30052010, "Group does not exist.")
    device["zdm_group_id"] = group_id
    return 204, None


HANDLERS: dict[str, Handler] = {
    "list_meeting_templates": list_meeting_templates,
    "list_tracking_fields": list_tracking_fields,
    "create_tracking_field": create_tracking_field,
    "get_tracking_field": get_tracking_field,
    "update_tracking_field": update_tracking_field,
    "delete_tracking_field": delete_tracking_field,
    "get_account_tsp": get_account_tsp,
    "update_account_tsp": update_account_tsp,
    "list_user_tsp_accounts": list_user_tsp_accounts,
    "add_user_tsp_account": add_user_tsp_account,
    "get_user_tsp_account": get_user_tsp_account,
    "update_user_tsp_account": update_user_tsp_account,
    "delete_user_tsp_account": delete_user_tsp_account,
    "list_sip_phones": list_sip_phones,
    "add_sip_phone": add_sip_phone,
    "update_sip_phone": update_sip_phone,
    "delete_sip_phone": delete_sip_phone,
    "assign_device_to_group": assign_device_to_group,
}
