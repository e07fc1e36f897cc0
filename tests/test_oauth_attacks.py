"""`--auth oauth` refuses what it must: the resource server's 401/403, token audience, PKCE, redirect URIs,
state, scopes, a stolen token with another person's session, replayed codes, reused refresh tokens, expired
and revoked tokens, forged consent posts. Each attack is played with plain HTTP against the real server
(on the test's pinned clock), and nothing it tries reaches Zoom as someone else."""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx2
import pytest
from cryptography.fernet import Fernet
from mcp.client.auth import PKCEParameters

from tests.oauth_harness import Browser, RawClient, code_of, serving, signed_in_tokens
from zoom_mcp.clock import FixedClock
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.sandbox.fixtures.people import OWNER_ID, SAM_ID

pytestmark = pytest.mark.anyio


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


async def test_the_resource_server_answers_401_with_its_metadata_and_403_naming_the_scope(
    sandbox: Sandbox, clock: FixedClock
) -> None:
    async with serving(sandbox, clock) as served:
        client = RawClient(served)
        bare = await client.mcp(None)
        assert bare.status_code == 401
        challenge = bare.headers["www-authenticate"]
        prm_url = f"{served.base}/.well-known/oauth-protected-resource/mcp"
        assert challenge.startswith("Bearer ") and f'resource_metadata="{prm_url}"' in challenge
        prm = (await client.http.get(prm_url)).json()
        assert prm["resource"] == served.mcp_url and prm["authorization_servers"] == [served.base]
        assert prm["scopes_supported"] == ["zoom.read", "zoom.write"]
        meta = (await client.http.get(f"{served.base}/.well-known/oauth-authorization-server")).json()
        assert meta["issuer"] == served.base and meta["code_challenge_methods_supported"] == ["S256"]
        assert meta["client_id_metadata_document_supported"] is True and meta["registration_endpoint"]
        assert "none" in meta["token_endpoint_auth_methods_supported"] and meta["revocation_endpoint"]
        assert (await client.mcp("zmcp_at_made-up")).status_code == 401

        # A token narrowed (by a refresh, as the spec allows) to zoom.write alone lacks zoom.read: 403 naming it.
        raw, person, tokens = await signed_in_tokens(served, OWNER_ID)
        narrowed = await raw.refresh(tokens["refresh_token"], scope="zoom.write")
        assert narrowed.status_code == 200 and narrowed.json()["scope"] == "zoom.write"
        forbidden = await raw.mcp(narrowed.json()["access_token"])
        assert forbidden.status_code == 403
        assert 'error="insufficient_scope"' in forbidden.headers["www-authenticate"]
        assert "zoom.read" in forbidden.json()["error_description"]
        for closing in (client, raw, person):
            await closing.aclose()


async def test_tokens_are_only_for_this_server_and_this_endpoint(
    sandbox: Sandbox, clock: FixedClock, tmp_path: Path
) -> None:
    shared = {
        "ZOOM_MCP_OAUTH_STORE": str(tmp_path / "shared.sqlite3"),
        "ZOOM_MCP_OAUTH_KEY": Fernet.generate_key().decode(),
    }
    async with serving(sandbox, clock, shared) as first, serving(sandbox, clock, shared) as second:
        raw, person, tokens = await signed_in_tokens(second, OWNER_ID)
        assert (await RawClient(second).mcp(tokens["access_token"])).status_code == 200
        # The same store, the same key, another server: its token's audience is not this server.
        assert (await RawClient(first).mcp(tokens["access_token"])).status_code == 401

        # A token for this server's SSE endpoint is not one for /mcp.
        pkce = PKCEParameters.generate()
        url = raw.authorize_url(pkce.code_challenge, resource=f"{second.base}/sse")
        sse_code = code_of(await person.sign_in(url, OWNER_ID, choice="allow")).code
        sse = (await raw.exchange(sse_code, pkce.code_verifier)).json()
        assert (await raw.mcp(sse["access_token"])).status_code == 401

        # Asking for a token for someone else's server is refused at /authorize (RFC 8707 invalid_target).
        url = raw.authorize_url(PKCEParameters.generate().code_challenge, resource="https://evil.example/mcp")
        answer = await person.get(url)
        assert answer.status_code == 302 and query_of(answer.headers["location"])["error"] == "invalid_target"
        await raw.aclose()
        await person.aclose()


async def test_pkce_is_required_s256_only_and_checked(sandbox: Sandbox, clock: FixedClock) -> None:
    async with serving(sandbox, clock) as served:
        raw, person = RawClient(served), Browser()
        assert (await raw.register()).status_code == 201
        no_challenge = await person.get(raw.authorize_url(""))
        assert query_of(no_challenge.headers["location"])["error"] == "invalid_request"
        plain = await person.get(raw.authorize_url("x" * 43, code_challenge_method="plain"))
        assert query_of(plain.headers["location"])["error"] == "invalid_request"

        pkce = PKCEParameters.generate()
        code = code_of(await person.sign_in(raw.authorize_url(pkce.code_challenge), OWNER_ID)).code
        wrong = await raw.exchange(code, PKCEParameters.generate().code_verifier)
        assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
        # The code was spent by that attempt: the right verifier no longer gets a token either.
        assert (await raw.exchange(code, pkce.code_verifier)).json()["error"] == "invalid_grant"
        await raw.aclose()
        await person.aclose()


async def test_redirect_uris_are_exact_and_safe(sandbox: Sandbox, clock: FixedClock) -> None:
    async with serving(sandbox, clock) as served:
        raw, person = RawClient(served), Browser()
        for bad in (
            "http://evil.example/cb",
            "javascript:alert(1)",
            "https://ok.example/cb#frag",
            "data:text/html,x",
            "https://claude.ai@evil.example/cb",  # the consent page would show "claude.ai" before the @
            "http://:x@127.0.0.1/cb",
        ):
            refused = await RawClient(served, redirect_uri=bad).register()
            assert refused.status_code == 400 and refused.json()["error"] == "invalid_redirect_uri", bad
        assert (await raw.register()).status_code == 201
        pkce = PKCEParameters.generate()
        # Another redirect URI than the registered one: an error page, never a redirect there.
        swapped = await person.get(raw.authorize_url(pkce.code_challenge, redirect_uri="https://evil.example/cb"))
        assert swapped.status_code == 400 and "evil.example" not in swapped.headers.get("location", "")
        # A loopback redirect URI may come back on another port (RFC 8252); its path may not change.
        moved = await person.get(raw.authorize_url(pkce.code_challenge, redirect_uri="http://127.0.0.1:7777/callback"))
        assert moved.status_code == 302 and "/oauth/consent" in moved.headers["location"]
        other_path = await person.get(raw.authorize_url(pkce.code_challenge, redirect_uri="http://127.0.0.1:9/other"))
        assert other_path.status_code == 400
        # At /token the redirect URI must be the one the code was issued for.
        code = code_of(await person.sign_in(raw.authorize_url(pkce.code_challenge), OWNER_ID)).code
        changed = await raw.exchange(code, pkce.code_verifier, redirect_uri="http://127.0.0.1:9/elsewhere")
        assert changed.status_code == 400 and changed.json()["error"] == "invalid_request"
        await raw.aclose()
        await person.aclose()


async def test_state_comes_back_unchanged_and_zoom_callbacks_are_bound_to_their_browser(
    sandbox: Sandbox, clock: FixedClock
) -> None:
    async with serving(sandbox, clock) as served:
        raw, person = RawClient(served), Browser()
        assert (await raw.register()).status_code == 201
        state = secrets.token_urlsafe(24)
        landed = await person.sign_in(
            raw.authorize_url(PKCEParameters.generate().code_challenge, state=state), OWNER_ID
        )
        assert query_of(landed)["state"] == state and query_of(landed)["iss"] == served.base

        # Zoom's callback with a state this server never issued.
        forged = await person.get(f"{served.base}/oauth/zoom/callback?code=x&state=made-up")
        assert forged.status_code == 400
        # A login CSRF: the attacker starts a sign-in, then feeds the victim's browser the callback.
        attacker, victim = Browser(), Browser()
        answer = await attacker.get(raw.authorize_url(PKCEParameters.generate().code_challenge))
        consent = await attacker.get(answer.headers["location"])
        to_zoom = await attacker.submit(consent, "zoom")
        page = await attacker.get(to_zoom.headers["location"])
        link = re.search(rf"id='as-{SAM_ID}' href='([^']+)'", page.text)
        assert link is not None
        zoom_answer = await attacker.get(
            str(httpx2.URL(to_zoom.headers["location"]).join(link.group(1).replace("&amp;", "&")))
        )
        callback = zoom_answer.headers["location"]
        stolen = await victim.get(callback)  # the victim's browser has no binding cookie for this sign-in
        assert stolen.status_code == 403 and "another browser" in stolen.text
        assert "__Host-zoom-mcp-session" not in victim.cookies
        for closing in (raw, person, attacker, victim):
            await closing.aclose()


async def test_scopes_are_ours_and_a_read_only_sign_in_gets_read_tools(sandbox: Sandbox, clock: FixedClock) -> None:
    async with serving(sandbox, clock) as served:
        raw, person = RawClient(served), Browser()
        assert (await raw.register()).status_code == 201
        unknown = await person.get(raw.authorize_url(PKCEParameters.generate().code_challenge, scope="zoom.admin"))
        assert query_of(unknown.headers["location"])["error"] == "invalid_scope"
        pkce = PKCEParameters.generate()
        landed = await person.sign_in(raw.authorize_url(pkce.code_challenge), OWNER_ID, write=False)
        tokens = (await raw.exchange(code_of(landed).code, pkce.code_verifier)).json()
        assert tokens["scope"] == "zoom.read"  # the person unticked "make changes"
        init = await raw.mcp(tokens["access_token"])
        session = init.headers["mcp-session-id"]
        headers = {"Mcp-Session-Id": session, "Mcp-Protocol-Version": "2025-11-25"}
        await raw.mcp(tokens["access_token"], {"jsonrpc": "2.0", "method": "notifications/initialized"}, **headers)
        listed = await raw.mcp(tokens["access_token"], {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}, **headers)
        names = {t["name"] for t in _result(listed)["tools"]}
        assert "list_user_recordings" in names and "delete_meeting" not in names and "create_meeting" not in names
        call = {"name": "create_meeting", "arguments": {"userId": "me", "topic": "x"}}
        refused = await raw.mcp(
            tokens["access_token"], {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": call}, **headers
        )
        assert "zoom.write" in json.dumps(_result(refused)) and sandbox.mutating_requests() == []
        await raw.aclose()
        await person.aclose()


def _result(answer: httpx2.Response) -> dict[str, object]:
    text = answer.text
    if answer.headers.get("content-type", "").startswith("text/event-stream"):
        text = next(line[5:] for line in text.splitlines() if line.startswith("data:") and line[5:].strip())
    return json.loads(text)["result"]


async def test_a_stolen_token_does_not_work_with_another_persons_session(sandbox: Sandbox, clock: FixedClock) -> None:
    async with serving(sandbox, clock) as served:
        a_client, a_person, a_tokens = await signed_in_tokens(served, OWNER_ID)
        b_client, b_person, b_tokens = await signed_in_tokens(served, SAM_ID)
        b_session = (await b_client.mcp(b_tokens["access_token"])).headers["mcp-session-id"]
        stolen = await b_client.mcp(
            a_tokens["access_token"],
            {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
            **{"Mcp-Session-Id": b_session, "Mcp-Protocol-Version": "2025-11-25"},
        )
        assert stolen.status_code == 404  # as if B's session did not exist
        for closing in (a_client, a_person, b_client, b_person):
            await closing.aclose()


async def test_a_replayed_code_is_refused_and_revokes_what_it_gave(sandbox: Sandbox, clock: FixedClock) -> None:
    async with serving(sandbox, clock) as served:
        raw, person = RawClient(served), Browser()
        assert (await raw.register()).status_code == 201
        pkce = PKCEParameters.generate()
        code = code_of(await person.sign_in(raw.authorize_url(pkce.code_challenge), OWNER_ID)).code
        first = await raw.exchange(code, pkce.code_verifier)
        assert first.status_code == 200
        assert (await raw.mcp(first.json()["access_token"])).status_code == 200
        replay = await raw.exchange(code, pkce.code_verifier)
        assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
        assert (await raw.mcp(first.json()["access_token"])).status_code == 401  # revoked by the replay
        assert (await raw.refresh(first.json()["refresh_token"])).json()["error"] == "invalid_grant"
        await raw.aclose()
        await person.aclose()


async def test_refresh_tokens_rotate_and_a_reused_one_revokes_the_family(sandbox: Sandbox, clock: FixedClock) -> None:
    async with serving(sandbox, clock) as served:
        raw, person, tokens = await signed_in_tokens(served, OWNER_ID)
        rotated = await raw.refresh(tokens["refresh_token"])
        assert rotated.status_code == 200 and rotated.json()["refresh_token"] != tokens["refresh_token"]
        newest = rotated.json()
        assert (await raw.mcp(newest["access_token"])).status_code == 200
        reused = await raw.refresh(tokens["refresh_token"])  # the old one, as a thief would
        assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
        assert (await raw.mcp(newest["access_token"])).status_code == 401  # the whole family is revoked
        assert (await raw.refresh(newest["refresh_token"])).json()["error"] == "invalid_grant"
        # Another client cannot use someone's refresh token either.
        other = RawClient(served)
        assert (await other.register()).status_code == 201
        _, _, fresh = await signed_in_tokens(served, OWNER_ID)
        assert (await other.refresh(fresh["refresh_token"])).json()["error"] == "invalid_grant"
        for closing in (raw, person, other):
            await closing.aclose()


async def test_expired_and_revoked_tokens_are_refused(sandbox: Sandbox, clock: FixedClock) -> None:
    async with serving(sandbox, clock) as served:
        raw, person, tokens = await signed_in_tokens(served, OWNER_ID)
        assert tokens["expires_in"] == 3600
        clock.advance(3601)
        assert (await raw.mcp(tokens["access_token"])).status_code == 401  # expired
        renewed = (await raw.refresh(tokens["refresh_token"])).json()
        assert (await raw.mcp(renewed["access_token"])).status_code == 200
        clock.advance(31 * 86400)
        assert (await raw.refresh(renewed["refresh_token"])).json()["error"] == "invalid_grant"  # expired too
        await raw.aclose()
        await person.aclose()


async def test_revocation_ends_the_family(sandbox: Sandbox, clock: FixedClock) -> None:
    async with serving(sandbox, clock) as served:
        raw, person, tokens = await signed_in_tokens(served, OWNER_ID)
        answer = await raw.http.post(
            f"{served.base}/revoke", data={"client_id": raw.client_id, "token": tokens["refresh_token"]}
        )
        assert answer.status_code == 200
        assert (await raw.mcp(tokens["access_token"])).status_code == 401
        assert (await raw.refresh(tokens["refresh_token"])).json()["error"] == "invalid_grant"
        await raw.aclose()
        await person.aclose()


async def test_the_consent_page_takes_decisions_only_from_itself(sandbox: Sandbox, clock: FixedClock) -> None:
    async with serving(sandbox, clock) as served:
        raw, person = RawClient(served), Browser()
        assert (await raw.register(client_name="<script>alert(1)</script>")).status_code == 201
        answer = await person.get(raw.authorize_url(PKCEParameters.generate().code_challenge, state="st"))
        consent = await person.get(answer.headers["location"])
        assert "<script>alert(1)" not in consent.text and "&lt;script&gt;" in consent.text
        assert "registered itself" in consent.text and "http://127.0.0.1:9" in consent.text
        assert (
            consent.headers["x-frame-options"] == "DENY"
            and "frame-ancestors 'none'" in consent.headers["content-security-policy"]
        )
        fields = dict(re.findall(r"<input type=hidden name=(\w+) value='([^']*)'>", consent.text))
        target = f"{served.base}/oauth/consent"
        elsewhere = await person.request(
            "POST", target, data={**fields, "choice": "zoom"}, headers={"Origin": "https://evil.example"}
        )
        assert elsewhere.status_code == 403  # the allow-list or the page's own check
        forged = await person.request(
            "POST", target, data={**fields, "csrf": "guess", "choice": "zoom"}, headers={"Origin": served.base}
        )
        assert forged.status_code == 403
        cancelled = await person.submit(consent, "deny")
        assert query_of(cancelled.headers["location"]) == {"error": "access_denied", "iss": served.base, "state": "st"}
        await raw.aclose()
        await person.aclose()


async def test_the_client_cannot_overrule_the_persons_choice_of_scopes(sandbox: Sandbox, clock: FixedClock) -> None:
    """The client knows its consent page's address (it may open the browser there itself) and so can read the
    page's hidden fields and post them with any `Origin`. Once the person has left for Zoom without "make
    changes", such a post must not turn their sign-in into one that allows changes."""
    async with serving(sandbox, clock) as served:
        raw, person, client_side = RawClient(served), Browser(), Browser()
        assert (await raw.register()).status_code == 201
        pkce = PKCEParameters.generate()
        consent_url = (await client_side.get(raw.authorize_url(pkce.code_challenge))).headers["location"]
        to_zoom = await person.submit(await person.get(consent_url), "zoom")  # "make changes" left unticked
        overruled = await client_side.submit(await client_side.get(consent_url), "zoom", write="1")
        assert overruled.status_code in (302, 400)
        landed = (await person.zoom_sign_in(to_zoom.headers["location"], OWNER_ID)).headers["location"]
        tokens = (await raw.exchange(code_of(landed).code, pkce.code_verifier)).json()
        assert tokens["scope"] == "zoom.read"
        for closing in (raw, person, client_side):
            await closing.aclose()


async def test_one_address_cannot_flood_registration_or_guess_codes_without_end(
    sandbox: Sandbox, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    """Anyone who reaches the server may register and ask for tokens: each of /register, /authorize, /token and
    the consent page takes at most --oauth-rate-limit requests a window from one address, then answers 429 with
    Retry-After before the endpoint runs, and logs the address (it once took registrations without end)."""
    env = {"ZOOM_MCP_OAUTH_RATE_LIMIT": "5/minute"}
    async with serving(sandbox, clock, env) as served:
        client = RawClient(served)
        answers = [(await client.register(client_name=f"flood {n}")).status_code for n in range(8)]
        assert answers == [201] * 5 + [429] * 3
        refused = await client.register(client_name="one more")
        assert refused.status_code == 429 and refused.headers["retry-after"] == "60"
        assert refused.json()["error"] == "too_many_requests"
        assert "sign-in endpoint /register refused for 127.0.0.1" in caplog.text
        # each endpoint has its own count: guessing codes at /token stops too, while /authorize still answers
        guesses = [
            (await client.token(grant_type="authorization_code", code=f"guess-{n}", code_verifier="v" * 43)).status_code
            for n in range(7)
        ]
        assert guesses[:5] == [400] * 5 and guesses[5:] == [429, 429]
        pkce = PKCEParameters.generate()
        shown = await client.http.get(client.authorize_url(pkce.code_challenge), follow_redirects=False)
        assert shown.status_code in (302, 303)
        # behind a proxy on loopback the forwarded address is the one counted: another person is not refused
        # (the test's client is on loopback, as the proxy would be)
        other = await client.http.post(
            f"{served.base}/register",
            json={"client_name": "behind the proxy", "redirect_uris": [client.redirect_uri]},
            headers={"X-Forwarded-For": "203.0.113.7"},
        )
        assert other.status_code == 201
        assert "refused for 203.0.113.7" not in caplog.text
        # a CORS preflight is not counted, and nothing above stopped the MCP endpoint's own 401
        assert (await client.http.options(f"{served.base}/token")).status_code != 429
        assert (await client.http.post(served.mcp_url, json={})).status_code == 401
