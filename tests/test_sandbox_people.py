"""The sandbox's several users signing in as themselves: each gets their own scopes, `me` is them, and a
member sees only their own recordings; `GET /v2/users/me` says who a token belongs to."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta
from urllib.parse import quote

import httpx2
import pytest

from zoom_mcp.sandbox import SANDBOX_CREDENTIALS, Sandbox
from zoom_mcp.sandbox.fixtures.account import BUDGET_UUID, CUSTOMER_UUID
from zoom_mcp.sandbox.fixtures.people import OWNER_EMAIL, OWNER_ID, SAM_EMAIL, SAM_ID

pytestmark = pytest.mark.anyio
VERIFIER = "v" * 50
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).decode().rstrip("=")
REDIRECT = "http://127.0.0.1:9/callback"


async def token_for(http: httpx2.AsyncClient, user: str | None) -> dict[str, str]:
    query = {
        "response_type": "code",
        "client_id": SANDBOX_CREDENTIALS.client_id,
        "redirect_uri": REDIRECT,
        "code_challenge": CHALLENGE,
        "code_challenge_method": "S256",
        **({"sandbox_user": user} if user else {}),
    }
    answer = await http.get("/oauth/authorize", params=query)
    if user is None:
        return {"page": answer.text}
    code = httpx2.URL(answer.headers["location"]).params["code"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": VERIFIER}
    auth = (SANDBOX_CREDENTIALS.client_id, SANDBOX_CREDENTIALS.client_secret)
    return dict((await http.post("/oauth/token", data=form, auth=auth)).json())


async def test_each_user_signs_in_as_themselves_with_their_own_scopes_and_data() -> None:
    sb = Sandbox()
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=sb.app), base_url="http://sb") as http:
        page = (await token_for(http, None))["page"]
        assert f"id='as-{OWNER_ID}'" in page and f"id='as-{SAM_ID}'" in page  # the sign-in page: one link each
        alex, sam = await token_for(http, OWNER_ID), await token_for(http, SAM_ID)
        assert "recording:write:admin" in alex["scope"].split()
        assert sam["scope"].split() == ["meeting:read", "meeting:write", "recording:read", "user:read"]

        def bearer(token: dict[str, str]) -> dict[str, str]:
            return {"Authorization": f"Bearer {token['access_token']}"}

        assert (await http.get("/v2/users/me", headers=bearer(alex))).json()["email"] == OWNER_EMAIL
        me = (await http.get("/v2/users/me", headers=bearer(sam))).json()
        assert (me["id"], me["email"], me["role_name"]) == (SAM_ID, SAM_EMAIL, "Member")
        assert (await http.get("/v2/users/me")).status_code == 401

        today = sb.clock.today()
        params = {"from": (today - timedelta(days=30)).isoformat(), "to": today.isoformat()}
        mine = await http.get("/v2/users/me/recordings", headers=bearer(sam), params=params)
        found = mine.json()["meetings"]
        assert CUSTOMER_UUID in {m["uuid"] for m in found} and {m["host_id"] for m in found} == {SAM_ID}
        # A member cannot read another's recording or list another's; the owner (an admin) can.
        budget = f"/v2/meetings/{quote(BUDGET_UUID, safe='')}/recordings"
        other = await http.get(budget, headers=bearer(sam))
        assert other.status_code == 404
        assert (await http.get(f"/v2/users/{OWNER_ID}/recordings", headers=bearer(sam))).status_code == 400
        assert (
            await http.get(f"/v2/meetings/{quote(BUDGET_UUID, safe='')}/recordings", headers=bearer(alex))
        ).status_code == 200
        # Sam's scopes do not reach deleting recordings: Zoom's own answer names the scopes.
        gone = await http.delete(f"/v2/meetings/{quote(CUSTOMER_UUID, safe='')}/recordings", headers=bearer(sam))
        assert gone.status_code == 400 and "does not contain scopes" in gone.json()["message"]
