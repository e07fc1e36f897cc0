"""The `tsp` toolset: the account's TSP (telephony service provider) settings and users' TSP accounts."""

from __future__ import annotations

from zoom_mcp.sandbox import records
from zoom_mcp.sandbox.engine.calls import Call, Handler, Reply, ZoomHTTPError
from zoom_mcp.sandbox.engine.gateway import complete, item_schema
from zoom_mcp.sandbox.state import TSP_ACCOUNT, Record, find_or_404

MAX_TSP_ACCOUNTS = 2  # per user, as Zoom allows


def get_account_tsp(call: Call) -> Reply:
    return 200, call.state.tsp


def update_account_tsp(call: Call) -> Reply:
    call.state.tsp.update(call.fields)
    return 204, None


def _accounts(call: Call) -> list[Record]:
    """The path user's TSP accounts; Zoom's 2024 when the account has TSP turned off."""
    state = call.state
    if not state.tsp.get("tsp_enabled", True):
        raise call.error(400, 2024, "Account has not enabled TSP.")
    user = state.users.get_or_404(call.params["userId"])
    return state.user_tsp.setdefault(user["id"], [])


def _account(call: Call) -> Record:
    return find_or_404(_accounts(call), TSP_ACCOUNT, call.params["tspId"], "id")


def list_user_tsp_accounts(call: Call) -> Reply:
    return 200, {"tsp_accounts": complete(item_schema(call, "tsp_accounts"), _accounts(call))}


def add_user_tsp_account(call: Call) -> Reply:
    """At most two per user, numbered 1 and 2 as Zoom numbers them."""
    accounts = _accounts(call)
    if len(accounts) >= MAX_TSP_ACCOUNTS:
        raise ZoomHTTPError(400, 300, f"A user can have at most {MAX_TSP_ACCOUNTS} TSP accounts.")
    taken = {a["id"] for a in accounts}
    tsp_id = next(str(i) for i in range(1, MAX_TSP_ACCOUNTS + 2) if str(i) not in taken)
    created = records.tsp_account(tsp_id, call.fields)
    accounts.append(created)
    return 201, created


def get_user_tsp_account(call: Call) -> Reply:
    return 200, complete(call.op.response_schema, _account(call))


def update_user_tsp_account(call: Call) -> Reply:
    _account(call).update({k: v for k, v in call.fields.items() if k != "id"})
    return 204, None


def delete_user_tsp_account(call: Call) -> Reply:
    gone = _account(call)
    accounts = _accounts(call)
    accounts[:] = [a for a in accounts if a is not gone]
    return 204, None


def set_user_tsp_dial_in_url(call: Call) -> Reply:
    """The user's global dial-in page (`audio_url`), kept with the user's TSP settings; "" clears it."""
    state = call.state
    if not state.tsp.get("tsp_enabled", True):
        raise call.error(400, 2024, "Account has not enabled TSP.")
    user = state.users.get_or_404(call.params["userId"])
    state.user_tsp_settings.setdefault(user["id"], {})["audio_url"] = call.fields.get("audio_url") or ""
    return 204, None


HANDLERS: dict[str, Handler] = {
    "get_account_tsp": get_account_tsp,
    "update_account_tsp": update_account_tsp,
    "list_user_tsp_accounts": list_user_tsp_accounts,
    "add_user_tsp_account": add_user_tsp_account,
    "get_user_tsp_account": get_user_tsp_account,
    "update_user_tsp_account": update_user_tsp_account,
    "delete_user_tsp_account": delete_user_tsp_account,
    "set_user_tsp_dial_in_url": set_user_tsp_dial_in_url,
}
