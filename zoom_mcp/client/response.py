"""What a Zoom request answered, once parsed: the status, the JSON, and how many attempts it took."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ZoomResponse:
    status: int
    data: Any  # parsed JSON, or None for an empty body (204)
    attempts: int = 1
