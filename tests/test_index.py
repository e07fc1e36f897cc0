"""The transcript index: FTS5 queries that cannot be injected, ranking, and an owner-only file on disk."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest
from mcp import Client

from tests.conftest import running, sandbox_settings
from zoom_mcp.clock import FixedClock
from zoom_mcp.sandbox import Sandbox
from zoom_mcp.tasks import index as index_module
from zoom_mcp.tasks.index import Passage, TranscriptIndex, fts_query

pytestmark = pytest.mark.anyio


def seeded(index: TranscriptIndex) -> TranscriptIndex:
    index.add_meeting("u1", 1, "Pricing review", "2026-10-01T10:00:00Z", 30, "h")
    index.add_meeting("u2", 2, "Stand-up", "2026-10-02T09:00:00Z", 15, "h")
    index.add_file(
        "f1",
        "u1",
        "transcript",
        [
            Passage("Sam Okafor", 10.0, 15.0, "We decided to raise the price to 49 dollars from January."),
            Passage("Alex Rivera", 16.0, 20.0, "Fine, and the discount stays for existing customers."),
        ],
    )
    index.add_file("f2", "u2", "transcript", [Passage(None, 1.0, 2.0, "Nothing about prices today, decided nothing.")])
    return index


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("price decided", '"price" OR "decided"'),
        ('"raise the price" now', '"raise the price" OR "now"'),
        ("what did we say about it", None),
        ('NEAR(a b) OR x* -y "unterminated', '"near" OR "b" OR "x" OR "y" OR "unterminated"'),
    ],
)
def test_user_words_become_a_safe_fts_query(text: str, query: str | None) -> None:
    assert fts_query(text) == query


def test_search_ranks_stems_and_limits_to_the_given_meetings() -> None:
    index = seeded(TranscriptIndex())
    hits = index.search("decided prices", ["u1", "u2"], 10)
    assert {h.uuid for h in hits} == {"u1", "u2"}
    assert index.search("raising price", ["u1", "u2"], 10)[0].speaker == "Sam Okafor"  # porter: raising ~ raise
    assert [h.uuid for h in index.search("decided", ["u2"], 10)] == ["u2"]
    assert index.search("decided", [], 10) == [] and index.search("the", ["u1"], 10) == []
    assert "**price**" in index.search("price", ["u1"], 1)[0].snippet
    assert index.topic_matches("pricing", ["u1", "u2"]) == (["u1"], 1)


def test_a_file_is_indexed_once() -> None:
    index = seeded(TranscriptIndex())
    index.add_file("f1", "u1", "transcript", [Passage("X", 0, 1, "duplicate")])
    assert (index.passages("f1") or [])[0].text.startswith("We decided")
    assert index.passages("never") is None


def test_on_disk_the_index_is_owner_only_and_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "index.sqlite"
    seeded(TranscriptIndex(path)).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = TranscriptIndex(path)
    assert again.has_file("f1") and again.search("price", ["u1"], 5)
    again.close()


def test_an_existing_index_readable_by_others_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    path.touch(mode=0o644)
    path.chmod(0o644)
    TranscriptIndex(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_a_second_server_on_the_same_index_file_downloads_nothing(tmp_path: Path, clock: FixedClock) -> None:
    settings = sandbox_settings({"ZOOM_MCP_INDEX": str(tmp_path / "i.sqlite")})
    assert settings.index
    counts = []
    for _ in range(2):
        sandbox = Sandbox(clock=clock)
        async with running(sandbox, clock, settings=settings) as app, Client(app.server) as mcp:
            result = await mcp.call_tool("search_recordings", {"query": "launch date"})
            assert result.structured_content["hits"][0]["topic"] == "Launch retro"
        counts.append(sum(1 for r in sandbox.requests if r.raw_path.startswith("/rec/")))
    assert counts[0] >= 3 and counts[1] == 0


def test_a_forgotten_meeting_leaves_no_passage_behind() -> None:
    index = seeded(TranscriptIndex())
    assert index.forget_meeting("u1") and not index.forget_meeting("u1")
    assert index.search("price", ["u1", "u2"], 10)[0].uuid == "u2"  # only the other meeting's passage is left
    assert (
        index.passages("f1") is None
        and index.meeting("u1") is None
        and index.topic_matches("pricing", ["u1"]) == ([], 0)
    )
    index.add_file("f1", "u1", "transcript", [Passage("Sam", 1, 2, "the price again")])  # it can come back
    assert [h.uuid for h in index.search("price", ["u1"], 5)] == ["u1"]


def test_files_a_search_reads_and_which_are_still_unread() -> None:
    index = TranscriptIndex()
    files = [{"id": "t1", "file_type": "TRANSCRIPT"}, {"id": "c1", "file_type": "CHAT"}]
    assert index.add_meeting(
        "m", 1, "Sync", "2026-06-01T10:00:00Z", 30, "h", files=files, transcript_file="t1", chat_file="c1"
    )
    assert not index.add_meeting(
        "m", 1, "Sync", "2026-06-01T10:00:00Z", 30, "h", files=files, transcript_file="t1", chat_file="c1"
    )
    assert index.unread(["m"]) == [("m", "transcript", "t1"), ("m", "chat", "c1")]
    index.add_file("t1", "m", "transcript", [Passage(None, 0, 1, "hello")])
    assert index.unread(["m"]) == [("m", "chat", "c1")] and index.files_of("m") == files
    assert [m.uuid for m in index.meetings_between("h", "2026-06-01", "2026-06-01")] == ["m"]
    assert index.meetings_between("h", "2026-06-02", "2026-06-30") == []
    assert index.forget_others("h", "2026-05-01", "2026-06-30", keep=[]) == ["m"] and index.meeting("m") is None


def test_listings_hosts_and_removals_are_remembered(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    index = TranscriptIndex(path)
    index.record_listing("me", "2026-05-18", "2026-06-17", 1000.0)
    index.set_host("me", "host-1")
    index.mark_gone("u9", 5)
    index.mark_gone("u9", 3)  # an older removal does not move it back
    index.close()
    again = TranscriptIndex(path)
    assert [(x.first, x.last) for x in again.listings("me", since=999.0)] == [("2026-05-18", "2026-06-17")]
    assert again.listings("me", since=1001.0) == [] and again.host_of("me") == "host-1" and again.gone_at("u9") == 5
    again.rebuild()
    assert again.listings("me", since=0) == [] and again.stats().meetings == 0
    again.close()


def test_an_index_written_by_the_first_version_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    old = sqlite3.connect(path)
    old.executescript(
        """CREATE TABLE meetings (uuid TEXT PRIMARY KEY, meeting_id INTEGER, topic TEXT, start_time TEXT,
        duration INTEGER, host_id TEXT);
        INSERT INTO meetings VALUES ('u1', 1, 'Pricing review', '2026-10-01T10:00:00Z', 30, 'h');"""
    )
    old.commit()
    old.close()
    index = TranscriptIndex(path)
    assert index.meeting("u1") is not None and index.files_of("u1") == []
    index.add_meeting(
        "u1", 1, "Pricing review", "2026-10-01T10:00:00Z", 30, "h", files=[{"id": "f"}], transcript_file="f"
    )
    assert index.unread(["u1"]) == [("u1", "transcript", "f")]
    index.close()


# --- ranking at scale: the best-matching files first, then their passages -------------------------------------


def exact_bm25(index: TranscriptIndex, query: str, uuids: list[str], limit: int) -> list[tuple[int, float]]:
    """What one FTS5 query over every passage ranks first (the single-stage search a year made slow)."""
    match = fts_query(query)
    rows = index._db.execute(
        """SELECT t.id, bm25(passages, 1.0, 0.5) FROM passages JOIN turns t ON t.id = passages.rowid
        WHERE passages MATCH ? AND t.uuid IN (SELECT value FROM json_each(?)) ORDER BY 2, 1 LIMIT ?""",
        (match, json.dumps(uuids), limit),
    ).fetchall()
    return [(rowid, round(score, 9)) for rowid, score in rows]


def ranked(index: TranscriptIndex, query: str, uuids: list[str], limit: int) -> list[tuple[int, float]]:
    """The two-stage search's hits as (turn, score)."""
    turns = {(uuid, start, kind): rowid for rowid, uuid, start, kind in index._db.execute(
        "SELECT id, uuid, start, kind FROM turns")}  # fmt: skip
    return [(turns[(h.uuid, h.start, h.kind)], round(h.rank, 9)) for h in index.search(query, uuids, limit)]


@pytest.mark.parametrize("finding", ["one pass over each term's passages", "a seek into them per file"])
async def test_search_ranks_exactly_as_fts5_bm25_over_every_passage(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch, finding: str
) -> None:
    """The sandbox's history fits the candidate budget: the two-stage search is FTS5's own ranking, scores and
    ties included, for single words, several words, phrases, speakers' names and repeated words, whichever way
    it finds the passages of the best files that hold a term."""
    monkeypatch.setattr(index_module, "SEEK_COST", 10**9 if finding.startswith("one pass") else 0)
    path = tmp_path / "index.sqlite"
    async with (
        running(Sandbox(clock=clock, extra_meetings=30), clock, settings=sandbox_settings(index=str(path))) as app,
        Client(app.server) as mcp,
    ):
        await mcp.call_tool("search_recordings", {"query": "anything", "from": "2025-01-01"})
    index = TranscriptIndex(path)
    uuids = [row[0] for row in index._db.execute("SELECT uuid FROM meetings")]
    assert index.stats().passages > 1000
    for query in ("launch date", "decided to approve", "price", "Team plan price", "Sam pricing", '"launch date"',
                  "sam", "budget budget", "action item"):  # fmt: skip
        assert ranked(index, query, uuids, 10) == exact_bm25(index, query, uuids, 10), query
    index.close()


def test_over_the_budget_the_best_matching_files_are_ranked_passage_by_passage(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    index = TranscriptIndex()
    index.add_meeting("about", 1, "Pricing", "2026-10-01T10:00:00Z", 60, "h")
    index.add_meeting("aside", 2, "Stand-up", "2026-10-02T10:00:00Z", 15, "h")
    pricing = [
        Passage("Sam", n, n + 1, f"About plan {n}: the price stays where it was this quarter.") for n in range(40)
    ]
    index.add_file("t-about", "about", "transcript", pricing)
    index.add_file("t-aside", "aside", "transcript", [Passage("Alex", 0, 1, "Price?"), Passage("Alex", 1, 2, "Lunch.")])
    exact = index.search("price", ["about", "aside"], 1)
    assert [h.uuid for h in exact] == ["aside"]  # the shortest passage holding the word wins, as in FTS5
    assert ranked(index, "price", ["about", "aside"], 3) == exact_bm25(index, "price", ["about", "aside"], 3)
    monkeypatch.setattr(index_module, "CANDIDATE_PASSAGES", 1)
    assert [h.uuid for h in index.search("price", ["about", "aside"], 1)] == ["about"]  # the meeting about it
    assert {h.uuid for h in index.search("price", ["about", "aside"], 2)} == {"about", "aside"}  # `limit` files


@pytest.mark.parametrize("seek_cost", [0, 10**9], ids=["a seek per file", "one pass"])
def test_over_the_budget_only_the_chosen_files_passages_are_ranked(
    monkeypatch: pytest.MonkeyPatch, seek_cost: int
) -> None:
    """The files chosen need not be next to each other: a passage of a file between them that was not chosen
    is not ranked, whichever way the passages are found (one pass covers the files in between too)."""
    index = TranscriptIndex()
    for n, uuid in enumerate(("first", "between", "last")):
        index.add_meeting(uuid, n, uuid.title(), f"2026-10-0{n + 1}T10:00:00Z", 60, "h")
    pricing = [
        Passage("Sam", n, n + 1, f"About plan {n}: the price stays where it was this quarter.") for n in range(40)
    ]
    index.add_file("t-first", "first", "transcript", pricing)
    index.add_file(
        "t-between", "between", "transcript", [Passage("Alex", 0, 1, "Price?"), Passage("Alex", 1, 2, "No.")]
    )
    index.add_file("t-last", "last", "transcript", pricing)
    scope = ["first", "between", "last"]
    assert index.search("price", scope, 1)[0].uuid == "between"  # within the budget: its short passage ranks first
    monkeypatch.setattr(index_module, "CANDIDATE_PASSAGES", 1)
    monkeypatch.setattr(index_module, "SEEK_COST", seek_cost)
    hits = index.search("price", scope, 2)  # the two best files, "first" and "last", and nothing between them
    assert len(hits) == 2 and {h.uuid for h in hits} <= {"first", "last"}


def test_whole_files_come_and_go_with_their_passages() -> None:
    index = seeded(TranscriptIndex())
    db = index._db

    def files_holding(word: str) -> int:
        return int(db.execute("SELECT count(*) FROM documents WHERE documents MATCH ?", (word,)).fetchone()[0])

    assert files_holding("price") == 2 and files_holding("discount") == 1
    index.forget_files(["f2"])
    assert files_holding("price") == 1
    index.forget_meeting("u1")
    assert files_holding("price") == 0 and files_holding("discount") == 0
    seeded(index)
    index.rebuild()
    assert files_holding("price") == 2 and [h.uuid for h in index.search("discount", ["u1", "u2"], 5)] == ["u1"]
    for table in ("passages", "documents"):
        db.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")


def test_an_index_of_the_second_version_gets_its_files_indexed_whole(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite"
    seeded(TranscriptIndex(path)).close()
    old = sqlite3.connect(path)  # back to version 2: no whole files, no turn ranges
    old.executescript(
        """INSERT INTO documents (documents) VALUES ('delete-all');
        CREATE TABLE files2 (file_id TEXT PRIMARY KEY, uuid TEXT NOT NULL, kind TEXT NOT NULL);
        INSERT INTO files2 SELECT file_id, uuid, kind FROM files; DROP TABLE files; ALTER TABLE files2 RENAME TO files;
        PRAGMA user_version = 2;"""
    )
    old.commit()
    old.close()
    index = TranscriptIndex(path)
    hits = index.search("decided prices", ["u1", "u2"], 10)
    assert {h.uuid for h in hits} == {"u1", "u2"} and "**price**" in index.search("price", ["u1"], 1)[0].snippet
    assert index._db.execute("PRAGMA user_version").fetchone()[0] == index_module.VERSION
    index.close()


def test_what_a_search_keeps_between_searches_follows_every_change(tmp_path: Path) -> None:
    """The meetings of a range, the unread files of a scope and the term counts are kept while the index is
    unchanged: a write here, a write by another process on the same file, or another scope is seen at once."""
    path = tmp_path / "index.sqlite3"
    index = seeded(TranscriptIndex(path))
    assert [m.uuid for m in index.meetings_between("h", "2026-10-01", "2026-10-31")] == ["u2", "u1"]
    assert index.unread(["u1", "u2"]) == []
    assert [h.uuid for h in index.search("customers", ["u1", "u2"], 10)] == ["u1"]

    # here: a meeting and its (unread) transcript arrive
    index.add_meeting("u3", 3, "Renewals", "2026-10-03T09:00:00Z", 20, "h", files=[], transcript_file="f3")
    assert [m.uuid for m in index.meetings_between("h", "2026-10-01", "2026-10-31")] == ["u3", "u2", "u1"]
    assert index.unread(["u1", "u2", "u3"]) == [("u3", "transcript", "f3")]
    assert index.unread(["u1", "u2"]) == []  # another scope: its own answer
    assert index.unread(["u1", "u2", "u3"]) == [("u3", "transcript", "f3")]  # and back

    # another process on the same file: reads it, then indexes more of what customers said
    other = TranscriptIndex(path)
    other.add_file("f3", "u3", "transcript", [Passage("Kim Lee", 1.0, 2.0, "Customers asked for customers' renewals.")])
    other.add_meeting("u4", 4, "Later", "2026-10-04T09:00:00Z", 20, "h")
    other.close()
    assert [m.uuid for m in index.meetings_between("h", "2026-10-01", "2026-10-31")] == ["u4", "u3", "u2", "u1"]
    assert index.unread(["u1", "u2", "u3"]) == []
    hits = index.search("customers", ["u1", "u2", "u3"], 10)
    assert [h.uuid for h in hits] == ["u3", "u1"]  # u3 ranks first: twice in a shorter passage
    # the count of passages holding "customers" (its IDF) went from 1 to 2: the score moved with it
    assert hits[1].rank != rank_of_the_best(seeded(TranscriptIndex()), "customers", "u1")


def rank_of_the_best(index: TranscriptIndex, query: str, uuid: str) -> float:
    return index.search(query, [uuid], 1)[0].rank


def test_a_search_holds_no_lock_on_the_index_file_and_new_words_keep_what_it_kept(tmp_path: Path) -> None:
    """Stemming a question's new words writes a scratch table: that write is committed at once (it once left a
    transaction open, and its read lock kept every other process from writing the file: 'database is locked'),
    and it is no change to the index (it once emptied the kept meetings of a range at each new word)."""
    path = tmp_path / "index.sqlite3"
    index = seeded(TranscriptIndex(path))
    assert index.meetings_between("h", "2026-10-01", "2026-10-31")
    statements: list[str] = []
    index._db.set_trace_callback(statements.append)
    assert index.search("customers discount", ["u1", "u2"], 10)  # words never stemmed before
    assert not index._db.in_transaction
    other = sqlite3.connect(path, timeout=0.2)  # another process: the server's `zoom-mcp index`, or a second server
    with other:
        other.execute("INSERT INTO hosts VALUES ('someone', 'h2')")
    other.close()
    index.search("renewals", ["u1", "u2"], 10)
    statements.clear()
    assert [m.uuid for m in index.meetings_between("h", "2026-10-01", "2026-10-31")] == ["u2", "u1"]
    # the other process's write was a change: the range is read again, once
    assert sum("FROM meetings" in s for s in statements) == 1
    statements.clear()
    assert index.search("dollars", ["u1", "u2"], 10)  # a new word, and nothing else changed
    index.meetings_between("h", "2026-10-01", "2026-10-31")
    assert not any("FROM meetings" in s for s in statements)


def test_the_meetings_of_only_the_latest_few_ranges_are_kept() -> None:
    index = seeded(TranscriptIndex())
    for day in range(1, 31):  # a long session asking about thirty different ranges, with nothing changing
        index.meetings_between("h", f"2026-10-{day:02d}", "2026-10-31")
    kept = set(index._between)
    assert len(kept) == index_module.RANGES_KEPT
    assert ("h", "2026-10-30", "2026-10-31") in kept and ("h", "2026-10-01", "2026-10-31") not in kept
