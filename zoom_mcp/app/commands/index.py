"""`zoom-mcp index status|rebuild|forget`: the transcript search index the server would use with these settings.

`status` says where it is (or that it lives in memory) and what it holds; `rebuild` rebuilds the
full-text tables from the stored text, forgets which date ranges were listed (so the next search lists
them from Zoom and reconciles) and compacts the file; `forget` deletes the file (what was said in every
indexed meeting), which the next search rebuilds from Zoom.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from zoom_mcp.app.assemble import index_registry
from zoom_mcp.app.settings import Settings
from zoom_mcp.errors import ConfigError
from zoom_mcp.tasks.index import TranscriptIndex
from zoom_mcp.tasks.indexes import DEFAULT

ACTIONS = ("status", "rebuild", "forget")


def run_index(settings: Settings, action: str) -> int:
    try:
        where = index_registry(settings).location(DEFAULT)
    except ConfigError as exc:
        print(
            f"zoom-mcp index: no Zoom credentials, so no index of theirs ({str(exc).splitlines()[0]})", file=sys.stderr
        )
        return 2
    if where is None:
        print(
            "The transcript index is kept in memory with these settings (the sandbox, --no-index-file, an HTTP "
            "transport, a ready access token, or no writable data directory): nothing is on disk. "
            "--index PATH names a file."
        )
        return 0
    if action == "forget":
        return forget(where)
    if not where.exists():
        print(f"No index yet at {where}: the first search creates it.")
        return 0
    index = TranscriptIndex(where)
    try:
        if action == "rebuild":
            before = where.stat().st_size
            index.rebuild()
            print(f"Rebuilt {where}: {before:,} -> {where.stat().st_size:,} bytes; the next search lists from Zoom.")
            return 0
        stats = index.stats()
        print(f"{where} (owner-only; {stats.bytes:,} bytes)")
        print(
            f"  {stats.meetings} recorded meetings, {stats.files} transcript and chat files, {stats.passages} passages"
        )
        for user, first, last, listed_at in index.all_listings():
            when = datetime.fromtimestamp(listed_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
            print(f"  listed for {user}: {first} to {last}, at {when} (kept current by webhooks since)")
        return 0
    finally:
        index.close()


def forget(where: Path) -> int:
    removed = []
    for path in (where, where.with_name(where.name + "-wal"), where.with_name(where.name + "-shm")):
        if path.exists():
            path.unlink()
            removed.append(str(path))
    print(f"Forgot {', '.join(removed)}." if removed else f"No index at {where}: nothing to forget.")
    return 0
