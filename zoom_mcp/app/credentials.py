"""Which Zoom credentials the server uses, and where a person's sign-in is kept (the OS keyring,
or an owner-only file where there is none).

One record (JSON) holds the user app's client ID and secret (so the server can refresh without
them in its environment), the refresh token and the OAuth URLs it belongs to. Nothing here is
ever printed or logged.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from zoom_mcp.app.settings import Settings
from zoom_mcp.errors import ConfigError

log = logging.getLogger(__name__)

SERVICE = "zoom-mcp"
ACCOUNT = "user-oauth"


@dataclass(frozen=True)
class Login:
    client_id: str
    client_secret: str
    refresh_token: str
    token_url: str
    user: str = ""  # who signed in, for `doctor` and `logout` messages (an e-mail or ID)

    def __repr__(self) -> str:
        return f"Login(client_id={self.client_id!r}, user={self.user!r}, secrets=***)"


class CredentialStore:
    """The keyring when a real backend exists, else `<config dir>/login.json` (mode 0600)."""

    def __init__(self, directory: Path, *, use_keyring: bool = True) -> None:
        self.file = directory / "login.json"
        self.keyring = _usable_keyring() if use_keyring else None

    @property
    def where(self) -> str:
        if self.keyring is not None:
            return f"the system keyring ({type(self.keyring).__name__})"
        return f"{self.file} (owner-only file; no system keyring is available on this machine)"

    def load(self) -> Login | None:
        raw = self.keyring.get_password(SERVICE, ACCOUNT) if self.keyring is not None else self._read_file()
        if not raw:
            return None
        try:
            return Login(**json.loads(raw))
        except (ValueError, TypeError):
            log.warning("the stored sign-in is unreadable; run 'zoom-mcp login' again")
            return None

    def save(self, login: Login) -> None:
        raw = json.dumps(asdict(login))
        if self.keyring is not None:
            self.keyring.set_password(SERVICE, ACCOUNT, raw)
            return
        self.file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = self.file.with_suffix(".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(raw)
        os.replace(temporary, self.file)  # a crash mid-write never leaves half a refresh token

    def delete(self) -> bool:
        if self.keyring is not None:
            try:
                self.keyring.delete_password(SERVICE, ACCOUNT)
                return True
            except Exception:  # keyring raises its own PasswordDeleteError when nothing is stored
                return False
        if self.file.exists():
            self.file.unlink()
            return True
        return False

    def _read_file(self) -> str | None:
        try:
            return self.file.read_text()
        except FileNotFoundError:
            return None


def _usable_keyring() -> Any:
    try:
        # late: keyring's backends load slowly, and only a stored sign-in needs them
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        return None
    return backend


# --- which credentials the server uses ---------------------------------------------------------------------

CredentialMode = Literal["server_to_server", "access_token", "user", "sandbox"]

MISSING_CREDENTIALS = """\
no Zoom credentials are set, so the server will not start (it never serves made-up data silently).

Either set the credentials of a Zoom Server-to-Server OAuth app:
    export ZOOM_ACCOUNT_ID=...  ZOOM_CLIENT_ID=...  ZOOM_CLIENT_SECRET=...
or a ready access token:
    export ZOOM_ACCESS_TOKEN=...
or sign in as yourself with a user-managed OAuth app:
    export ZOOM_CLIENT_ID=...  ZOOM_CLIENT_SECRET=...  &&  zoom-mcp login
or try it without a Zoom account against the embedded sandbox (fake data, no network):
    zoom-mcp --sandbox        (or ZOOM_MCP_SANDBOX=1)
"""


@dataclass(frozen=True)
class Credentials:
    """The credential the server authenticates with, chosen from the settings and a stored sign-in."""

    mode: CredentialMode
    login: Login | None = None  # user mode: the stored sign-in

    def __repr__(self) -> str:
        return f"Credentials(mode={self.mode!r})"


def resolve(settings: Settings) -> Credentials:
    """Sandbox, then a Server-to-Server app, then a ready token, then a stored sign-in; else ConfigError."""
    if settings.sandbox:
        return Credentials("sandbox")
    s2s = (settings.account_id, settings.client_id, settings.client_secret)
    if all(s2s):
        return Credentials("server_to_server")
    if settings.access_token:
        return Credentials("access_token")
    stored = store_for(settings).load()
    if stored is not None:
        return Credentials("user", stored)
    if settings.client_id and settings.client_secret and not settings.account_id:
        raise ConfigError(
            "ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET are set but ZOOM_ACCOUNT_ID is not.\n"
            "For a Server-to-Server OAuth app, set ZOOM_ACCOUNT_ID too. For a user-managed OAuth app, "
            "sign in once with:  zoom-mcp login"
        )
    if any(s2s):
        names = ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET")
        missing = [n for n, v in zip(names, s2s, strict=True) if not v]
        raise ConfigError(
            f"Incomplete Server-to-Server OAuth credentials: {', '.join(missing)} not set.\n\n" + MISSING_CREDENTIALS
        )
    raise ConfigError(MISSING_CREDENTIALS)


def store_for(settings: Settings) -> CredentialStore:
    return CredentialStore(settings.credentials_dir, use_keyring=not settings.no_keyring)
