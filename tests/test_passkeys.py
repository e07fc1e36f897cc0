"""Passkeys for `--confirm human`: the store, enrolment and removal rules, the RP IDs, the start-up refusal,
the public URL, and the headers of every page."""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

import httpx2
import pytest
from mcp import Client

from tests.authenticator import SoftAuthenticator, enrol
from tests.conftest import running, sandbox_settings
from tests.test_approvals import MEETING, PASSKEY, enrolled_config, first_call, human, webauthn_options
from zoom_mcp.app.commands.serve import check_bind
from zoom_mcp.clock import FixedClock
from zoom_mcp.errors import ConfigError, PasskeyRefused
from zoom_mcp.safety.enrollment import start
from zoom_mcp.safety.passkeys import PasskeyStore, RelyingParty, approval_challenge, short_id
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.transport.approval_server import page_server
from zoom_mcp.transport.passkey_pages import routes

LOCAL = RelyingParty.at("http://localhost:9")


def test_the_store_keeps_public_keys_only_owner_only(tmp_path: Path) -> None:
    store = enrol(tmp_path, SoftAuthenticator())
    path = tmp_path / "passkeys.json"
    assert path.stat().st_mode & 0o077 == 0
    [entry] = json.loads(path.read_text())["passkeys"]
    assert set(entry) == {"id", "public_key", "sign_count", "rp_id", "name", "created", "aaguid"}
    assert store.all()[0].rp_id == "localhost"
    path.chmod(0o666)  # someone else could add a key: refused, not trusted
    with pytest.raises(ConfigError, match="owner-only"):
        store.all()


def test_relying_parties_need_a_secure_context_and_a_host_name() -> None:
    assert RelyingParty.at("http://localhost:8123") == RelyingParty("http://localhost:8123", "localhost")
    assert RelyingParty.at("https://mcp.example.com/zoom").rp_id == "mcp.example.com"
    for bad in ("http://127.0.0.1:8000", "http://mcp.example.com", "https://10.0.0.5", "http://[::1]:80"):
        with pytest.raises(ConfigError):
            RelyingParty.at(bad)


def test_the_challenge_is_bound_to_the_call() -> None:
    nonce = secrets.token_bytes(32)
    one, other = "ab" * 32, "cd" * 32
    assert approval_challenge(nonce, one) != approval_challenge(nonce, other)
    assert approval_challenge(nonce, one) != approval_challenge(secrets.token_bytes(32), one)


def test_a_further_passkey_and_a_removal_need_an_enrolled_one(tmp_path: Path) -> None:
    first, second = SoftAuthenticator(), SoftAuthenticator()
    store = PasskeyStore.in_dir(tmp_path)
    opening = start("enroll", store, LOCAL, ttl=60, name="first")
    assert not opening.needs_authorization  # the first one: the terminal is enough
    options = {k: json.loads(v) for k, v in opening.options().items()}
    opening.complete(opening.csrf, "", first.create(options["create"], LOCAL.origin))
    with pytest.raises(PasskeyRefused, match="used already"):
        opening.complete(opening.csrf, "", "")

    further = start("enroll", store, LOCAL, ttl=60, name="second")
    options = {k: json.loads(v) for k, v in further.options().items()}
    assert set(options) == {"get", "create"}
    attestation = second.create(options["create"], LOCAL.origin)
    with pytest.raises(PasskeyRefused):  # without an assertion from an enrolled passkey
        further.complete(further.csrf, "", attestation)
    with pytest.raises(PasskeyRefused):  # with one from the passkey being added (not enrolled yet)
        further.complete(further.csrf, second.get(options["get"], LOCAL.origin), attestation)
    assert len(store.all()) == 1
    further.complete(further.csrf, first.get(options["get"], LOCAL.origin), attestation)
    assert [p.name for p in store.all()] == ["first", "second"]

    removal = start("remove", store, LOCAL, ttl=60, target=short_id(store.all()[1].id))
    get = json.loads(removal.options()["get"])
    with pytest.raises(PasskeyRefused):
        removal.complete(removal.csrf, SoftAuthenticator().get(get, LOCAL.origin), "")
    removal.complete(removal.csrf, first.get(get, LOCAL.origin), "")
    assert [p.name for p in store.all()] == ["first"]


def test_a_ceremony_expires_on_the_clock(tmp_path: Path, clock: FixedClock) -> None:
    opening = start("enroll", PasskeyStore.in_dir(tmp_path), LOCAL, ttl=60, clock=clock, name="late")
    options = json.loads(opening.options()["create"])
    clock.advance(61)
    with pytest.raises(PasskeyRefused, match="expired"):
        opening.complete(opening.csrf, "", SoftAuthenticator().create(options, LOCAL.origin))


@pytest.mark.anyio
async def test_the_enrolment_page_checks_origin_and_host(tmp_path: Path) -> None:
    holder = []
    async with page_server(routes(holder)) as port:
        rp = RelyingParty.at(f"http://localhost:{port}")
        ceremony = start("enroll", PasskeyStore.in_dir(tmp_path), rp, ttl=60, name="x")
        holder.append(ceremony)
        url = f"{rp.origin}/enroll/{ceremony.token}"
        async with httpx2.AsyncClient() as http:
            page = await http.get(url)
            assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
            assert (await http.get(f"{rp.origin}/enroll/wrong")).status_code == 404
            assert (await http.get(url, headers={"Host": f"evil.example:{port}"})).status_code == 403
            options = webauthn_options(page.text)["create"]
            form = {"csrf": ceremony.csrf, "attestation": SoftAuthenticator().create(options, rp.origin)}
            foreign = await http.post(url, data=form, headers={"Origin": f"http://127.0.0.1:{port}"})
            assert foreign.status_code == 403 and not ceremony.done.is_set()
            done = await http.post(url, data=form, headers={"Origin": rp.origin})
            assert done.status_code == 200 and "Enrolled passkey" in done.text
            assert (await http.get(url)).status_code == 404  # once


@pytest.mark.anyio
async def test_confirm_human_without_a_passkey_refuses_to_start_and_says_how(
    sandbox: Sandbox, clock: FixedClock, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError, match="zoom-mcp approvals enroll"):
        async with running(sandbox, clock, {"ZOOM_MCP_CONFIG_DIR": str(tmp_path)}, confirm="human"):
            pass
    enrol(tmp_path, SoftAuthenticator(), "https://mcp.example.com")  # a passkey for another host
    with pytest.raises(ConfigError, match="none is enrolled for localhost"):
        async with running(sandbox, clock, {"ZOOM_MCP_CONFIG_DIR": str(tmp_path)}, confirm="human"):
            pass


@pytest.mark.anyio
async def test_pages_are_not_cached_send_no_referrer_and_say_a_passkey_is_needed(
    sandbox: Sandbox, clock: FixedClock
) -> None:
    async with human(sandbox, clock) as server, Client(server) as client:
        _, person = await first_call(client)
        async with httpx2.AsyncClient() as http:
            page = await http.get(person.url)
    assert page.headers["cache-control"] == "no-store" and page.headers["referrer-policy"] == "no-referrer"
    assert "script-src 'nonce-" in page.headers["content-security-policy"]
    assert "your passkey" in page.text and "Your assistant cannot give it" in page.text
    options = webauthn_options(page.text)["get"]
    assert options["userVerification"] == "required" and options["rpId"] == "localhost"
    assert [c["id"] for c in options["allowCredentials"]]  # only enrolled passkeys are asked for


def test_settings_public_url_and_binds() -> None:
    settings = sandbox_settings(public_url="https://mcp.example.com/", transport="http")
    assert settings.public_url == "https://mcp.example.com" and settings.pages_public_url == settings.public_url
    assert sandbox_settings(public_url="https://mcp.example.com").pages_public_url is None  # stdio: local pages
    for bad in ("http://mcp.example.com", "https://10.1.2.3", "ftp://x"):
        with pytest.raises(ConfigError, match="--public-url"):
            sandbox_settings(public_url=bad)
    public = {"ZOOM_MCP_AUTH_TOKEN": "t"}
    with pytest.raises(ConfigError, match="needs --public-url"):
        check_bind(sandbox_settings(public, transport="http", host="0.0.0.0", confirm="human"))
    check_bind(sandbox_settings(public, transport="http", host="0.0.0.0", confirm="human", public_url="https://a.b"))


def test_over_http_with_a_public_url_every_link_starts_with_it(tmp_path: Path) -> None:
    import anyio
    from mcp.client.streamable_http import streamable_http_client

    from tests.http_server import zoom_mcp_http

    enrol(tmp_path, PASSKEY, "https://mcp.example.com")
    env = {"ZOOM_MCP_CONFIG_DIR": str(tmp_path), "ZOOM_MCP_PUBLIC_URL": "https://mcp.example.com"}

    async def first_link(base: str) -> str:
        async with Client(streamable_http_client(f"{base}/mcp")) as client:
            result = await client.call_tool("delete_meeting", MEETING)
        return str(result.structured_content["approval_url"])

    with zoom_mcp_http("--sandbox", "--confirm", "human", env=env) as base:
        link = anyio.run(first_link, base)
        public_host = httpx2.get(f"{base}/approvals/unknown", headers={"Host": "mcp.example.com"})
        other_host = httpx2.get(f"{base}/approvals/unknown", headers={"Host": "evil.example"})
    assert re.fullmatch(r"https://mcp\.example\.com/approvals/[\w-]{40,}", link), link
    assert public_host.status_code == 404 and other_host.status_code == 403


@pytest.mark.anyio
async def test_stdio_approval_links_are_localhost_even_with_a_public_url(sandbox: Sandbox, clock: FixedClock) -> None:
    with enrolled_config() as env:
        env["ZOOM_MCP_PUBLIC_URL"] = "https://mcp.example.com"
        async with running(sandbox, clock, env, confirm="human") as app, Client(app.server) as client:
            assert app.approvals is not None
            from zoom_mcp.transport.approval_server import approval_server

            async with approval_server(app.approvals) as base:
                _, person = await first_call(client)
    assert base.startswith("http://localhost:") and person.url.startswith(base)


def test_the_approvals_command_lists_and_enrols_only_from_a_terminal(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("ZOOM_")} | {"ZOOM_MCP_CONFIG_DIR": str(tmp_path)}

    def approvals(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "zoom_mcp", "approvals", *args]
        return subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, timeout=60)

    assert "No passkey is enrolled" in approvals("list").stderr
    enrol(tmp_path, SoftAuthenticator(id_prefix=b"\xf8"))
    # An ID that starts with "-" (1 in 64 do) must still be one 'remove' can take as 'list' shows it.
    assert PasskeyStore.in_dir(tmp_path).all()[0].id.startswith("-")
    listed = approvals("list")
    assert listed.returncode == 0 and "localhost" in listed.stdout and "test passkey" in listed.stdout
    for action in (("enroll",), ("remove", listed.stdout.split()[0])):
        refused = approvals(*action)
        assert refused.returncode == 2 and "from a terminal" in refused.stderr
    assert len(PasskeyStore.in_dir(tmp_path).all()) == 1
