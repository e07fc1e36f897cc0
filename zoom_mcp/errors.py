"""Every error zoom-mcp raises on purpose, as one tree; `server/results.py` turns them into text.

ZoomMcpError                 root; its text is written for the person or model reading it, never holds a secret
├── ConfigError              the configuration cannot work; the text says how to fix it
├── Refused                  a call stopped before anything was sent to Zoom
│   ├── ArgumentsInvalid     the arguments break the tool's input schema (every problem listed)
│   ├── NotAllowed           the tool is hidden by --read-only, --toolsets, --tools or missing scopes
│   ├── UnknownTool          no tool has that name
│   ├── RangeRefused         a date range longer than Zoom answers, whose pieces cannot be merged
│   ├── TokenRefused         a confirmation token that does not authorise this exact call
│   ├── BudgetSpent          a Zoom daily limit this call would exceed is spent (the text names the reset time)
│   └── SharedStateError     Redis (ZOOM_MCP_REDIS_URL), which the call needs, failed or is unreachable
├── NotFound                 what was asked about is not there (a meeting without a recording)
├── PasskeyRefused            a WebAuthn assertion or enrollment that does not verify (approval pages)
├── TranscriptError          a transcript file that is not WebVTT
├── LoginError               `zoom-mcp login`, or a person's sign-in under --auth oauth, did not complete
├── ClientRefused            an MCP client's registration or metadata document is not accepted (--auth oauth)
└── ZoomCallError            a call to Zoom did not give an answer
    ├── ZoomAPIError         Zoom answered with an error status ({"code", "message"})
    ├── ZoomAuthError        no usable credentials: token endpoint refused, or 401 after refresh
    ├── ZoomTransportError   the request failed on the way (connection, timeout)
    ├── ZoomResponseError    Zoom's answer could not be read (malformed body)
    └── DownloadRefused      a recording download not attempted or stopped (off-list host, over the cap)
"""

from __future__ import annotations

from dataclasses import dataclass


class ZoomMcpError(Exception):
    """Root of the tree."""


class ConfigError(ZoomMcpError):
    pass


class Refused(ZoomMcpError):
    """Nothing was sent to Zoom; the text says why."""


@dataclass(frozen=True)
class Problem:
    """One way the arguments break the schema: the argument (dotted path) and the rule."""

    field: str
    rule: str

    def __str__(self) -> str:
        return f"{self.field}: {self.rule}" if self.field else self.rule


class ArgumentsInvalid(Refused):
    def __init__(self, tool: str, problems: list[Problem]) -> None:
        self.tool = tool
        self.problems = problems
        lines = "\n".join(f"- {p}" for p in problems)
        super().__init__(f"Invalid arguments for {tool} (nothing was sent to Zoom):\n{lines}")


class NotAllowed(Refused):
    pass


class UnknownTool(Refused):
    pass


class RangeRefused(Refused):
    pass


class TokenRefused(Refused):
    pass


class BudgetSpent(Refused):
    pass


class SharedStateError(Refused):
    """Redis did not answer (or answered with an error) where the call needed it; nothing was sent to Zoom."""


class NotFound(ZoomMcpError):
    pass


class PasskeyRefused(ZoomMcpError):
    """Nothing was approved, enrolled or removed; the text (for the audit log) says why."""


class TranscriptError(ZoomMcpError, ValueError):
    pass


class LoginError(ZoomMcpError):
    pass


class ClientRefused(ZoomMcpError):
    pass


class ZoomCallError(ZoomMcpError):
    attempts: int = 1


class ZoomAPIError(ZoomCallError):
    def __init__(self, status: int, code: int | None, message: str, method: str, path: str) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.method = method
        self.path = path
        code_text = f", Zoom code {code}" if code is not None else ""
        super().__init__(f"Zoom answered HTTP {status}{code_text}: {message} ({method} {path})")


class ZoomAuthError(ZoomCallError):
    pass


class ZoomTransportError(ZoomCallError):
    pass


class ZoomResponseError(ZoomCallError):
    pass


class DownloadRefused(ZoomCallError):
    pass
