"""Which calls need a person's confirmation before they reach Zoom (`--confirm`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from zoom_mcp.api import Operation

ConfirmMode = Literal["destructive", "writes", "off"]
CONFIRM_MODES: tuple[ConfirmMode, ...] = ("destructive", "writes", "off")


@dataclass(frozen=True)
class ConfirmPolicy:
    mode: ConfirmMode = "destructive"
    human: bool = False  # --confirm human: only a person's approval on the approval page lets a gated call run

    def gated(self, op: Operation) -> bool:
        """Whether a call needs a person's confirmation before it reaches Zoom."""
        if self.mode == "off":
            return False
        return op.safety == "destructive" or (self.mode == "writes" and op.safety == "write")
