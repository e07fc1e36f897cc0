"""Append-only JSON-lines audit of every write and destructive attempt.

Records who-did-what at the level of IDs: tool, method, path (which holds the IDs), the
argument names, and the outcome. Never argument values beyond the path, never a token or secret.
Under --auth oauth every entry names the person the step ran as (`person`: their Zoom user ID,
`email`), from the call's context or, for an approval page, the approval's own.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from zoom_mcp.client.people import acting
from zoom_mcp.clock import SYSTEM_CLOCK, Clock

log = logging.getLogger(__name__)

EVENTS = ("requested", "confirmation_asked", "accepted", "declined", "refused", "dry_run", "executed", "failed")


class AuditLog:
    def __init__(self, path: Path | None, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.path = path
        self._clock = clock
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Owner-only: the log names meetings and people's IDs.
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            os.close(fd)

    def record(
        self, event: str, *, tool: str, method: str, path: str, arguments: dict[str, Any] | None = None, **fields: Any
    ) -> None:
        if self.path is None:
            return
        person = acting()
        if person is not None:
            fields = {"person": person.id, "email": person.email, **fields}
        entry = {
            "ts": round(self._clock.time(), 3),
            "event": event,
            "tool": tool,
            "method": method,
            "path": path,
            "arguments": sorted(arguments or {}),
            **{k: v for k, v in fields.items() if v is not None},
        }
        line = json.dumps(entry, separators=(",", ":"), ensure_ascii=False) + "\n"
        try:
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line)
        except OSError as exc:  # an unwritable log must not break the call it describes
            log.error("audit log %s is not writable: %s", self.path, exc)
