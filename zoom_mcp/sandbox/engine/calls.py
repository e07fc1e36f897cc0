"""What a handler receives (`Call`) and raises (`ZoomHTTPError`), and how "no such thing" is worded.

Zoom's reference words its errors per operation (`op.errors`: status, code, message). A handler
names the status and code it means and a fallback message; `Call.error` takes the operation's own
wording for that code when the reference has one. A lookup that finds nothing raises `Missing`
(see `state`), and `Call.not_found` turns it into the operation's documented not-found answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from zoom_mcp.api import Operation
from zoom_mcp.sandbox.dates import parse_day

if TYPE_CHECKING:
    from zoom_mcp.sandbox.sandbox import Sandbox
    from zoom_mcp.sandbox.state import Missing, State

# `{name}` as most reference pages write a placeholder, `$name` as a few do.
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}|\$(\w+)")


class ZoomHTTPError(Exception):
    """Raised by handlers; becomes Zoom's error shape `{"code", "message"}` (plus `errors` for validation)."""

    def __init__(self, status: int, code: int, message: str, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.errors = status, code, message, errors

    def body(self) -> dict[str, Any]:
        """The JSON answer Zoom sends with this error."""
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.errors:
            out["errors"] = self.errors
        return out


@dataclass
class Call:
    """One API request as a handler sees it: the operation, its decoded path values, query and JSON body."""

    sandbox: Sandbox
    op: Operation
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def state(self) -> State:
        """The account this call reads and changes."""
        return self.sandbox.state

    @property
    def fields(self) -> dict[str, Any]:
        """The JSON body as a dict ({} when there is none)."""
        return self.body if isinstance(self.body, dict) else {}

    def action(self, allowed: dict[str, str]) -> str:
        """The body's `action` mapped through `allowed`, or Zoom's 400 / 300 naming the allowed ones."""
        wanted = self.fields.get("action", "")
        if wanted not in allowed:
            raise ZoomHTTPError(400, 300, f"Invalid parameter: action. Expected one of: {', '.join(allowed)}.")
        return allowed[wanted]

    def now(self) -> datetime:
        """The sandbox clock's current moment (UTC)."""
        return self.sandbox.clock.now()

    def day(self, value: str | None, fallback: datetime, name: str) -> datetime:
        """A `from` / `to` value as that day's UTC midnight, `fallback` when absent; Zoom's 400 / 300 otherwise."""
        try:
            return parse_day(value, fallback)
        except ValueError as exc:
            raise ZoomHTTPError(400, 300, f"Invalid parameter: {name}.") from exc

    def error(self, status: int, code: int, fallback: str, **fill: Any) -> ZoomHTTPError:
        """Zoom's error for `code`, worded as this operation's reference words it when it lists that code.

        Placeholders are filled from the path values and `fill` (matched case-insensitively, since the
        reference spells them loosely: `{meetingUUId}`, `$userId`, `{0}`), and `{accountId}` from the credentials.
        """
        documented = [e for e in self.op.errors if e.code == code]
        exact = [e for e in documented if e.status == status]
        template = (exact or documented)[0].message if documented else fallback
        return ZoomHTTPError(status, code, self._fill(template, fill))

    def not_found(self, missing: Missing) -> ZoomHTTPError:
        """The answer for a lookup that found nothing, as this operation's reference documents it.

        The kind lists the (status, code) pairs Zoom uses for it; the first one the operation
        documents wins, else the first. A kind with `wording` (meetings, whose code differs from
        operation to operation) picks the documented error whose message says so instead.
        """
        kind = missing.kind
        fill = dict.fromkeys(kind.params, missing.value)
        if not kind.documented:
            status, code = kind.answers[0]
            return ZoomHTTPError(status, code, self._fill(kind.message, fill))
        if kind.wording is not None:
            worded = [e for e in self.op.errors if e.status in (400, 404) and re.search(kind.wording, e.message, re.S)]
            worded.sort(key=lambda e: (e.status != 404, e.code != kind.answers[0][1]))
            if worded:
                return self.error(worded[0].status, worded[0].code, worded[0].message, **fill)
            status, code = kind.answers[0]
            return self.error(status, code, kind.message, **fill)
        documented = {(e.status, e.code) for e in self.op.errors}
        status, code = next((pair for pair in kind.answers if pair in documented), kind.answers[0])
        return self.error(status, code, kind.message, **fill)

    def _fill(self, template: str, fill: dict[str, Any]) -> str:
        values = {"accountid": self.sandbox.credentials.account_id}
        values.update({k.lower(): str(v) for k, v in {**self.params, **fill}.items()})
        if self.params:
            values.setdefault("0", str(next(iter(self.params.values()))))

        def fill_in(match: re.Match[str]) -> str:
            return values.get((match.group(1) or match.group(2)).lower(), match.group(0))

        return _PLACEHOLDER.sub(fill_in, template)


Reply = tuple[int, Any]
Handler = Callable[[Call], Reply]
