"""The query guard: cheap lexical checks that run before any SPARQL parser sees the query.

Why lexical: pyoxigraph's parser overflows its stack on deep nesting (docs/security.md §0.3),
so depth must be measured without parsing; and rdflib's parser is not thread-safe (§0.0), so
it cannot serve as a pre-parser in a threaded server. Strings, IRIs and comments are skipped,
so a keyword inside them (``"SERVICE"``, ``<http://x/FROM>``) never triggers a refusal;
prefixed names and variables (``ex:from``, ``?service``) are not keywords either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from server.errors import MalformedQueryError, QueryTooLongError, RefusedQueryError
from server.negotiation import QueryForm

#: Keywords that only occur in SPARQL Update requests
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH", "USING"}
)
#: Functions whose value differs from one evaluation to the next (results are not cached)
VOLATILE_FUNCTIONS = frozenset({"NOW", "RAND", "UUID", "STRUUID"})

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>
        '''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
      | \"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
      | '(?:[^'\\\n\r]|\\.)*'
      | "(?:[^"\\\n\r]|\\.)*"
    )
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<name>[?$@]\w[\w\-]* | (?:[^\W\d][\w\-.]*)?:(?:[\w\-.:%]|\\.)*)
  | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)
  | (?P<word>[^\W\d]\w*)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
#: Tokens after which ``<`` may be the less-than operator rather than the start of an IRI
_OPERAND_ENDS = frozenset({"string", "iri", "name", "number", "word", "close"})
#: Characters that change how the rest of the text is read if a would-be IRI is really a
#: less-than operator: brackets (depth), ``#`` (a comment) and ``'`` (a string)
_RELEXING_CHARACTERS = frozenset("()[]#'")


@dataclass(frozen=True)
class GuardLimits:
    """The limits the guard enforces (from the app configuration)."""

    max_chars: int
    max_nesting: int


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed the guard, with what the guard learnt about it."""

    text: str
    form: QueryForm
    nesting_depth: int
    has_dataset_clause: bool
    #: Calls NOW(), RAND(), UUID() or STRUUID(): two runs can give different answers
    is_volatile: bool = False


def iter_keywords_and_brackets(query: str) -> Iterator[tuple[str, str]]:
    """Yield ``(kind, text)`` for bare words and brackets outside strings, IRIs and comments.

    ``<`` is ambiguous: in an expression after an operand it is less-than, elsewhere it starts
    an IRI. Read wrongly, ``FILTER(?x<1)SERVICE?v#>`` hides SERVICE in a would-be IRI. Where
    ``<`` may be an operator (after an operand, inside parentheses) and the would-be IRI holds
    characters that change the reading of the rest, the query is refused.

    :raises RefusedQueryError: at such an ambiguous ``<``
    """
    parens_per_group = [0]
    previous = "other"
    for match in _TOKEN.finditer(query):
        kind, text = match.lastgroup or "other", match.group()
        if kind in ("space", "comment"):
            continue
        if kind == "iri" and previous in _OPERAND_ENDS and parens_per_group[-1] > 0:
            refuse_ambiguous_iri(text, match.start())
        if kind in ("open", "close"):
            track_parentheses(parens_per_group, text)
        if kind in ("word", "open", "close"):
            yield kind, text
        previous = kind


def refuse_ambiguous_iri(text: str, offset: int) -> None:
    """Refuse ``text`` (an IRI or a less-than operator) if the two readings differ."""
    if _RELEXING_CHARACTERS.intersection(text):
        raise RefusedQueryError(
            f"Ambiguous '<' at character {offset}: write a space after a less-than "
            "operator, or use a prefixed name for this IRI"
        )


def track_parentheses(parens_per_group: list[int], bracket: str) -> None:
    """Keep the open-parenthesis count of each enclosing ``{ }`` group."""
    if bracket == "{":
        parens_per_group.append(0)
    elif bracket == "}" and len(parens_per_group) > 1:
        parens_per_group.pop()
    elif bracket == "(":
        parens_per_group[-1] += 1
    elif bracket == ")":
        parens_per_group[-1] = max(parens_per_group[-1] - 1, 0)


def scan_query(query: str) -> tuple[int, list[str]]:
    """Return the deepest nesting of ``{ ( [`` and the bare words (upper case), in one pass.

    Strings, IRIs and comments are skipped.

    >>> scan_query('SELECT * WHERE { FILTER((?x > 1)) ?s ?p "{{{" }')
    (3, ['SELECT', 'WHERE', 'FILTER'])
    """
    depth = deepest = 0
    words: list[str] = []
    for kind, text in iter_keywords_and_brackets(query):
        if kind == "word":
            words.append(text.upper())
        elif kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(depth - 1, 0)
    return deepest, words


def measure_nesting(query: str) -> int:
    """Return the deepest nesting of ``{ ( [`` outside strings, IRIs and comments.

    >>> measure_nesting('SELECT * WHERE { FILTER((?x > 1)) ?s ?p "{{{" }')
    3
    """
    return scan_query(query)[0]


def check_query(
    query: str, limits: GuardLimits, dataset_from_protocol: bool = False
) -> CheckedQuery:
    """Refuse what this endpoint does not execute; return the checked query.

    :param dataset_from_protocol: ``default-graph-uri``/``named-graph-uri`` were given; the
        protocol dataset then replaces any FROM/FROM NAMED (SPARQL 1.1 Protocol §2.1.4), so
        the clause is ignored rather than refused
    :raises QueryTooLongError: over ``max_chars`` (413)
    :raises RefusedQueryError: too deep, SERVICE, FROM/FROM NAMED, ambiguous ``<`` (400)
    :raises MalformedQueryError: an update form or no query form at all (400)
    """
    if len(query) > limits.max_chars:
        raise QueryTooLongError(
            f"Query too long: {len(query)} characters (limit {limits.max_chars})"
        )
    depth, words = scan_query(query)
    if depth > limits.max_nesting:
        raise RefusedQueryError(f"Query nesting depth {depth} exceeds limit {limits.max_nesting}")
    refuse_features(words, dataset_from_protocol)
    return CheckedQuery(
        text=query,
        form=find_query_form(words),
        nesting_depth=depth,
        has_dataset_clause="FROM" in words,
        is_volatile=not VOLATILE_FUNCTIONS.isdisjoint(words),
    )


def refuse_features(words: list[str], dataset_from_protocol: bool) -> None:
    """Raise for the first update keyword, SERVICE, or (without a protocol dataset) FROM."""
    for word in words:
        if word in UPDATE_KEYWORDS:
            raise MalformedQueryError(
                f"Malformed query: {word} belongs to SPARQL Update; "
                "this endpoint is read-only and answers queries only"
            )
        if word == "SERVICE":
            raise RefusedQueryError("SERVICE (federated query) is not allowed on this endpoint")
        if word == "FROM" and not dataset_from_protocol:
            raise RefusedQueryError(
                "FROM / FROM NAMED are not allowed on this endpoint; every graph is already "
                "in the dataset (use GRAPH, or the default-graph-uri / named-graph-uri parameters)"
            )


def find_query_form(words: list[str]) -> QueryForm:
    """Return the form of the outermost query: the first SELECT/ASK/CONSTRUCT/DESCRIBE."""
    for word in words:
        if word in QueryForm.__members__:
            return QueryForm(word)
    raise MalformedQueryError("Malformed query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
