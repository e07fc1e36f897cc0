"""`zoom-mcp login`: a person signs in with Zoom's OAuth authorization-code flow and PKCE.

For people who cannot create a Server-to-Server app: a user-managed OAuth app's client ID and
secret (environment, or the keyring from an earlier login; never a flag), a one-shot redirect
listener on 127.0.0.1, the browser opened on Zoom's consent page (the URL is printed too, for
headless machines), `state` checked, the code exchanged with the PKCE verifier, and the refresh
token kept by `CredentialStore`. The server then works as that user (`me`).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import sys
import webbrowser
from dataclasses import dataclass
from typing import TextIO
from urllib.parse import parse_qs, urlencode, urlsplit

import anyio
import httpx2
from anyio.abc import SocketStream

from zoom_mcp.app.credentials import CredentialStore, Login, store_for
from zoom_mcp.app.settings import Settings
from zoom_mcp.errors import LoginError

DEFAULT_PORT = 8765  # the redirect URL to register in the Zoom app: http://127.0.0.1:8765/callback
CALLBACK = "/callback"
PAGE = "<!doctype html><title>zoom-mcp</title><p>{}</p>"


@dataclass(frozen=True)
class LoginRequest:
    client_id: str
    client_secret: str
    authorize_url: str
    token_url: str
    port: int = DEFAULT_PORT
    open_browser: bool = True
    timeout: float = 300.0


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(64)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return verifier, challenge


async def login(request: LoginRequest, store: CredentialStore, out: TextIO = sys.stderr) -> Login:
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(24)
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1", local_port=request.port)
    port = listener.extra(anyio.abc.SocketAttribute.local_port)  # the real port when 0 was asked for
    redirect_uri = f"http://127.0.0.1:{port}{CALLBACK}"
    query = {
        "response_type": "code",
        "client_id": request.client_id,
        "redirect_uri": redirect_uri,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    url = f"{request.authorize_url}?{urlencode(query)}"
    print(f"Sign in to Zoom in your browser. If it does not open, visit:\n{url}", file=out, flush=True)
    if request.open_browser:
        webbrowser.open(url)
    outcome: dict[str, str] = {}
    async with listener:
        with anyio.move_on_after(request.timeout):
            async with anyio.create_task_group() as group:

                async def serve(stream: SocketStream) -> None:
                    if await _callback(stream, state, outcome):
                        group.cancel_scope.cancel()  # one-shot: the first real callback ends listening

                await listener.serve(serve)
    if "error" in outcome:
        raise LoginError(outcome["error"])
    if "code" not in outcome:
        raise LoginError(f"No answer from the browser within {request.timeout:g}s; run 'zoom-mcp login' again.")
    refresh_token = await _exchange(request, outcome["code"], redirect_uri, verifier)
    saved = Login(request.client_id, request.client_secret, refresh_token, request.token_url)
    store.save(saved)
    return saved


async def _callback(stream: SocketStream, state: str, outcome: dict[str, str]) -> bool:
    """Answer one browser request; True when it was the OAuth callback (good or bad)."""
    async with stream:
        try:
            with anyio.fail_after(10):
                head = b""
                while b"\r\n\r\n" not in head and len(head) < 16_384:
                    head += await stream.receive()
        except (TimeoutError, anyio.EndOfStream, anyio.BrokenResourceError):
            return False
        line = head.split(b"\r\n", 1)[0].decode("latin-1")
        method, _, rest = line.partition(" ")
        target = rest.rsplit(" ", 1)[0]
        parts = urlsplit(target)
        if method != "GET" or parts.path != CALLBACK:
            await _reply(stream, 404, "Not found.")
            return False
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if not secrets.compare_digest(params.get("state", ""), state):
            outcome["error"] = "The sign-in answer did not carry this login's state; nothing was stored."
            await _reply(stream, 400, "This sign-in link is not the one zoom-mcp started. Nothing was stored.")
        elif "error" in params:
            outcome["error"] = f"Zoom did not grant access ({params['error'][:100]})."
            await _reply(stream, 400, "Access was not granted. You can close this tab.")
        elif not params.get("code"):
            outcome["error"] = "Zoom's answer had no authorization code."
            await _reply(stream, 400, "No authorization code. You can close this tab.")
        else:
            outcome["code"] = params["code"]
            await _reply(stream, 200, "Signed in to zoom-mcp. You can close this tab.")
        return True


async def _reply(stream: SocketStream, status: int, text: str) -> None:
    body = PAGE.format(text).encode()
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found"}[status]
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
    )
    await stream.send(head.encode() + body)


async def _exchange(request: LoginRequest, code: str, redirect_uri: str, verifier: str) -> str:
    basic = base64.b64encode(f"{request.client_id}:{request.client_secret}".encode()).decode()
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri, "code_verifier": verifier}
    async with httpx2.AsyncClient(timeout=30) as http:
        try:
            response = await http.post(request.token_url, data=data, headers={"Authorization": f"Basic {basic}"})
        except httpx2.HTTPError as exc:
            raise LoginError(f"Could not reach Zoom's token endpoint ({type(exc).__name__}).") from exc
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code != 200 or not body.get("refresh_token"):
        reason = str(body.get("reason") or body.get("error") or "")[:200]
        raise LoginError(
            f"Zoom refused the sign-in code (HTTP {response.status_code}{': ' + reason if reason else ''}). "
            "Check ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET of your user-managed app and its redirect URL."
        )
    return str(body["refresh_token"])


def run_login(settings: Settings) -> int:
    """`zoom-mcp login`: exit 0 signed in, 1 sign-in failed, 2 app credentials missing."""
    store = store_for(settings)
    earlier = store.load()
    client_id = settings.client_id or (earlier.client_id if earlier else "")
    client_secret = settings.client_secret or (earlier.client_secret if earlier else "")
    port = settings.login_port
    if not client_id or not client_secret:
        print(
            "zoom-mcp login needs your user-managed Zoom OAuth app's credentials:\n"
            "    export ZOOM_CLIENT_ID=...  ZOOM_CLIENT_SECRET=...\n"
            "(create the app in the Zoom App Marketplace; add the redirect URL "
            f"http://127.0.0.1:{port}/callback)",
            file=sys.stderr,
        )
        return 2
    request = LoginRequest(
        client_id,
        client_secret,
        settings.oauth_authorize_url,
        settings.oauth_token_url,
        port=port,
        open_browser=not settings.no_browser,
        timeout=settings.login_timeout,
    )
    try:
        anyio.run(login, request, store)
    except LoginError as exc:
        print(f"zoom-mcp login failed: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # the redirect port is taken
        print(f"zoom-mcp login failed: cannot listen on 127.0.0.1:{port} ({exc.strerror}); try --port", file=sys.stderr)
        return 1
    print(f"Signed in. Your sign-in is kept in {store.where}.", file=sys.stderr)
    print("zoom-mcp now works as you ('me') when no other credentials are set.", file=sys.stderr)
    return 0


def run_logout(settings: Settings) -> int:
    store = store_for(settings)
    if store.delete():
        print(f"Signed out: removed the sign-in from {store.where}.", file=sys.stderr)
    else:
        print("No sign-in was stored.", file=sys.stderr)
    return 0
