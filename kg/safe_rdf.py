"""Read RDF files without letting them reach the network or other local files.

Every RDF file the build parses goes through :func:`load_rdf`, and the server can hand its
files to :func:`read_checked_rdf` before pyoxigraph sees them. Three hazards are closed here
(docs/security.md T20 and T21):

* **RDF/XML DTDs.** A ``<!DOCTYPE`` or ``<!ENTITY`` declaration is refused by a byte scan
  before any XML parser runs: entity expansion ("billion laughs") pins rdflib's parser for
  minutes and makes pyoxigraph allocate gigabytes, and external entities name local files or
  URLs. RDF/XML must be UTF-8 (or ASCII), so the scan sees the same characters as the parser.
* **JSON-LD contexts.** rdflib fetches a remote ``@context`` (and reads a ``file:`` one) with no
  switch to turn it off. Every ``@context`` in a document, nested ones included, must be an
  inline object, or the IRI of the project's own published context, which is replaced by the
  same context built locally; anything else, and any ``@import``, is refused.
* **owl:imports.** The build never follows imports: owlready2 would fetch them. They are
  dropped from what :func:`load_rdf` returns, with a warning naming the file and the IRIs.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.namespace import OWL
from rdflib.term import Node

from kg.constants import BASE_IRI
from kg.errors import KGError
from kg.rdf_formats import JSONLD, RDFXML, RdfSyntax, known_suffixes, syntax_of_suffix
from kg.vocabulary import PREFIXES, new_graph

LOGGER = logging.getLogger(__name__)

#: The JSON-LD context the release publishes (kg/exports/jsonld.py), resolved without a fetch
LOCAL_CONTEXTS: dict[str, dict[str, str]] = {f"{BASE_IRI}rankl-kg.context.jsonld": dict(PREFIXES)}
#: Encodings an RDF/XML file may declare (the byte scan reads UTF-8)
RDFXML_ENCODINGS = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})

_XML_ENCODING = re.compile(
    rb"""\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']"""
)
_DTD_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)")
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


class UnsafeRdfError(KGError, ValueError):
    """An RDF file holds something that could read other files or reach the network."""

    def __init__(self, path: Path, where: str, message: str) -> None:
        self.path = path
        self.where = where
        super().__init__(f"{path}, {where}: {message}")


def rdf_syntax(path: Path) -> RdfSyntax:
    """Return the RDF syntax of ``path`` from its suffix.

    :raises UnsafeRdfError: the suffix is not an RDF syntax the project reads
    """
    syntax = syntax_of_suffix(path.suffix)
    if syntax is None:
        known = ", ".join(known_suffixes())
        raise UnsafeRdfError(
            path, "file name", f"unknown RDF suffix {path.suffix!r}; use one of {known}"
        )
    return syntax


def check_rdfxml(path: Path, content: bytes) -> None:
    """Refuse RDF/XML that is not UTF-8 or that declares a DTD or an entity.

    :raises UnsafeRdfError: naming the line of the declaration
    """
    if content.startswith(_WIDE_BOMS) or b"\x00" in content:
        raise UnsafeRdfError(
            path, "line 1", "RDF/XML must be encoded in UTF-8 (found UTF-16/32 or NUL bytes)"
        )
    declared = _XML_ENCODING.match(content)
    if declared and declared[1].decode("ascii", "replace").lower() not in RDFXML_ENCODINGS:
        raise UnsafeRdfError(
            path,
            "line 1",
            f"RDF/XML must be encoded in UTF-8, not {declared[1].decode('ascii', 'replace')!r}",
        )
    declaration = _DTD_DECLARATION.search(content)
    if declaration:
        line = content.count(b"\n", 0, declaration.start()) + 1
        kind = declaration[1].decode("ascii")
        raise UnsafeRdfError(
            path,
            f"line {line}",
            f"<!{kind} declarations are not allowed in RDF/XML "
            "(entity expansion, external entities)",
        )


def resolve_jsonld_contexts(path: Path, document: Any) -> Any:
    """Return ``document`` with the project's context inlined; refuse every other context IRI.

    :raises UnsafeRdfError: naming the JSON path of a remote or file context, or an ``@import``
    """
    return _resolve(path, document, "$", in_context=False)


def _resolve(path: Path, node: Any, where: str, in_context: bool) -> Any:
    if isinstance(node, list):
        return [
            _resolve(path, item, f"{where}[{index}]", in_context) for index, item in enumerate(node)
        ]
    if not isinstance(node, dict):
        return node
    resolved = {}
    for key, value in node.items():
        here = f"{where}.{key}"
        if in_context and key == "@import":
            raise UnsafeRdfError(
                path, here, f"JSON-LD @import {value!r} is not allowed (it would be fetched)"
            )
        if key == "@context":
            resolved[key] = _context(path, value, here)
        else:
            resolved[key] = _resolve(path, value, here, in_context)
    return resolved


def _context(path: Path, value: Any, where: str) -> Any:
    if isinstance(value, list):
        return [_context(path, item, f"{where}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, str):
        if value in LOCAL_CONTEXTS:
            return LOCAL_CONTEXTS[value]
        raise UnsafeRdfError(
            path,
            where,
            f"JSON-LD context {value!r} is not allowed: "
            f"only inline contexts and {', '.join(LOCAL_CONTEXTS)}",
        )
    return _resolve(path, value, where, in_context=True)


def read_checked_rdf(path: Path) -> bytes:
    """Return the content of an RDF file for a parser to read instead of the file, or refuse it.

    JSON-LD comes back with the project's context inlined. The server passes the result to
    ``pyoxigraph.Store.load(input=..., format=..., base_iri=path.as_uri())``; owl:imports are
    harmless there (pyoxigraph never follows them).

    :raises UnsafeRdfError: a DTD in RDF/XML, a foreign JSON-LD context, invalid JSON, or an
        unknown suffix
    :raises OSError: the file cannot be read
    """
    content = path.read_bytes()
    syntax = rdf_syntax(path)
    if syntax is RDFXML:
        check_rdfxml(path, content)
    elif syntax is JSONLD:
        try:
            document = json.loads(content)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UnsafeRdfError(path, "content", f"not valid JSON: {exc}") from exc
        content = json.dumps(resolve_jsonld_contexts(path, document), ensure_ascii=False).encode(
            "utf-8"
        )
    return content


def load_rdf(path: Path, graph: Graph | None = None) -> Graph:
    """Parse an RDF file into ``graph`` (a new graph by default) after the safety checks.

    ``owl:imports`` triples are dropped with a warning: the build never follows imports.

    :raises UnsafeRdfError: as :func:`read_checked_rdf`
    """
    target = graph if graph is not None else new_graph()
    target.parse(
        data=read_checked_rdf(path),
        format=rdf_syntax(path).rdflib,
        publicID=path.resolve().as_uri(),
    )
    imports = sorted(str(obj) for obj in target.objects(None, OWL.imports))
    if imports:
        LOGGER.warning(
            "%s: owl:imports ignored (the build never follows imports): %s",
            path,
            ", ".join(imports),
        )
        target.remove((None, OWL.imports, None))
    return target


def without_owl_imports(graph: Graph) -> Iterator[tuple[Node, Node, Node]]:
    """Yield the triples of ``graph`` except ``owl:imports`` (what a reasoner may be given)."""
    for triple in graph:
        if triple[1] != OWL.imports:
            yield triple
