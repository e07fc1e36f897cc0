"""Finding a tool by what someone wants done: BM25F over each allowed tool's fields, on SQLite FTS5.

Each tool is a document with five fields, each with a weight:

    name         the tool name's words (list_webinar_absentees -> list webinar absentees)
    terms        curated search terms, the words people use for the task (`search_terms` in
                 tools.yaml; a task-level tool's in its definition): data, not code
    toolset      the toolset's name
    description  the description the model reads
    arguments    the top-level argument names, camelCase split (meetingId -> meeting id)

An FTS5 table (porter stemmer, so "registrants" meets "registration") tokenizes the fields and the
query; the score is BM25F (Robertson and Zaragoza, "The Probabilistic Relevance Framework: BM25 and
Beyond", 2009): per query term, the field-weighted, length-normalised term frequencies are summed
and saturated once, times the term's IDF. The IDF is Lucene's, log(1 + (N - n + 0.5) / (n + 0.5)),
because FTS5's own `bm25()` clamps the IDF of a term found in more than half the rows to ~0: here
"meeting" is in 96 of 186 tools, and `bm25()` could not tell a meeting tool from a webinar twin.

Scores within `NEAR` (10%) of the best of their group are too close to call, and two tie-breakers
order them: when the query asks for no change (none of its words is a verb that begins only write or
destructive tool names: create, delete, update, ...), reads come first; then the safety class (a
read before a write before a destructive call: with nothing to tell them apart, the safe reading).
`PLAIN` is the baseline the evaluation compares against: plain BM25 over name and description as
one text, no tie-breaker. Other tools' names are left out of a description ("for the definitions
use list_meeting_polls" says nothing about the tool that says it).
"""

from __future__ import annotations

import math
import re
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Mapping, Sequence

from zoom_mcp.inventory import Item

FIELDS = ("name", "terms", "toolset", "description", "arguments")
# Tuned on the tuning half of tests/data/discovery_tasks.yaml (bench/discovery.py prints both halves).
WEIGHTS: Mapping[str, float] = {"name": 4.0, "terms": 2.0, "toolset": 2.0, "description": 1.0, "arguments": 0.5}
PLAIN: Mapping[str, float] = {"text": 1.0}  # one field: the name's words and the description
K1, B = 1.2, 0.75  # the usual BM25 constants, for every field
NEAR = 0.1  # scores within 10% of a better one are too close to call: the tie-breakers decide

# Function words: they say nothing about which tool is meant.
_STOP = """a an the of for to in on at by with from and or is are was were be been being do does did i me my
mine we our ours us you your it its this that these those there here can could would should will shall may
might must have has had am please just so then than them they their he she his him her hers any some
about into onto up out s t"""
STOPWORDS = frozenset(_STOP.split())
SAFETY_ORDER = {"read": 0, "write": 1, "destructive": 2}


def _words(name: str) -> str:
    """A name's words: snake_case and camelCase split (meetingId -> meeting id)."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").lower()


def fields_of(item: Item, names: frozenset[str] = frozenset()) -> dict[str, str]:
    """The text of each field, with `names` (other tools' names) left out of the description."""
    name = _words(item.name)
    description = " ".join(w for w in item.description.split() if w.strip(".,;:()'") not in names)
    return {
        "name": name,
        "terms": " ; ".join(item.search_terms),
        "toolset": _words(item.toolset),
        "description": description,
        "arguments": " ".join(_words(a) for a in item.argument_names),
        "text": f"{name} ; {item.description}",
    }


class ToolIndex:
    """These tools, indexed once; `search` ranks them for a query with these field weights."""

    def __init__(
        self, items: Sequence[Item], weights: Mapping[str, float] = WEIGHTS, *, tie_break: bool = True
    ) -> None:
        unknown = set(weights) - {*FIELDS, "text"}
        if unknown:
            raise ValueError(f"unknown search fields: {', '.join(sorted(unknown))}")
        self.items = list(items)
        self.tie_break = tie_break
        self._fields = [f for f in (*FIELDS, "text") if weights.get(f)]
        self._weights = [float(weights[f]) for f in self._fields]
        self._lock = threading.Lock()  # the query table below is written by every search
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        tokenizer = "tokenize='porter unicode61'"
        self._db.executescript(
            f"CREATE VIRTUAL TABLE docs USING fts5({', '.join(self._fields)}, {tokenizer});"
            f"CREATE VIRTUAL TABLE docs_terms USING fts5vocab(docs, 'instance');"
            f"CREATE VIRTUAL TABLE query USING fts5(text, {tokenizer});"
            f"CREATE VIRTUAL TABLE query_terms USING fts5vocab(query, 'instance');"
        )
        marks = ", ".join("?" for _ in range(len(self._fields) + 1))
        names = frozenset(item.name for item in self.items)
        texts = [fields_of(item, names - {item.name}) for item in self.items]
        rows = [(n, *(text[f] for f in self._fields)) for n, text in enumerate(texts)]
        with self._db:
            self._db.executemany(f"INSERT INTO docs (rowid, {', '.join(self._fields)}) VALUES ({marks})", rows)
        # term -> doc -> field -> frequency; the length of each document's fields, in tokens
        postings: dict[str, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
        self._lengths = [[0] * len(self._fields) for _ in self.items]
        column = {name: n for n, name in enumerate(self._fields)}
        for term, doc, field in self._db.execute("SELECT term, doc, col FROM docs_terms"):
            postings[term][doc][column[field]] += 1
            self._lengths[doc][column[field]] += 1
        self._postings = {term: {doc: dict(f) for doc, f in docs.items()} for term, docs in postings.items()}
        self._actions = self._action_terms()
        count = max(len(self.items), 1)
        totals = [sum(lengths[f] for lengths in self._lengths) for f in range(len(self._fields))]
        self._average = [max(total / count, 1e-9) for total in totals]

    def _action_terms(self) -> frozenset[str]:
        """The verbs that ask for a change: those that begin a write or destructive tool's name and no
        read tool's (create, delete, update, ...; not get or list), stemmed."""
        verbs: dict[bool, set[str]] = {True: set(), False: set()}
        for item in self.items:
            verbs[item.safety == "read"].update(self.terms(item.name.split("_")[0]))
        return frozenset(verbs[False] - verbs[True])

    def asks_for_action(self, query: str) -> bool:
        return any(term in self._actions for term in self.terms(query))

    def terms(self, query: str) -> list[str]:
        """The query's stemmed terms, as the index holds them, without function words or repeats."""
        words = [w for w in re.findall(r"[^\W_]+", query.lower()) if w not in STOPWORDS]
        if not words:
            return []
        with self._lock, self._db:
            self._db.execute("DELETE FROM query")
            self._db.execute("INSERT INTO query (rowid, text) VALUES (1, ?)", (" ".join(words),))
            found = self._db.execute("SELECT term FROM query_terms ORDER BY offset").fetchall()
        return list(dict.fromkeys(term for (term,) in found))

    def score(self, doc: int, terms: Sequence[str]) -> float:
        total, documents = 0.0, len(self.items)
        for term in terms:
            postings = self._postings.get(term)
            if not postings or doc not in postings:
                continue
            frequency = 0.0
            for field, tf in postings[doc].items():
                norm = 1 - B + B * self._lengths[doc][field] / self._average[field]
                frequency += self._weights[field] * tf / norm
            idf = math.log(1 + (documents - len(postings) + 0.5) / (len(postings) + 0.5))
            total += idf * frequency * (K1 + 1) / (frequency + K1)
        return total

    def scored(self, query: str) -> list[tuple[Item, float]]:
        """Every tool that matches a word of the query, with its score (higher is better), best first."""
        terms = self.terms(query)
        candidates = {doc for term in terms for doc in self._postings.get(term, {})}
        scores = [(self.items[doc], self.score(doc, terms)) for doc in candidates]
        found = sorted((pair for pair in scores if pair[1] > 0), key=lambda p: (-p[1], p[0].name))
        if not self.tie_break:
            return found
        prefer_read = not any(term in self._actions for term in terms)
        ranked: list[tuple[Item, float]] = []
        while found:  # a group of scores too close to call, then the next group
            group = [pair for pair in found if pair[1] >= found[0][1] * (1 - NEAR)]
            found = found[len(group) :]
            ranked += sorted(group, key=lambda p: (_safety(p[0]) if prefer_read else 0, -p[1], _safety(p[0])))
        return ranked

    def search(self, query: str, limit: int = 5) -> list[Item]:
        """The best-matching tools, best first; none when no word of the query matches."""
        return [item for item, _ in self.scored(query)[:limit]]

    def close(self) -> None:
        self._db.close()


def _safety(item: Item) -> int:
    return SAFETY_ORDER.get(item.safety, len(SAFETY_ORDER))
