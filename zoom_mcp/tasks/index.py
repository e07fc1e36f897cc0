"""An embedded full-text index of what was said: SQLite FTS5 from the standard library.

Each transcript or chat file is parsed and indexed once, keyed by Zoom's file ID, so a repeated
question over the same meetings downloads nothing. Beside the text it keeps what keeps a search
fresh without asking Zoom: each recorded meeting as Zoom last described it (its files, and which
of them a search reads), the date ranges a search listed and when (`listed`), which host a user
name stands for (`hosts`), and meetings a webhook trashed or deleted (`gone`, so a late event
cannot bring them back). In memory unless a path is given; on disk the file is created
owner-only, since it holds meeting content. Each index holds one person's meetings: which index serves
whom (one per Zoom account, and one per person under --auth oauth) is decided in `tasks.indexes`.

Search ranks in two stages, so a year of meetings answers in milliseconds. Every transcript or chat
is also indexed whole (`documents`, contentless: no second copy of the text); the first stage ranks
the files of the meetings in scope by BM25 over those, the second ranks the passages of the best of
them (up to `CANDIDATE_PASSAGES` passages) by BM25 exactly as FTS5's `bm25()` scores them over the
whole index. Scoring every matching passage instead costs a few microseconds each, and a common
word matches tens of thousands of passages in a year of meetings. When the matching files hold
fewer passages than that budget (any index of a few months), the ranking is exactly FTS5's. While nothing
changes the index, here or in another process, it keeps what does not depend on the words asked (the meetings
of a range, the files of a scope not read yet) and each term's count of passages: a warm search reads only
the files and passages it ranks.
"""

from __future__ import annotations

import bisect
import heapq
import json
import logging
import math
import os
import re
import sqlite3
import stat
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

log = logging.getLogger(__name__)

VERSION = 3  # PRAGMA user_version; 0/1: the first schema (meetings without their files); 2: no `documents`

SCHEMA = """
CREATE TABLE IF NOT EXISTS meetings (
    uuid TEXT PRIMARY KEY, meeting_id INTEGER, topic TEXT, start_time TEXT, duration INTEGER, host_id TEXT
);
CREATE TABLE IF NOT EXISTS files (
    file_id TEXT PRIMARY KEY, uuid TEXT NOT NULL, kind TEXT NOT NULL, first_turn INTEGER, last_turn INTEGER
);
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
CREATE VIRTUAL TABLE IF NOT EXISTS documents USING fts5(text, speaker, content='', tokenize='porter unicode61');
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
# Added by version 3 to `files`: the file's passages are the turns first_turn..last_turn, and its row in
# `documents` (the whole file, for the first stage of a search) has the rowid first_turn.
FILE_COLUMNS = (("first_turn", "INTEGER"), ("last_turn", "INTEGER"))

WEIGHTS = (1.0, 0.5)  # BM25 weight of a passage's text and of its speaker's name
K1, B = 1.2, 0.75  # FTS5's bm25() constants
CANDIDATE_PASSAGES = 10_000  # passages of the best-matching files that a search ranks one by one
CANDIDATE_FILES = 200  # the most files a search ranks passage by passage (CANDIDATE_PASSAGES stops it first)
SEEK_COST = 80  # finding a term's passages in one more range costs as much as passing this many (see `_holding`)
TOPICS = 20  # meetings whose topic matches that a search names
RANGES_KEPT = 8  # date ranges whose meetings are kept between searches (thousands of rows each, for a year)
CACHE_KIB = 16 * 1024  # the most page cache an index on disk keeps in memory (an index in memory is all cache)

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


class MeetingRow(NamedTuple):
    """A recorded meeting as the index knows it (without its files: `files_of` reads those). A tuple: a search
    of a year makes thousands."""

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


def fts_terms(text: str) -> list[str]:
    """The user's words as FTS5 phrases: quoted phrases kept, stopwords dropped, no operators injected."""
    phrases = re.findall(r'"([^"]+)"', text)
    rest = re.sub(r'"[^"]*"', " ", text)
    words = [w for w in re.findall(r"\w+", rest.lower()) if w not in STOPWORDS]
    return [f'"{p.replace(chr(34), "")}"' for p in phrases if p.strip()] + [f'"{w}"' for w in dict.fromkeys(words)]


def fts_query(text: str) -> str | None:
    """The user's words as an FTS5 query: the phrases of `fts_terms`, OR-ed."""
    terms = fts_terms(text)
    return " OR ".join(terms) if terms else None


class TranscriptIndex:
    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path else None
        if self.path is not None:
            _owner_only(self.path)
        self._db = sqlite3.connect(str(self.path) if self.path else ":memory:", check_same_thread=False)
        if self.path is not None:
            # SQLite's default page cache is 2 MB; a search of a year touches a few MB of passages and their sizes,
            # which would otherwise be read back from the OS on every search (measured: about 6% of a warm search).
            self._db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        self._db.executescript(SCHEMA)
        self._migrate()
        # The meetings a search is about, as a keyed table its queries join (see `_scope`); `_own_changes` counts
        # the writes to temp tables (see `_scratch`).
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS scope (uuid TEXT PRIMARY KEY) WITHOUT ROWID")
        self._scoped: tuple[str, ...] | None = None
        self._own_changes = 0
        self._stems: dict[str, str] = {}  # word -> its porter stem (see `_stem`)
        # Kept while the index is unchanged (see `_unchanged`): FTS5 phrase -> passages holding it, the meetings
        # of a host's date range and the files of the scope not read yet (a warm search of a year would read the
        # same thousands of rows each time).
        self._held: dict[str, int] = {}
        self._between: dict[tuple[str, str, str], list[MeetingRow]] = {}
        self._unread: list[tuple[str, str, str]] | None = None  # of the meetings in `temp.scope`
        self._as_of: tuple[int, int] = (-1, -1)

    def _migrate(self) -> None:
        """Bring an index written by an earlier version up to this schema (its text stays)."""
        if self._db.execute("PRAGMA user_version").fetchone()[0] >= VERSION:
            return
        have = {row[1] for row in self._db.execute("PRAGMA table_info(meetings)")}
        with self._db:
            for name, kind in MEETING_COLUMNS:
                if name not in have:
                    self._db.execute(f"ALTER TABLE meetings ADD COLUMN {name} {kind}")
            # Covering indexes: a meeting's row holds its files' JSON (often past an overflow page), which listing a
            # year of meetings or finding the unread ones would otherwise read through for every meeting.
            self._db.execute("DROP INDEX IF EXISTS meetings_by_host")
            self._db.execute(
                """CREATE INDEX IF NOT EXISTS meetings_by_host ON meetings
                (host_id, start_time, uuid, meeting_id, topic, duration, transcript_file, chat_file)"""
            )
            self._db.execute(
                "CREATE INDEX IF NOT EXISTS meetings_read ON meetings (uuid, start_time, transcript_file, chat_file)"
            )
            have = {row[1] for row in self._db.execute("PRAGMA table_info(files)")}
            for name, kind in FILE_COLUMNS:
                if name not in have:
                    self._db.execute(f"ALTER TABLE files ADD COLUMN {name} {kind}")
            self._db.execute("CREATE INDEX IF NOT EXISTS files_by_first_turn ON files (first_turn)")
            if self._db.execute("SELECT 1 FROM files WHERE first_turn IS NULL LIMIT 1").fetchone():
                log.info("upgrading the transcript index: indexing each file whole (once)")
                self._db.execute(
                    """UPDATE files SET (first_turn, last_turn) =
                    (SELECT min(id), max(id) FROM turns WHERE turns.file_id = files.file_id)"""
                )
                self._db.execute("INSERT INTO documents (documents) VALUES ('delete-all')")
                self._add_documents(None)
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
        key = (host_id, first, last)
        self._unchanged()
        known = self._between.get(key)
        if known is None:
            rows = self._db.execute(
                f"""SELECT {BASE}, transcript_file, chat_file FROM meetings
                WHERE host_id = ? AND start_time >= ? AND start_time < ? ORDER BY start_time DESC""",
                (host_id, first, _after(last)),
            ).fetchall()
            if len(self._between) >= RANGES_KEPT:  # a long session asks of many ranges: keep the latest few
                del self._between[next(iter(self._between))]
            known = self._between[key] = list(map(MeetingRow._make, rows))
        return list(known)

    def rows(self, uuids: Sequence[str]) -> list[MeetingRow]:
        """These meetings as the index knows them, newest first (unknown ones are left out)."""
        self._scope(uuids)
        rows = self._db.execute(
            f"""SELECT {BASE}, transcript_file, chat_file FROM meetings
            WHERE uuid IN temp.scope ORDER BY start_time DESC"""
        ).fetchall()
        return list(map(MeetingRow._make, rows))

    def unread(self, uuids: Sequence[str]) -> list[tuple[str, str, str]]:
        """(uuid, kind, file ID) of the transcripts and chats of these meetings not indexed yet, newest first."""
        self._scope(uuids)
        self._unchanged()
        found = self._unread
        if found is None:
            found = self._unread = self._db.execute(
                """SELECT uuid, kind, file_id FROM (
                    SELECT m.uuid, 'transcript' AS kind, m.transcript_file AS file_id, m.start_time
                    FROM temp.scope s JOIN meetings m ON m.uuid = s.uuid
                    WHERE m.transcript_file IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM files WHERE file_id = m.transcript_file)
                    UNION ALL SELECT m.uuid, 'chat', m.chat_file, m.start_time
                    FROM temp.scope s JOIN meetings m ON m.uuid = s.uuid
                    WHERE m.chat_file IS NOT NULL AND NOT EXISTS (SELECT 1 FROM files WHERE file_id = m.chat_file)
                ) ORDER BY start_time DESC"""
            ).fetchall()
        return list(found)

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
        # A contentless or external-content FTS5 table forgets a row only when told its old values ('delete').
        self._db.executemany(
            "INSERT INTO documents (documents, rowid, text, speaker) VALUES ('delete', ?, ?, ?)",
            list(self._whole(file_ids)),
        )
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
        """Index one file's passages (and the file whole); a file already indexed is left as it is."""
        with self._db:
            if self.has_file(file_id):
                return
            ids = []
            for seq, p in enumerate(passages):
                cursor = self._db.execute(
                    "INSERT INTO turns (file_id, uuid, kind, seq, speaker, start, end, text) VALUES (?,?,?,?,?,?,?,?)",
                    (file_id, uuid, kind, seq, p.speaker, p.start, p.end, p.text),
                )
                ids.append(cursor.lastrowid)
                self._db.execute(
                    "INSERT INTO passages (rowid, text, speaker) VALUES (?, ?, ?)",
                    (cursor.lastrowid, p.text, p.speaker or ""),
                )
            first, last = (ids[0], ids[-1]) if ids else (None, None)
            self._db.execute("INSERT INTO files VALUES (?, ?, ?, ?, ?)", (file_id, uuid, kind, first, last))
            self._add_documents([file_id])

    def _whole(self, file_ids: list[str] | None) -> Iterable[tuple[int, str, str]]:
        """(first turn, text, speakers) of each file as `documents` holds it: every turn in order, one a line.

        What a file's row is removed with must be exactly what it was added with: both are built here."""
        rows = self._db.execute(
            """SELECT f.first_turn, t.text, coalesce(t.speaker, '') FROM files f JOIN turns t ON t.file_id = f.file_id
            WHERE f.first_turn IS NOT NULL"""
            + ("" if file_ids is None else " AND f.file_id IN (SELECT value FROM json_each(?))")
            + " ORDER BY f.first_turn, t.seq",
            () if file_ids is None else (json.dumps(file_ids),),
        )
        current: int | None = None
        texts: list[str] = []
        speakers: list[str] = []
        for first, text, speaker in rows:
            if first != current:
                if current is not None:
                    yield current, "\n".join(texts), "\n".join(speakers)
                current, texts, speakers = first, [], []
            texts.append(text)
            speakers.append(speaker)
        if current is not None:
            yield current, "\n".join(texts), "\n".join(speakers)

    def _add_documents(self, file_ids: list[str] | None) -> None:
        self._db.executemany(
            "INSERT INTO documents (rowid, text, speaker) VALUES (?, ?, ?)", list(self._whole(file_ids))
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
        """The best-matching passages among these meetings' files, best first: BM25 as FTS5's `bm25()` scores
        them (text weighted 1, speaker 0.5), over the passages of the best-matching files (see the module)."""
        terms = fts_terms(query)
        if not terms or not uuids or limit < 1:
            return []
        ranges = self._candidate_files(" OR ".join(terms), uuids, limit)
        if not ranges:
            return []
        scored = self._score(terms, ranges, limit)
        best = sorted(scored.items(), key=lambda item: (-item[1], item[0]))[:limit]
        if not best:
            return []
        ids = json.dumps([rowid for rowid, _ in best])
        snippets = dict(
            self._db.execute(
                """SELECT passages.rowid, snippet(passages, 0, '**', '**', '…', 14)
                FROM json_each(?) AS hit CROSS JOIN passages ON passages.rowid = hit.value WHERE passages MATCH ?""",
                (ids, " OR ".join(terms)),
            ).fetchall()
        )
        rows: dict[int, tuple[str, str, str | None, float]] = {
            rowid: (uuid, kind, speaker, start)
            for rowid, uuid, kind, speaker, start in self._db.execute(
                "SELECT id, uuid, kind, speaker, start FROM turns WHERE id IN (SELECT value FROM json_each(?))", (ids,)
            )
        }
        return [
            Hit(*rows[rowid], snippet=snippets.get(rowid, ""), rank=-score) for rowid, score in best if rowid in rows
        ]

    def _candidate_files(self, match: str, uuids: Sequence[str], limit: int) -> list[tuple[int, int]]:
        """(first, last turn) of the files to rank passage by passage: the best-matching files of these meetings
        (BM25 over each file whole) until CANDIDATE_PASSAGES, and at least `limit` files."""
        self._scope(uuids)
        rows = self._db.execute(
            """SELECT f.first_turn, f.last_turn FROM documents JOIN files f ON f.first_turn = documents.rowid
            WHERE documents MATCH ? AND f.uuid IN temp.scope
            ORDER BY bm25(documents, ?, ?) LIMIT ?""",
            (match, *WEIGHTS, max(limit, CANDIDATE_FILES)),
        ).fetchall()
        chosen: list[tuple[int, int]] = []
        total = 0
        for first, last in rows:
            total += last - first + 1
            if total > CANDIDATE_PASSAGES and len(chosen) >= limit:
                break
            chosen.append((first, last))
        return chosen

    def _score(self, terms: list[str], ranges: list[tuple[int, int]], limit: int) -> dict[int, float]:
        """The best `limit` passages of these turn ranges (and those tying with the last), with their BM25 as
        FTS5's bm25() computes it: the sum over terms of idf * f * (k1 + 1) / (f + k1 * (1 - b + b * D / avgdl)),
        f the weighted count of the term in the passage's columns, D its tokens, avgdl the mean over all
        passages, idf = ln((N - n + 0.5) / (n + 0.5)) (at least 1e-6), n of the N passages holding the term.

        A term's count is known at once when one word of the passage starts like it; otherwise it lies between
        bounds, and FTS5 counts it (by highlighting) only in the passages whose best case could still reach the
        best `limit`."""
        rows, tokens = self._totals()
        if not rows:
            return {}
        avgdl = tokens / rows
        holding = [self._holding(ranges, term) for term in terms]
        texts = self._texts(sorted(set().union(*holding)))  # rowid -> (text, speaker, docsize), each read once
        if not texts:
            return {}
        norms = {rowid: K1 * (1 - B + B * _tokens(size) / avgdl) for rowid, (_, _, size) in texts.items()}
        gain = []
        for term in terms:
            held = self._holders(term)
            gain.append(max(math.log((rows - held + 0.5) / (held + 0.5)), 1e-6) * (K1 + 1))
        least: dict[int, float] = dict.fromkeys(texts, 0.0)  # the score if each term is there the least it can be
        most = least.copy()  # ... and the most
        bounded: set[int] = set()  # the passages where some term's count lies between bounds
        for n, (term, passages) in enumerate(zip(terms, holding, strict=True)):
            start, g = self._start(term), gain[n]
            for rowid in passages:
                if rowid not in texts:
                    continue  # no turn behind the full-text row (an index damaged outside this program)
                text, speaker, _ = texts[rowid]
                # At most how often each column holds the term: how often it holds the start of the term's words
                # (every word FTS5 matches to it starts so, so 0 means not there), or a thousand when that cannot
                # bound it (the column is not ASCII: SQLite's lower() folds only ASCII). Written out: this loop
                # runs for every passage and term, thousands of times a search.
                in_text = text.count(start) if start and text.isascii() else 1000
                in_speaker = speaker.count(start) if start and speaker.isascii() else 1000
                if not in_text and not in_speaker:  # the word's start is not where FTS5 found it: count it there
                    in_text = in_speaker = 1000
                if in_text and in_speaker:  # in one column or both, at least once
                    low, high = min(WEIGHTS), WEIGHTS[0] * in_text + WEIGHTS[1] * in_speaker
                elif in_text:
                    low, high = WEIGHTS[0], WEIGHTS[0] * in_text
                else:
                    low, high = WEIGHTS[1], WEIGHTS[1] * in_speaker
                norm = norms[rowid]
                at_least = g * low / (low + norm)
                least[rowid] += at_least
                if low == high:
                    most[rowid] += at_least
                else:
                    most[rowid] += g * high / (high + norm)
                    bounded.add(rowid)
        floor = heapq.nlargest(limit, least.values())[-1]
        scores = {rowid: score for rowid, score in least.items() if rowid not in bounded}
        unsure = [rowid for rowid in bounded if most[rowid] >= floor]
        if unsure:
            counted = [self._frequencies(term, unsure) for term in terms]
            for rowid in unsure:
                norm = norms[rowid]
                scores[rowid] = sum(
                    g * f / (f + norm) for g, counts in zip(gain, counted, strict=True) if (f := counts.get(rowid, 0.0))
                )
        return {rowid: score for rowid, score in scores.items() if score >= floor}

    def _holding(self, ranges: list[tuple[int, int]], term: str) -> list[int]:
        """The passages in these turn ranges (first, last rowid) that hold `term`, as FTS5 matches.

        FTS5 finds them one range at a time (a seek into the term's list of passages each, ~65 µs here) or in one
        pass over that list from the first range to the last, kept where a range holds them (~0.8 µs a passage
        holding the term): whichever costs less. Many short meetings make many ranges, a common word a long list.
        """
        if self._holders(term) > len(ranges) * SEEK_COST:
            rows = self._db.execute(
                """SELECT passages.rowid FROM json_each(?) AS span CROSS JOIN passages
                  ON passages.rowid BETWEEN json_extract(span.value, '$[0]') AND json_extract(span.value, '$[1]')
                WHERE passages MATCH ?""",
                (json.dumps(ranges), term),
            )
            return [rowid for (rowid,) in rows]
        ordered = sorted(ranges)
        firsts = [first for first, _ in ordered]
        rows = self._db.execute(
            "SELECT rowid FROM passages WHERE passages MATCH ? AND rowid BETWEEN ? AND ?",
            (term, ordered[0][0], max(last for _, last in ordered)),
        )
        found = []
        for (rowid,) in rows:
            at = bisect.bisect_right(firsts, rowid) - 1
            if at >= 0 and rowid <= ordered[at][1]:
                found.append(rowid)
        return found

    def _texts(self, rowids: list[int]) -> dict[int, tuple[str, str, bytes]]:
        """rowid -> (text lower-cased, speaker lower-cased, FTS5's docsize record) of these passages."""
        rows = self._db.execute(
            """SELECT t.id, lower(t.text), lower(coalesce(t.speaker, '')), d.sz FROM json_each(?) AS hit
            JOIN turns t ON t.id = hit.value JOIN passages_docsize d ON d.id = hit.value""",
            (json.dumps(rowids),),
        )
        return {rowid: (text, speaker, size) for rowid, text, speaker, size in rows}

    def _start(self, term: str) -> str:
        """How every word FTS5 matches to this phrase starts: its first word's stem, less a last "e" or "i"
        ("hoping" is "hope", "happy" "happi")."""
        first = term.strip('"').split()
        stem = self._stem(first[0]) if first else ""
        return stem[:-1] if len(stem) > 1 and stem[-1] in "ei" else stem

    def _scope(self, uuids: Sequence[str]) -> None:
        """Make `temp.scope` hold exactly these meetings, for the query that follows at once (nothing can refill
        it in between: the index's methods do not await). A search passes the same meetings to several queries:
        a keyed table is filled once, where a JSON array was parsed and sorted again by each (2-3 ms a year)."""
        given = tuple(uuids)
        if given != self._scoped:
            with self._scratch():
                self._db.execute("DELETE FROM temp.scope")
                self._db.executemany("INSERT OR IGNORE INTO temp.scope VALUES (?)", ((uuid,) for uuid in given))
            self._scoped, self._unread = given, None

    @contextmanager
    def _scratch(self) -> Iterator[None]:
        """Writes to this connection's own temp tables: committed at once (an open transaction would keep its
        read lock on the index file, and no other process could write it), and not counted as changes to the
        index (which would empty the caches `_unchanged` keeps, at every new word of a question)."""
        before = self._db.total_changes
        try:
            with self._db:
                yield
        finally:
            self._own_changes += self._db.total_changes - before

    def _unchanged(self) -> None:
        """Empty the caches when anything changed the index since they were filled: here (the connection's
        changes, less its `_scratch` writes) or in another process (`data_version`)."""
        now = (self._db.total_changes - self._own_changes, self._db.execute("PRAGMA data_version").fetchone()[0])
        if now != self._as_of:
            self._held, self._between, self._unread, self._as_of = {}, {}, None, now

    def _holders(self, term: str) -> int:
        """How many passages hold `term` (an FTS5 phrase): counted once while nothing changes the index."""
        self._unchanged()
        found = self._held.get(term)
        if found is None:
            found = self._held[term] = int(
                self._db.execute("SELECT count(*) FROM passages WHERE passages MATCH ?", (term,)).fetchone()[0]
            )
        return found

    def _stem(self, word: str) -> str:
        """The word as FTS5's porter tokenizer indexes it (asked of a scratch table in memory)."""
        found = self._stems.get(word)
        if found is None:
            if not self._stems:
                self._db.execute(
                    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.stemmer USING fts5(x, tokenize='porter unicode61')"
                )
                self._db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.stemmed USING fts5vocab(temp, stemmer, row)")
            with self._scratch():
                self._db.execute("INSERT INTO temp.stemmer (rowid, x) VALUES (1, ?)", (word,))
                terms = [row[0] for row in self._db.execute("SELECT term FROM temp.stemmed")]
                self._db.execute("DELETE FROM temp.stemmer")
            found = self._stems[word] = terms[0] if len(terms) == 1 else _fold(word)
        return found

    def _frequencies(self, term: str, rowids: list[int]) -> dict[int, float]:
        """The weighted count of `term` in these passages, as FTS5 sees it (the regions it highlights)."""
        marked = self._db.execute(
            """SELECT passages.rowid, highlight(passages, 0, char(1), ''), highlight(passages, 1, char(1), '')
            FROM json_each(?) AS hit CROSS JOIN passages ON passages.rowid = hit.value WHERE passages MATCH ?""",
            (json.dumps(rowids), term),
        )
        return {
            rowid: WEIGHTS[0] * (text or "").count("\x01") + WEIGHTS[1] * (speaker or "").count("\x01")
            for rowid, text, speaker in marked
        }

    def _totals(self) -> tuple[int, int]:
        """(passages, their tokens in all columns), from FTS5's own averages record."""
        row = self._db.execute("SELECT block FROM passages_data WHERE id = 1").fetchone()
        numbers = _varints(row[0]) if row and row[0] else []
        return (numbers[0], sum(numbers[1:])) if numbers else (0, 0)

    def topic_matches(self, query: str, uuids: Sequence[str], limit: int = TOPICS) -> tuple[list[str], int]:
        """The best `limit` meetings whose topic matches (newest first among equals), and how many match."""
        match = fts_query(query)
        if match is None or not uuids:
            return [], 0
        self._scope(uuids)
        rows = self._db.execute(
            """SELECT topics.uuid FROM topics JOIN meetings m ON m.uuid = topics.uuid
            WHERE topics MATCH ? AND topics.uuid IN temp.scope
            ORDER BY topics.rank, m.start_time DESC""",
            (match,),
        ).fetchall()
        return [row[0] for row in rows[:limit]], len(rows)

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
            self._db.execute("INSERT INTO documents (documents) VALUES ('delete-all')")
            self._add_documents(None)
            self._db.execute("DELETE FROM topics")
            self._db.execute("INSERT INTO topics (topic, uuid) SELECT topic, uuid FROM meetings")
            self._db.execute("DELETE FROM listed")
        self._db.execute("VACUUM")


def _fold(text: str) -> str:
    """Lower case without diacritics, as FTS5's unicode61 tokenizer folds (for counting, not matching)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def _tokens(docsize: bytes) -> int:
    """A passage's tokens in all columns, from its FTS5 docsize record (one varint per column)."""
    return sum(docsize) if max(docsize, default=0) < 0x80 else sum(_varints(docsize))


def _varints(blob: bytes) -> list[int]:
    """The SQLite varints FTS5 writes in its averages and docsize records."""
    out = []
    i = 0
    while i < len(blob):
        value = 0
        for n in range(9):
            byte = blob[i]
            i += 1
            if n == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        out.append(value)
    return out


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
