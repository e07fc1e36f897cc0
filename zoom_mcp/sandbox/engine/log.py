"""The request log: one `RecordedRequest` per request the sandbox received, with what it answered."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RecordedRequest:
    """A request as the sandbox saw it: raw path, decoded path values, query, JSON body, the operation it hit."""

    method: str
    raw_path: str
    path_params: dict[str, str]
    query: dict[str, str]
    json: Any
    operation: str | None
    status: int  # what the sandbox answered; 0 when it answered nothing (dropped or abandoned)
    fault: str | None = None
    credential: str | None = None  # downloads: "download_token" (a webhook's) or "token" (the app's)
    at: float = field(default=0.0, compare=False)  # when it arrived, on the sandbox's clock (`time()`)
    label: str = field(default="", compare=False)  # the operation's rate-limit label (LIGHT, MEDIUM, HEAVY, ...)

    def summary(self) -> dict[str, Any]:
        """What `GET /_sandbox/requests` shows of it (no bodies)."""
        return {
            "at": self.at,
            "method": self.method,
            "operation": self.operation,
            "label": self.label,
            "status": self.status,
            "fault": self.fault,
        }
