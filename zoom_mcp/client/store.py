"""A small key-value store with expiry, every value sealed: where sign-ins live (`--auth oauth`).

The interface (`Store`) is five operations, each atomic on its own (put, add, get, take, delete, plus
aclose), and nothing else: no listing, no scans, no transactions across keys. Three backends:
`SqliteStore` (an owner-only file) is the default, `client.shared.RedisStore` serves when `ZOOM_MCP_REDIS_URL`
is set (SET PX, GET, GETDEL, DEL, and `add` as one small Lua script, over the process's one Redis pool), and
`MemoryStore` serves the sandbox (and approvals without Redis).
Another backend is one class with these five methods; `tests/test_people_auth.py` runs the same contract
test on each.

Keys are `(kind, key)`; a key that names a secret (a token, a code, a cookie) is the secret's SHA-256,
never the secret. Values are sealed with Fernet (`Sealer`: AES-CBC and HMAC-SHA256 from `cryptography`)
under keys from a setting, so the file (or the Redis) holds nothing readable: not Zoom's tokens, not who
signed in.

Expiry is the injected clock's: a record past `expires_at` is gone for every operation. (Redis also
drops it by itself, `PX` being the time left by that clock.)
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import secrets
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from zoom_mcp.clock import SYSTEM_CLOCK, Clock
from zoom_mcp.errors import ConfigError

log = logging.getLogger(__name__)


def digest(secret: str) -> str:
    """How a secret is named as a key: its SHA-256 (the secret itself is never stored)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class Store(Protocol):
    """What a backend must do. `kind` is a short word (`access`, `zoom-grant`, ...), `key` a hex digest or a
    random ID; `value` is sealed bytes the store never looks into; `expires_at` is a time of the injected
    clock, after which the record is gone for every operation. Each operation is atomic on its own; the
    callers need nothing across keys."""

    async def put(self, kind: str, key: str, value: bytes, expires_at: float) -> None:
        """Set, replacing what was there."""
        ...

    async def add(self, kind: str, key: str, value: bytes, expires_at: float) -> bool:
        """Set only when absent (or expired); False when a live value was there."""
        ...

    async def get(self, kind: str, key: str) -> bytes | None:
        """The live value, or None."""
        ...

    async def take(self, kind: str, key: str) -> bytes | None:
        """Get and delete in one step: of two callers, exactly one gets the value."""
        ...

    async def delete(self, kind: str, key: str) -> None:
        """Remove it, if there."""
        ...

    async def aclose(self) -> None:
        """Release the connection or file (the records stay where they are)."""
        ...


@dataclass
class MemoryStore:
    """In this process only (the sandbox: its sign-ins are as made-up as its data)."""

    clock: Clock = SYSTEM_CLOCK
    _values: dict[tuple[str, str], tuple[bytes, float]] = field(default_factory=dict)

    def _live(self, kind: str, key: str) -> bytes | None:
        found = self._values.get((kind, key))
        if found is None:
            return None
        if found[1] <= self.clock.time():
            del self._values[(kind, key)]
            return None
        return found[0]

    def __len__(self) -> int:
        now = self.clock.time()
        self._values = {k: v for k, v in self._values.items() if v[1] > now}
        return len(self._values)

    async def put(self, kind: str, key: str, value: bytes, expires_at: float) -> None:
        self._values[(kind, key)] = (value, expires_at)

    async def add(self, kind: str, key: str, value: bytes, expires_at: float) -> bool:
        if self._live(kind, key) is not None:
            return False
        self._values[(kind, key)] = (value, expires_at)
        return True

    async def get(self, kind: str, key: str) -> bytes | None:
        return self._live(kind, key)

    async def take(self, kind: str, key: str) -> bytes | None:
        value = self._live(kind, key)
        self._values.pop((kind, key), None)
        return value

    async def delete(self, kind: str, key: str) -> None:
        self._values.pop((kind, key), None)

    async def aclose(self) -> None:
        self._values.clear()


class SqliteStore:
    """An owner-only SQLite file; each operation is one statement (or one immediate transaction), so
    processes sharing the file agree on who took a value."""

    def __init__(self, path: Path, *, clock: Clock = SYSTEM_CLOCK) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))  # owner-only before SQLite opens it
        self._db = sqlite3.connect(path, timeout=10, isolation_level=None)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS kv (kind TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, "
            "expires_at REAL NOT NULL, PRIMARY KEY (kind, key))"
        )
        self._clock = clock
        self._writes = 0

    def _purge(self) -> None:
        self._writes += 1
        if self._writes % 100 == 1:  # now and then, so the file does not grow with dead records
            self._db.execute("DELETE FROM kv WHERE expires_at <= ?", (self._clock.time(),))

    async def put(self, kind: str, key: str, value: bytes, expires_at: float) -> None:
        self._purge()
        self._db.execute(
            "INSERT INTO kv (kind, key, value, expires_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
            (kind, key, value, expires_at),
        )

    async def add(self, kind: str, key: str, value: bytes, expires_at: float) -> bool:
        self._purge()
        cursor = self._db.execute(
            "INSERT INTO kv (kind, key, value, expires_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at "
            "WHERE kv.expires_at <= ?",
            (kind, key, value, expires_at, self._clock.time()),
        )
        return cursor.rowcount == 1

    async def get(self, kind: str, key: str) -> bytes | None:
        row = self._db.execute(
            "SELECT value FROM kv WHERE kind = ? AND key = ? AND expires_at > ?", (kind, key, self._clock.time())
        ).fetchone()
        return bytes(row[0]) if row else None

    async def take(self, kind: str, key: str) -> bytes | None:
        row = self._db.execute(
            "DELETE FROM kv WHERE kind = ? AND key = ? RETURNING value, expires_at", (kind, key)
        ).fetchone()
        if row is None or row[1] <= self._clock.time():
            return None
        return bytes(row[0])

    async def delete(self, kind: str, key: str) -> None:
        self._db.execute("DELETE FROM kv WHERE kind = ? AND key = ?", (kind, key))

    async def aclose(self) -> None:
        self._db.close()


class Sealer:
    """Fernet over one or more keys: the first seals, every one opens (so a key can be rotated). The keys
    come from ZOOM_MCP_OAUTH_KEY (`from_setting`: the sign-ins) or are derived from ZOOM_MCP_SECRET
    (`from_secret`: what the replicas share in Redis)."""

    def __init__(self, keys: list[bytes], *, clock: Clock = SYSTEM_CLOCK) -> None:
        from cryptography.fernet import Fernet, MultiFernet  # late: cryptography loads only where something is sealed

        try:
            self._fernet = MultiFernet([Fernet(k) for k in keys])
        except (ValueError, TypeError) as exc:
            raise ConfigError(
                "ZOOM_MCP_OAUTH_KEY must be Fernet keys (32 bytes, url-safe base64), comma-separated; make one with: "
                'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
            ) from exc
        self._clock = clock

    @classmethod
    def from_setting(cls, text: str, *, clock: Clock = SYSTEM_CLOCK) -> Sealer:
        return cls([k.strip().encode() for k in text.split(",") if k.strip()], clock=clock)

    @classmethod
    def from_secret(cls, secret: str, *, clock: Clock = SYSTEM_CLOCK) -> Sealer:
        """One key derived (HKDF-SHA256) from ZOOM_MCP_SECRET, which every replica shares."""
        # late: as in __init__
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"zoom-mcp shared state").derive(
            secret.encode()
        )
        return cls([base64.urlsafe_b64encode(key)], clock=clock)

    @classmethod
    def ephemeral(cls, *, clock: Clock = SYSTEM_CLOCK) -> Sealer:
        """A random key for this process only (the sandbox)."""
        return cls([base64.urlsafe_b64encode(secrets.token_bytes(32))], clock=clock)

    def seal(self, data: bytes) -> bytes:
        return self._fernet.encrypt_at_time(data, int(self._clock.time()))

    def open(self, token: bytes) -> bytes | None:
        """The plain bytes; None when no key opens it (another key, or tampered with)."""
        from cryptography.fernet import InvalidToken  # late: as in __init__

        try:
            return self._fernet.decrypt(token)
        except InvalidToken:
            return None

    def seal_json(self, record: Mapping[str, Any]) -> bytes:
        return self.seal(json.dumps(record, separators=(",", ":")).encode())

    def open_json(self, value: bytes | None) -> dict[str, Any] | None:
        if value is None:
            return None
        plain = self.open(value)
        if plain is None:
            log.warning("a shared record does not open with this replica's key (is ZOOM_MCP_SECRET the same?)")
            return None
        found = json.loads(plain)
        return found if isinstance(found, dict) else None


class Records:
    """JSON records over a `Store`, each sealed: what the sign-in code reads and writes."""

    def __init__(self, store: Store, sealer: Sealer, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.store = store
        self.sealer = sealer
        self.clock = clock

    def _seal(self, record: dict[str, Any]) -> bytes:
        return self.sealer.seal(json.dumps(record, separators=(",", ":")).encode())

    def _open(self, kind: str, value: bytes | None) -> dict[str, Any] | None:
        if value is None:
            return None
        plain = self.sealer.open(value)
        if plain is None:
            log.warning("a stored %s record does not open with ZOOM_MCP_OAUTH_KEY; treated as absent", kind)
            return None
        found = json.loads(plain)
        return found if isinstance(found, dict) else None

    async def put(self, kind: str, key: str, record: dict[str, Any], ttl: float) -> None:
        await self.store.put(kind, key, self._seal(record), self.clock.time() + ttl)

    async def add(self, kind: str, key: str, record: dict[str, Any], ttl: float) -> bool:
        return await self.store.add(kind, key, self._seal(record), self.clock.time() + ttl)

    async def get(self, kind: str, key: str) -> dict[str, Any] | None:
        return self._open(kind, await self.store.get(kind, key))

    async def take(self, kind: str, key: str) -> dict[str, Any] | None:
        return self._open(kind, await self.store.take(kind, key))

    async def delete(self, kind: str, key: str) -> None:
        await self.store.delete(kind, key)

    async def aclose(self) -> None:
        await self.store.aclose()
