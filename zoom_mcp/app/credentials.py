"""Where a person's sign-in is kept: the OS keyring, or an owner-only file where there is none.

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


def config_dir() -> Path:
    override = os.environ.get("ZOOM_MCP_CONFIG_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "zoom-mcp"


class CredentialStore:
    """The keyring when a real backend exists, else `<config dir>/login.json` (mode 0600)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.file = (directory or config_dir()) / "login.json"
        self.keyring = _usable_keyring()

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


def _usable_keyring():  # type: ignore[no-untyped-def]
    if os.environ.get("ZOOM_MCP_NO_KEYRING"):
        return None
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        return None
    return backend
