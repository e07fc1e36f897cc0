"""Safety: what is listed and callable (policy), confirmation of gated calls, and the audit log."""

from zoom_mcp.safety.audit import AuditLog
from zoom_mcp.safety.gate import Gate
from zoom_mcp.safety.policy import CONFIRM_MODES, ConfirmMode, Policy
from zoom_mcp.safety.tokens import ConfirmationTokens, MemoryUsedTokens, TokenRefused

__all__ = [
    "CONFIRM_MODES",
    "AuditLog",
    "ConfirmMode",
    "ConfirmationTokens",
    "Gate",
    "MemoryUsedTokens",
    "Policy",
    "TokenRefused",
]
