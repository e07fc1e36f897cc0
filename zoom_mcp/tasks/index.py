"""An embedded full-text index of what was said: SQLite FTS5 from the standard library.

Each transcript or chat file is parsed and indexed once, keyed by Zoom's file ID, so a repeated
question over the same meetings downloads nothing. Beside the text it keeps what keeps a search
fresh without asking Zoom: each recorded meeting as Zoom last described it (its files, and which
of them a search reads), the date ranges a search listed and when (`listed`), which host a user
name stands for (`hosts`), and meetings a webhook trashed or deleted (`gone`, so a late event
cannot bring them back). In memory unless a path is given; on disk the file is created
owner-only, since it holds meeting content.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

VERSION = 2  # PRAGMA user_version; 0/1: the first schema (meetings without their files)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meetings (
    uuid TEXT PRIMARY KEY, meeting_id INTEGER, topic TEXT, start_time TEXT, duration INTEGER, host_id TEXT
);
CREATE TABLE IF NOT EXISTS files (file_id TEXT PRIMARY KEY, uuid TEXT NOT NULL, kind TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY, file_id TEXT NOT NULL, uuid TEXT NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL,
    speaker TEXT, start REAL NOT NULL, end REAL NOT NULL, text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS turns_by_file ON turns (file_id, seq);
CREATE INDEX IF NOT EXISTS turns_by_meeting ON turns (uuid);
CREATE VIRTUAL TABLE IF NOT EXISTS passages USING fts5(
    text, speaker, content='turns', content_rowid='id', tokenize='porter unicode61'
);
CREATE VIRTUAL TABLE IF NOT EXISTS topics USING fts5(topic, uuid UNINDEXED, tokenize='porter unicode61');
CREATE TABLE IF NOT EXISTS listed (
    id INTEGER PRIMARY KEY, user TEXT NOT NULL, first TEXT NOT NULL, last TEXT NOT NULL, listed_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS hosts (user TEXT PRIMARY KEY, host_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS gone (uuid TEXT PRIMARY KEY, event_ts INTEGER NOT NULL);
"""
# Added by version 2 to the first schema's `meetings`: the files as Zoom described them (JSON, never a token),
# the transcript (TRANSCRIPT, else CC) and chat file a search reads, and the newest event applied (ms).
MEETING_COLUMNS = (("files", "TEXT"), ("transcript_file", "TEXT"), ("chat_file", "TEXT"), ("event_ts", "INTEGER"))
BASE = "uuid, meeting_id, topic, start_time, duration, host_id"

# Words that carry no meaning in a question about a meeting; matching them would rank noise.
_STOP = """a an and are about as at be by did do does for from had has have he her his how i in is it its last me my
of on or our said say says she that the their them they this to us was we were what when where which who
why will with you your meeting meetings week month"""
STOPWORDS = frozenset(_STOP.split())


@dataclass(frozen=True, slots=True)
class Passage:
    """One indexed turn: a transcript speaker turn or a chat message."""

    speaker: str | None
    start: float
    end: float
    text: str


@dataclass(frozen=True, slots=True)
class Hit:
    uuid: str
    kind: str
    speaker: str | None
    start: float
    snippet: str
    rank: float


@dataclass(frozen=True, slots=True)
class MeetingRow:
    """A recorded meeting as the index knows it (without its files: `files_of` reads those)."""

    uuid: str
    meeting_id: int | None
    topic: str
    start_time: str
    duration: int | None
    host_id: str
    transcript_file: str | None
    chat_file: str | None


@dataclass(frozen=True, slots=True)
class Listing:
    """A date range (inclusive, UTC days) that a search listed from Zoom for a user, and when (epoch seconds)."""

    first: str
    last: str
    listed_at: float


@dataclass(frozen=True, slots=True)
class Stats:
    path: Path | None
    meetings: int
    files: int
    passages: int
    listings: int
    bytes: int


def fts_query(text: str) -> str | None:
    """The user's words as an FTS5 query: quoted phrases kept, other words OR-ed, no operators injected."""
    phrases = re.findall(r'"([^"]+)"', text)
    rest = re.sub(r'"[^"]*"', " ", text)
    words = [w for w in re.findall(r"\w+", rest.lower()) if w not in STOPWORDS]
    terms = [f'"{p.replace(chr(34), "")}"' for p in phrases if p.strip()] + [f'"{w}"' for w in dict.fromkeys(words)]
    return " OR ".join(terms) if terms else None


class TranscriptIndex:
    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path else None
        if self.path is not None:
            _owner_only(self.path)
        self._db = sqlite3.connect(str(self.path) if self.path else ":memory:", check_same_thread=False)
        self._db.executescript(SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        """Bring an index written by an earlier version up to this schema (its text stays)."""
        if self._db.execute("PRAGMA user_version").fetchone()[0] >= VERSION:
            return
        have = {row[1] for row in self._db.execute("PRAGMA table_info(meetings)")}
        with self._db:
            for name, kind in MEETING_COLUMNS:
                if name not in have:
                    self._db.execute(f"ALTER TABLE meetings ADD COLUMN {name} {kind}")
            self._db.execute("CREATE INDEX IF NOT EXISTS meetings_by_host ON meetings (host_id, start_time)")
            self._db.execute(f"PRAGMA user_version = {VERSION}")

    def close(self) -> None:
        self._db.close()

    # --- meetings ----------------------------------------------------------------------------------------

    def has_file(self, file_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM files WHERE file_id = ?", (file_id,)).fetchone() is not None

    def add_meeting(
        self,
        uuid: str,
        meeting_id: int | None,
        topic: str,
        start_time: str,
        duration: int | None,
        host_id: str,
        *,
        files: Sequence[dict[str, Any]] | None = None,
        transcript_file: str | None = None,
        chat_file: str | None = None,
        event_ts: int | None = None,
    ) -> bool:
        """Record a meeting (and, when `files` is given, its files); True when anything changed.

        Every search re-lists its meetings: nothing is written (no commit on disk) when nothing changed.
        """
        head = (uuid, meeting_id, topic, start_time, duration, host_id)
        known = self._db.execute(
            f"SELECT {BASE}, files, transcript_file, chat_file, event_ts FROM meetings WHERE uuid = ?", (uuid,)
        ).fetchone()
        if files is not None:
            tail = (json.dumps(list(files), sort_keys=True), transcript_file, chat_file)
        else:
            tail = tuple(known[6:9]) if known else (None, None, None)
        stamp = max(event_ts or 0, (known[9] or 0) if known else 0) or None
        row = (*head, *tail, stamp)
        if known == row:
            return False
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO meetings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
            if known is None or known[2] != topic:
                self._db.execute("DELETE FROM topics WHERE uuid = ?", (uuid,))
                self._db.execute("INSERT INTO topics (topic, uuid) VALUES (?, ?)", (topic, uuid))
        return known is None or known[:9] != row[:9]

    def meeting(self, uuid: str) -> MeetingRow | None:
        row = self._db.execute(
            f"SELECT {BASE}, transcript_file, chat_file FROM meetings WHERE uuid = ?", (uuid,)
        ).fetchone()
        return MeetingRow(*row) if row else None

    def files_of(self, uuid: str) -> list[dict[str, Any]]:
        """The meeting's files as Zoom last described them (empty when unknown)."""
        row = self._db.execute("SELECT files FROM meetings WHERE uuid = ?", (uuid,)).fetchone()
        return json.loads(row[0]) if row and row[0] else []

    def event_ts(self, uuid: str) -> int:
        """The newest event (ms) applied to this meeting, or 0."""
        row = self._db.execute("SELECT event_ts FROM meetings WHERE uuid = ?", (uuid,)).fetchone()
        return int(row[0] or 0) if row else 0

    def meetings_between(self, host_id: str, first: str, last: str) -> list[MeetingRow]:
        """The host's meetings that started on the days first..last (inclusive, UTC), newest first."""
        rows = self._db.execute(
            f"""SELECT {BASE}, transcript_file, chat_file FROM meetings
            WHERE host_id = ? AND start_time >= ? AND start_time < ? ORDER BY start_time DESC""",
            (host_id, first, _after(last)),
        ).fetchall()
        return [MeetingRow(*row) for row in rows]

    def rows(self, uuids: Sequence[str]) -> list[MeetingRow]:
        """These meetings as the index knows them, newest first (unknown ones are left out)."""
        rows = self._db.execute(
            f"""SELECT {BASE}, transcript_file, chat_file FROM meetings
            WHERE uuid IN (SELECT value FROM json_each(?)) ORDER BY start_time DESC""",
            (json.dumps(list(uuids)),),
        ).fetchall()
        return [MeetingRow(*row) for row in rows]

    def unread(self, uuids: Sequence[str]) -> list[tuple[str, str, str]]:
        """(uuid, kind, file ID) of the transcripts and chats of these meetings not indexed yet, newest first."""
        return self._db.execute(
            """SELECT uuid, kind, file_id FROM (
                SELECT uuid, 'transcript' AS kind, transcript_file AS file_id, start_time FROM meetings
                UNION ALL SELECT uuid, 'chat', chat_file, start_time FROM meetings
            ) WHERE file_id IS NOT NULL AND uuid IN (SELECT value FROM json_each(?))
              AND file_id NOT IN (SELECT file_id FROM files)
            ORDER BY start_time DESC""",
            (json.dumps(list(uuids)),),
        ).fetchall()

    def forget_meeting(self, uuid: str) -> bool:
        """Remove a meeting and everything said in it; True when it was there."""
        known = self._db.execute("SELECT 1 FROM meetings WHERE uuid = ?", (uuid,)).fetchone() is not None
        with self._db:
            file_ids = [r[0] for r in self._db.execute("SELECT file_id FROM files WHERE uuid = ?", (uuid,))]
            self._drop_files(file_ids)
            self._db.execute("DELETE FROM topics WHERE uuid = ?", (uuid,))
            self._db.execute("DELETE FROM meetings WHERE uuid = ?", (uuid,))
        return known or bool(file_ids)

    def forget_files(self, file_ids: Iterable[str]) -> int:
        """Remove these files' passages; how many were indexed."""
        wanted = list(file_ids)
        with self._db:
            return self._drop_files(wanted)

    def _drop_files(self, file_ids: list[str]) -> int:
        """Delete files and their turns, and their rows of the full-text table (inside a transaction)."""
        if not file_ids:
            return 0
        chosen = json.dumps(file_ids)
        # An external-content FTS5 table forgets a row only when told its old values ('delete').
        self._db.execute(
            """INSERT INTO passages (passages, rowid, text, speaker)
            SELECT 'delete', id, text, coalesce(speaker, '') FROM turns
            WHERE file_id IN (SELECT value FROM json_each(?))""",
            (chosen,),
        )
        self._db.execute("DELETE FROM turns WHERE file_id IN (SELECT value FROM json_each(?))", (chosen,))
        gone = self._db.execute("DELETE FROM files WHERE file_id IN (SELECT value FROM json_each(?))", (chosen,))
        return gone.rowcount

    def forget_others(self, host_id: str, first: str, last: str, keep: Iterable[str]) -> list[str]:
        """After a complete listing: forget the host's meetings of first..last that Zoom no longer lists."""
        kept = set(keep)
        stale = [m.uuid for m in self.meetings_between(host_id, first, last) if m.uuid not in kept]
        for uuid in stale:
            self.forget_meeting(uuid)
        return stale

    # --- gone: trashed or deleted by a webhook ------------------------------------------------------------

    def mark_gone(self, uuid: str, event_ts: int) -> None:
        with self._db:
            self._db.execute(
                """INSERT INTO gone VALUES (?, ?)
                ON CONFLICT(uuid) DO UPDATE SET event_ts = max(event_ts, excluded.event_ts)""",
                (uuid, event_ts),
            )

    def gone_at(self, uuid: str) -> int:
        """When (event ms) a webhook said this meeting's recording was trashed or deleted; 0 if never."""
        row = self._db.execute("SELECT event_ts FROM gone WHERE uuid = ?", (uuid,)).fetchone()
        return int(row[0]) if row else 0

    def clear_gone(self, uuid: str) -> None:
        with self._db:
            self._db.execute("DELETE FROM gone WHERE uuid = ?", (uuid,))

    # --- what a search listed, and whose meetings they were ------------------------------------------------

    def record_listing(self, user: str, first: str, last: str, listed_at: float) -> None:
        with self._db:
            self._db.execute(
                "INSERT INTO listed (user, first, last, listed_at) VALUES (?, ?, ?, ?)", (user, first, last, listed_at)
            )

    def listings(self, user: str, since: float) -> list[Listing]:
        """The ranges listed for `user` at or after `since` (epoch seconds), oldest first."""
        rows = self._db.execute(
            "SELECT first, last, listed_at FROM listed WHERE user = ? AND listed_at >= ? ORDER BY listed_at",
            (user, since),
        ).fetchall()
        return [Listing(*row) for row in rows]

    def all_listings(self) -> list[tuple[str, str, str, float]]:
        """(user, first, last, listed_at) of every listing kept, oldest first."""
        return self._db.execute("SELECT user, first, last, listed_at FROM listed ORDER BY listed_at").fetchall()

    def prune_listings(self, before: float) -> None:
        """Forget listings made before `before`: no search can rely on them any more."""
        with self._db:
            self._db.execute("DELETE FROM listed WHERE listed_at < ?", (before,))

    def set_host(self, user: str, host_id: str) -> None:
        if self.host_of(user) != host_id:
            with self._db:
                self._db.execute("INSERT OR REPLACE INTO hosts VALUES (?, ?)", (user, host_id))

    def host_of(self, user: str) -> str | None:
        row = self._db.execute("SELECT host_id FROM hosts WHERE user = ?", (user,)).fetchone()
        return row[0] if row else None

    # --- text ----------------------------------------------------------------------------------------------

    def add_file(self, file_id: str, uuid: str, kind: str, passages: Iterable[Passage]) -> None:
        """Index one file's passages; a file already indexed is left as it is."""
        with self._db:
            if self.has_file(file_id):
                return
            self._db.execute("INSERT INTO files VALUES (?, ?, ?)", (file_id, uuid, kind))
            for seq, p in enumerate(passages):
                cursor = self._db.execute(
                    "INSERT INTO turns (file_id, uuid, kind, seq, speaker, start, end, text) VALUES (?,?,?,?,?,?,?,?)",
                    (file_id, uuid, kind, seq, p.speaker, p.start, p.end, p.text),
                )
                self._db.execute(
                    "INSERT INTO passages (rowid, text, speaker) VALUES (?, ?, ?)",
                    (cursor.lastrowid, p.text, p.speaker or ""),
                )

    def passages(self, file_id: str) -> list[Passage] | None:
        """A file's passages in order, or None when it was never indexed."""
        if not self.has_file(file_id):
            return None
        rows = self._db.execute(
            "SELECT speaker, start, end, text FROM turns WHERE file_id = ? ORDER BY seq", (file_id,)
        ).fetchall()
        return [Passage(*row) for row in rows]

    def search(self, query: str, uuids: Sequence[str], limit: int) -> list[Hit]:
        """The best-matching passages among these meetings' files, best first (BM25)."""
        match = fts_query(query)
        if match is None or not uuids:
            return []
        rows = self._db.execute(
            """
            SELECT t.uuid, t.kind, t.speaker, t.start,
                   snippet(passages, 0, '**', '**', '…', 14), bm25(passages, 1.0, 0.5)
            FROM passages JOIN turns t ON t.id = passages.rowid
            WHERE passages MATCH ? AND t.uuid IN (SELECT value FROM json_each(?))
            ORDER BY 6 LIMIT ?
            """,
            (match, json.dumps(list(uuids)), limit),
        ).fetchall()
        return [Hit(*row) for row in rows]

    def topic_matches(self, query: str, uuids: Sequence[str]) -> list[str]:
        """Meetings whose topic matches, best first."""
        match = fts_query(query)
        if match is None or not uuids:
            return []
        rows = self._db.execute(
            "SELECT uuid FROM topics WHERE topics MATCH ? AND uuid IN (SELECT value FROM json_each(?)) ORDER BY rank",
            (match, json.dumps(list(uuids))),
        ).fetchall()
        return [row[0] for row in rows]

    # --- upkeep (zoom-mcp index status|rebuild) -------------------------------------------------------------

    def stats(self) -> Stats:
        def count(table: str) -> int:
            return int(self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

        pages = self._db.execute("PRAGMA page_count").fetchone()[0] * self._db.execute("PRAGMA page_size").fetchone()[0]
        return Stats(self.path, count("meetings"), count("files"), count("turns"), count("listed"), int(pages))

    def rebuild(self) -> None:
        """Rebuild the full-text tables from the stored text, forget what was listed (the next search asks Zoom
        again), and compact the file."""
        with self._db:
            self._db.execute("INSERT INTO passages (passages) VALUES ('rebuild')")
            self._db.execute("DELETE FROM topics")
            self._db.execute("INSERT INTO topics (topic, uuid) SELECT topic, uuid FROM meetings")
            self._db.execute("DELETE FROM listed")
        self._db.execute("VACUUM")


def _after(day: str) -> str:
    """The first `start_time` string past the UTC day `day` (yyyy-mm-dd): ISO times sort as text."""
    return day + "U"  # 'yyyy-mm-ddT...' < 'yyyy-mm-ddU'


def _owner_only(path: Path) -> None:
    """Create the file 0600 before SQLite opens it; tighten an existing file that others can read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("index %s was readable by others (mode %o); restricting it to its owner", path, mode)
        path.chmod(0o600)
