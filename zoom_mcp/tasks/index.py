"""An embedded full-text index of what was said: SQLite FTS5 from the standard library.

Each transcript or chat file is parsed and indexed once, keyed by Zoom's file ID, so a repeated
question over the same meetings downloads nothing. In memory by default; on disk (`--index PATH`)
the file is created owner-only, since it holds meeting content. Under --auth oauth each person has an
index of their own (`Indexes.of`: PATH for single-user mode, PATH with a hash of the person's Zoom user
ID beside it for each person), so nobody searches or reads what was indexed for someone else.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sqlite3
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

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
CREATE VIRTUAL TABLE IF NOT EXISTS passages USING fts5(
    text, speaker, content='turns', content_rowid='id', tokenize='porter unicode61'
);
CREATE VIRTUAL TABLE IF NOT EXISTS topics USING fts5(topic, uuid UNINDEXED, tokenize='porter unicode61');
"""

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

    def close(self) -> None:
        self._db.close()

    def has_file(self, file_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM files WHERE file_id = ?", (file_id,)).fetchone() is not None

    def add_meeting(
        self, uuid: str, meeting_id: int | None, topic: str, start_time: str, duration: int | None, host_id: str
    ) -> None:
        row = (uuid, meeting_id, topic, start_time, duration, host_id)
        known = self._db.execute("SELECT * FROM meetings WHERE uuid = ?", (uuid,)).fetchone()
        if known == row:
            return  # every search re-lists its meetings: no write (and no commit on disk) when nothing changed
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO meetings VALUES (?, ?, ?, ?, ?, ?)", row)
            if known is None or known[2] != topic:
                self._db.execute("DELETE FROM topics WHERE uuid = ?", (uuid,))
                self._db.execute("INSERT INTO topics (topic, uuid) VALUES (?, ?)", (topic, uuid))

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


class Indexes:
    """One index per person (`""`: single-user mode), opened at its first use and closed together."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path else None
        self._open: dict[str, TranscriptIndex] = {}

    def of(self, person: str) -> TranscriptIndex:
        found = self._open.get(person)
        if found is None:
            found = self._open[person] = TranscriptIndex(self.path_of(person))
        return found

    def path_of(self, person: str) -> Path | None:
        """Where a person's index lives: PATH itself for single-user mode, else PATH.<hash of the user ID>."""
        if self.path is None or not person:
            return self.path
        tag = hashlib.sha256(person.encode()).hexdigest()[:16]
        return self.path.with_name(f"{self.path.name}.{tag}")

    def close(self) -> None:
        for index in self._open.values():
            index.close()
        self._open.clear()


def _owner_only(path: Path) -> None:
    """Create the file 0600 before SQLite opens it; tighten an existing file that others can read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("index %s was readable by others (mode %o); restricting it to its owner", path, mode)
        path.chmod(0o600)
