"""The `sip_phones` toolset: SIP phones registered for the account's users (one per user)."""

from __future__ import annotations

from zoom_mcp.sandbox import records
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.engine.pagination import paginate
from zoom_mcp.sandbox.state import Record


def _phone(call: Call) -> Record:
    return call.state.sip_phones.get_or_404(call.params["phoneId"])


def list_sip_phones(call: Call) -> Reply:
    """Every phone, or those whose user's e-mail or name contains `search_key`."""
    key = (call.query.get("search_key") or "").lower()
    phones = [
        p
        for p in call.state.sip_phones.values()
        if not key or key in p["user_email"].lower() or key in p["user_name"].lower()
    ]
    return 200, paginate(call, phones, "phones")


def add_sip_phone(call: Call) -> Reply:
    """For a user of this account who has no SIP phone yet."""
    state = call.state
    body = dict(call.fields)
    state.users.get_or_404(str(body.get("user_email", "")))
    if any(p["user_email"].lower() == body["user_email"].lower() for p in state.sip_phones.values()):
        raise ZoomHTTPError(400, 300, f"SIP phone already exists for user: {body['user_email']}.")
    phone_id = state.new_key()
    state.sip_phones[phone_id] = records.sip_phone(phone_id, body)
    return 201, state.sip_phones[phone_id]


def update_sip_phone(call: Call) -> Reply:
    """PATCH semantics, nested objects (`server`) merged field by field."""
    phone = _phone(call)
    for name, value in call.fields.items():
        if isinstance(value, dict) and isinstance(phone.get(name), dict):
            phone[name] = {**phone[name], **value}
        else:
            phone[name] = value
    return 204, None


def delete_sip_phone(call: Call) -> Reply:
    del call.state.sip_phones[_phone(call)["phone_id"]]
    return 204, None


HANDLERS: dict[str, Handler] = {
    "list_sip_phones": list_sip_phones,
    "add_sip_phone": add_sip_phone,
    "update_sip_phone": update_sip_phone,
    "delete_sip_phone": delete_sip_phone,
}
