"""Which operations a token's scopes allow, and which scope to add for the others.

Zoom accepts a call when the token holds any one of the operation's scopes: a classic scope
(`recording:read:admin`) or a granular one (`cloud_recording:read:list_user_recordings:admin`).
Apps created today get granular scopes, so those are what the doctor suggests adding.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class Scoped(Protocol):
    @property
    def scopes(self) -> tuple[str, ...]: ...
    @property
    def granular_scopes(self) -> tuple[str, ...]: ...


def authorized(op: Scoped, granted: Iterable[str]) -> bool:
    accepted = (*op.scopes, *op.granular_scopes)
    return not accepted or not set(accepted).isdisjoint(granted)


def scope_to_add(op: Scoped, account_level: bool = True) -> str:
    """The one scope to add in the Zoom app so this operation works.

    Account-level apps (Server-to-Server) want the `:admin` granular scope; user apps the plain one.
    """
    granular = list(op.granular_scopes)
    admin = [s for s in granular if s.endswith(":admin")]
    plain = [s for s in granular if not s.endswith(":admin") and not s.endswith(":master")]
    for choice in (admin, plain) if account_level else (plain, admin):
        if choice:
            return choice[0]
    classic = list(op.scopes)
    return next((s for s in classic if s.endswith(":admin") == account_level), classic[0] if classic else "")
