"""The search index: an SQLite FTS5 table of labels, synonyms, identifiers and quotes.

Every text is indexed folded by :func:`fold` (the label normalisation of the build,
:func:`kg.build.labels.normalise_label`: case, Greek letters spelled out, British spellings made
American, punctuation as spaces), and every query is folded by the same function, so ``κB``
finds ``kappaB`` and ``tumour`` finds ``tumor``. One row holds one value of one field, so the
field that matched is known and bm25 weighs it (label > synonym > identifier > quote).

A query is answered in tiers, each only when the one before found too little: the words as
they are, then every word as a prefix (typing ``hypoc`` finds hypocalcaemia), and, when both
find nothing, the nearest words of the index's vocabulary (``hypocalsemia``). The user's text is
never passed to FTS5 as syntax: it is folded into plain words, each quoted; FTS5's own operators
are refused (:class:`SearchQueryError`), so no query can make the engine fail.
"""

from __future__ import annotations

import difflib
import re
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from kg.build.labels import normalise_label

#: The indexed fields, best first; their bm25 weights
FIELDS = ("label", "synonym", "identifier", "quote")
FIELD_WEIGHTS = (10.0, 5.0, 2.0, 1.0)
#: Longest query text, and most words in one query
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12
#: Most results of one query
MAX_LIMIT = 100
#: Most index rows read for one tier (values of many resources)
MAX_ROWS_READ = 5000
#: Words of a quote shown around its first match
SNIPPET_WORDS = 14
#: FTS5 query syntax a plain search has no use for; refused so the user knows it is not applied
OPERATOR_CHARACTERS = ('"', "*", "^")
OPERATOR_WORDS = re.compile(r"\b(AND|OR|NOT|NEAR)\b")
#: How close a vocabulary word must be to stand in for a misspelt one
SPELLING_CUTOFF = 0.75


#: Rows best first (bm25 with the field weights); a resource's first row is its best one
SEARCH_SQL = (
    "SELECT iri, label_shown, kind, field, original, bm25(docs, ?, ?, ?, ?) AS score FROM docs "
    "WHERE docs MATCH ? AND (? IS NULL OR kind = ?) "
    "ORDER BY score, label_shown, iri, field, original LIMIT ?"
)


class SearchQueryError(ValueError):
    """The query cannot be searched (empty, too long, FTS syntax); the message says why."""


def fold(text: str) -> str:
    """The form texts are indexed and queried in (one function for both).

    >>> fold("NF-κB signalling in tumours")
    'nf kappab signaling in tumors'
    """
    return normalise_label(text)


def query_words(text: str) -> list[str]:
    """The folded words of a query, after refusing what a plain search cannot take.

    :raises SearchQueryError: empty, too long, FTS5 operators, invalid characters
    """
    if "\ufffd" in text or any(ord(char) < 32 and char not in "\t\n\r" for char in text):
        raise SearchQueryError("the query holds invalid characters (is it valid UTF-8?)")
    if not text.strip():
        raise SearchQueryError("empty query: give q=, e.g. q=RANKL")
    if len(text) > MAX_QUERY_CHARS:
        raise SearchQueryError(
            f"query too long ({len(text)} characters; at most {MAX_QUERY_CHARS})"
        )
    used = [char for char in OPERATOR_CHARACTERS if char in text]
    operator = OPERATOR_WORDS.search(text)
    if used or operator:
        shown = ", ".join(used + ([operator.group(0)] if operator else []))
        raise SearchQueryError(f"search takes plain words; query syntax ({shown}) is not supported")
    words = fold(text).split()
    if not words:
        raise SearchQueryError(f"no word to search for in {text!r}")
    if len(words) > MAX_QUERY_WORDS:
        raise SearchQueryError(f"too many words ({len(words)}; at most {MAX_QUERY_WORDS})")
    return words


@dataclass(frozen=True)
class SearchDocument:
    """One value of one field of one resource, as it is indexed."""

    iri: str
    kind: str
    #: The resource's label, shown with every hit
    label: str
    #: One of :data:`FIELDS`
    field: str
    text: str


@dataclass(frozen=True)
class SearchHit:
    """A resource found, with the field that matched it and a snippet of that field."""

    iri: str
    label: str
    kind: str
    field: str
    #: The snippet as (text, matched) parts; :attr:`snippet` joins them
    parts: tuple[tuple[str, bool], ...]
    #: How it was found: ``exact``, ``prefix`` or ``spelling``
    match: str

    @property
    def snippet(self) -> str:
        """The snippet as plain text."""
        return "".join(text for text, _ in self.parts)


def snippet_parts(text: str, words: list[str], field: str) -> tuple[tuple[str, bool], ...]:
    """``text`` split into parts, those whose folded form starts with a query word marked;
    a quote is cut to :data:`SNIPPET_WORDS` words around its first match."""
    tokens = re.findall(r"\S+|\s+", text)
    prefixes = tuple(words)
    marked = [
        bool(prefixes)
        and not token.isspace()
        and any(part.startswith(prefixes) for part in fold(token).split())
        for token in tokens
    ]
    start, end = 0, len(tokens)
    if field == "quote" and len(tokens) > 2 * SNIPPET_WORDS:
        first = marked.index(True) if True in marked else 0
        start = max(0, first - SNIPPET_WORDS)
        end = min(len(tokens), start + 2 * SNIPPET_WORDS)
    parts = [
        (token, flag) for token, flag in zip(tokens[start:end], marked[start:end], strict=True)
    ]
    while parts and parts[-1][0].isspace():
        parts.pop()
    if start > 0:
        parts.insert(0, ("… ", False))
    if end < len(tokens):
        parts.append((" …", False))
    return tuple(parts)


class SearchIndex:
    """The FTS5 index of a set of documents, searched from many threads.

    Made from documents (:meth:`of_documents`) or from the bytes of a database written by
    :meth:`to_bytes` (the release's ``rankl-kg-search.sqlite``, :meth:`from_bytes`); the same
    documents give the same bytes.
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        self._lock = threading.Lock()
        self._db = db
        self.size: int = db.execute("SELECT COUNT(*) FROM docs").fetchone()[0]
        db.execute("CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, docs, 'row')")
        #: The indexed words (the tokens the index matches), for the spelling tier
        self.vocabulary: list[str] = [
            word for (word,) in db.execute("SELECT term FROM temp.words ORDER BY term")
        ]

    @classmethod
    def of_documents(cls, documents: Iterable[SearchDocument]) -> SearchIndex:
        """Index ``documents`` (in a canonical order, so the database is the same every time)."""
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5("
            f"{', '.join(FIELDS)}, iri UNINDEXED, kind UNINDEXED, label_shown UNINDEXED, "
            "field UNINDEXED, original UNINDEXED, "
            "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
        )
        rows = []
        for doc in sorted(set(documents), key=lambda d: (d.iri, d.field, d.text)):
            folded = fold(doc.text)
            if folded:
                columns = [folded if name == doc.field else "" for name in FIELDS]
                rows.append((*columns, doc.iri, doc.kind, doc.label, doc.field, doc.text))
        db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.commit()
        return cls(db)

    @classmethod
    def from_bytes(cls, data: bytes) -> SearchIndex:
        """Open an index written by :meth:`to_bytes`, in memory.

        :raises sqlite3.DatabaseError: ``data`` is not such an index
        """
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.deserialize(data)
        return cls(db)

    def to_bytes(self) -> bytes:
        """The index as an SQLite database file (``sqlite3 FILE "SELECT … MATCH …"`` reads it)."""
        with self._lock:
            return self._db.serialize()

    def search(self, text: str, kind: str | None = None, limit: int = 10) -> list[SearchHit]:
        """The best ``limit`` resources for ``text`` (of ``kind`` if given), best first.

        :raises SearchQueryError: the text is no searchable query (see :func:`query_words`)
        """
        words = query_words(text)
        limit = max(1, min(limit, MAX_LIMIT))
        tiers = [
            ("exact", " ".join(f'"{word}"' for word in words)),
            ("prefix", " ".join(f'"{word}"*' for word in words)),
        ]
        hits: dict[str, SearchHit] = {}
        for match, expression in tiers:
            self._add_hits(hits, match, expression, words, kind, limit)
            if len(hits) >= limit:
                break
        if not hits:
            corrected = self.spelling_expression(words)
            if corrected is not None:
                expression, known = corrected
                self._add_hits(hits, "spelling", expression, known, kind, limit)
        return list(hits.values())[:limit]

    def spelling_expression(self, words: list[str]) -> tuple[str, list[str]] | None:
        """An FTS5 expression with each unknown word replaced by its nearest vocabulary words,
        and the words it searches for; None if some word has no near one."""
        vocabulary = set(self.vocabulary)
        groups: list[str] = []
        known: list[str] = []
        for word in words:
            near = (
                [word]
                if word in vocabulary
                else difflib.get_close_matches(word, self.vocabulary, 3, SPELLING_CUTOFF)
            )
            if not near:
                return None
            known.extend(near)
            groups.append("(" + " OR ".join(f'"{candidate}"' for candidate in near) + ")")
        return " ".join(groups), known

    def _add_hits(
        self,
        hits: dict[str, SearchHit],
        match: str,
        expression: str,
        words: list[str],
        kind: str | None,
        limit: int,
    ) -> None:
        """Add the best hits of one FTS5 expression (one row per resource) to ``hits``."""
        with self._lock:
            rows = self._db.execute(
                SEARCH_SQL, (*FIELD_WEIGHTS, expression, kind, kind, MAX_ROWS_READ)
            ).fetchall()
        for iri, label, found_kind, field, original, _ in rows:
            if len(hits) >= limit:
                break
            if iri not in hits:
                parts = snippet_parts(original, words, field)
                hits[iri] = SearchHit(iri, label, found_kind, field, parts, match)
