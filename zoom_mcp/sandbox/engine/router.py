"""Routing on the raw, still-encoded path: method + path -> catalog operation and decoded path values.

An encoded `/` inside an ID can never create a segment: the path is split first, and each
segment is decoded afterwards (twice when Zoom's double-encoding rule was applied).
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from zoom_mcp.api import Operation

_ENCODED_SLASH = re.compile(r"%2[Ff]")


def decode_segment(raw: str) -> str:
    """One path value: decoded once, and once more if that still leaves an encoded `/`.

    Zoom's rule: UUIDs that begin with `/` or contain `//` arrive encoded twice (clients may
    double-encode any UUID with a `/`). Only an encoded slash triggers the second pass, so other
    IDs round-trip exactly (`%2e%2e` stays `%2e%2e`). Decoding happens after the path was split,
    so an encoded `/` never makes a new segment: `..%2Fusers%2Fme` stays one (unknown) ID.
    """
    once = unquote(raw)
    return unquote(once) if _ENCODED_SLASH.search(once) else once


class Router:
    """Matches method + raw path to a catalog operation; literal segments beat `{templates}`."""

    def __init__(self, operations: list[Operation]) -> None:
        self._routes: list[tuple[str, list[str], Operation]] = [
            (op.method, op.path.strip("/").split("/"), op) for op in operations
        ]

    def match(self, method: str, raw_path: str) -> tuple[Operation, dict[str, str]] | None:
        """The operation for `method` and the raw path below `/v2`, with its path values decoded; None if none."""
        segments = raw_path.strip("/").split("/")
        best: tuple[int, Operation, dict[str, str]] | None = None
        for route_method, pattern, op in self._routes:
            if route_method != method or len(pattern) != len(segments):
                continue
            params: dict[str, str] = {}
            literal = 0
            for want, got in zip(pattern, segments, strict=True):
                if want.startswith("{"):
                    params[want[1:-1]] = decode_segment(got)
                elif want == got:
                    literal += 1
                else:
                    break
            else:
                if best is None or literal > best[0]:
                    best = (literal, op, params)
        return (best[1], best[2]) if best else None
