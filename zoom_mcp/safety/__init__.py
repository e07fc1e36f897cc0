"""Safety: which calls need a person's confirmation, the gate that asks, human approvals, the audit log."""

from zoom_mcp.safety.audit import AuditLog
from zoom_mcp.safety.confirm import CONFIRM_MODES, ConfirmMode, ConfirmPolicy
from zoom_mcp.safety.gate import Gate
from zoom_mcp.safety.tokens import ConfirmationTokens
from zoom_mcp.safety.used_tokens import MemoryUsedTokens, RedisUsedTokens, SqliteUsedTokens, UsedTokens

__all__ = [
    "CONFIRM_MODES",
    "AuditLog",
    "ConfirmMode",
    "ConfirmPolicy",
    "ConfirmationTokens",
    "Gate",
    "MemoryUsedTokens",
    "RedisUsedTokens",
    "SqliteUsedTokens",
    "UsedTokens",
]
