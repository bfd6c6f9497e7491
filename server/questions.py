"""Blueprint ``questions``: question forms, and the entity look-up their pickers use.

Every served example query (``/.well-known/sparql-examples``) that declares a parameter
(:mod:`kg.query_parameters`) becomes a form at ``/questions/<id>``: pick an entity, get the
answer as a table with its evidence, and the SPARQL that gave it (to copy, or open in the query
page). ``/entities?q=&kind=`` finds entities by label or synonym for the pickers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pyoxigraph
from flask import Blueprint, Response, jsonify, render_template, request, url_for
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from kg.constants import BASE_IRI
from kg.query_parameters import (
    QueryParameter,
    QueryParameterError,
    bind_parameter,
    check_iri,
    read_parameters,
)
from kg.vocabulary import PREFIXES
from server.errors import EndpointError, text_response
from server.linked_data import path_of_iri
from server.page_queries import ask, select
from server.state import get_state

bp = Blueprint("questions", __name__)

#: The query properties of SIB sparql-examples that hold a SELECT
_SELECT = SH.select
#: Most entities ``/entities`` returns, and the longest text it searches for
MAX_ENTITIES = 20
MAX_SEARCH_CHARS = 100
#: Candidates fetched before ranking (a label search matches few in this graph)
_CANDIDATES = 500


class BadParameterError(EndpointError):
    """A form's parameter is not an entity of the graph of the kind the question takes."""

    status = 400


@dataclass(frozen=True)
class QuestionForm:
    """A parameterised example query: its id, question, SPARQL text and parameters."""

    id: str
    question: str
    text: str
    parameters: tuple[QueryParameter, ...]


def forms_of(examples: Graph) -> dict[str, QuestionForm]:
    """The parameterised SELECT examples of ``examples``, by id (the IRI's last segment)."""
    forms = {}
    for executable in sorted(set(examples.subjects(RDF.type, SH.SPARQLExecutable)), key=str):
        text = examples.value(executable, _SELECT)
        question = examples.value(executable, RDFS.comment)
        if not isinstance(executable, URIRef) or text is None or question is None:
            continue
        parameters = read_parameters(examples, executable, str(text))
        if parameters:
            form_id = str(executable).rstrip("/").rsplit("/", 1)[-1]
            forms[form_id] = QuestionForm(form_id, str(question), str(text), tuple(parameters))
    return forms


def served_forms() -> dict[str, QuestionForm]:
    """The question forms of the examples this server serves."""
    return forms_of(get_state().service.examples)


def compact(iri: str) -> str:
    """The CURIE of ``iri`` under the project's prefixes (the longest namespace), else the IRI."""
    best = max(
        ((prefix, ns) for prefix, ns in PREFIXES.items() if iri.startswith(ns)),
        key=lambda pair: len(pair[1]),
        default=None,
    )
    return f"{best[0]}:{iri.removeprefix(best[1])}" if best else iri


def expand(value: str) -> str:
    """The IRI a form field names: ``drug:denosumab``, ``<…>`` or a full IRI."""
    value = value.strip().removeprefix("<").removesuffix(">")
    prefix, colon, local = value.partition(":")
    if colon and prefix in PREFIXES and not local.startswith("//"):
        value = PREFIXES[prefix] + local
    try:
        return check_iri(value)
    except QueryParameterError as error:
        raise BadParameterError(str(error)) from error


def _is_a(iri: str, parameter: QueryParameter) -> bool:
    """Whether ``iri`` is in the graph, an instance of the parameter's class if it has one."""
    if parameter.cls:
        subclass = f"<{PREFIXES['rdfs']}subClassOf>"
        return ask(f"ASK {{ <{iri}> a/{subclass}* <{check_iri(parameter.cls)}> }}")
    return ask(f"ASK {{ <{iri}> ?p ?o }}")


def label_of(iri: str) -> str:
    """The ``rdfs:label`` of an entity, else its CURIE."""
    rows = select(f"SELECT ?l WHERE {{ <{iri}> <{RDFS.label}> ?l }} ORDER BY ?l LIMIT 1")
    for row in rows:
        label = row["l"]
        if label is not None:
            return str(label.value)
    return compact(iri)


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, a link (our pages, or the IRI), and a note."""

    text: str
    href: str | None = None
    note: str = ""


def cell_of(term: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | None) -> Cell:
    """How a result term shows in a table."""
    if term is None:
        return Cell("")
    if isinstance(term, pyoxigraph.NamedNode):
        return Cell(compact(term.value), path_of_iri(term.value) or term.value)
    if isinstance(term, pyoxigraph.Literal):
        note = term.language or ""
        return Cell(term.value, note=note)
    return Cell(f"_:{term.value}")


def answer_table(sparql: str) -> tuple[list[str], list[list[Cell]]]:
    """Run ``sparql`` (a SELECT of ours) and return its header and rows."""
    solutions = select(sparql)
    header = [variable.value for variable in solutions.variables]
    rows = [[cell_of(row[name]) for name in header] for row in solutions]
    return header, rows


def headline(question: str, label: str) -> str:
    """The question with its blank (the word ``X``) filled in."""
    return re.sub(r"\bX\b", label, question)


@bp.get("/questions/")
def list_questions() -> str:
    """Every question with a blank to fill, linked to its form."""
    forms = sorted(served_forms().values(), key=lambda form: form.id)
    return render_template("questions.html", forms=forms)


@bp.get("/questions/<form_id>")
def question(form_id: str) -> str | Response:
    """One question's form, answered for the entity in the query string (else the default)."""
    form = served_forms().get(form_id)
    if form is None:
        return text_response(404, f"Not Found: no question form {form_id!r}; see /questions/")
    sparql = form.text
    chosen = []
    for parameter in form.parameters:
        given = request.args.get(parameter.variable, "").strip()
        iri = expand(given) if given else parameter.default
        if not _is_a(iri, parameter):
            kind = compact(parameter.cls) if parameter.cls else "entity"
            raise BadParameterError(f"{compact(iri)} is not a {kind} of this graph")
        sparql = bind_parameter(sparql, parameter.variable, iri)
        chosen.append((parameter, iri, label_of(iri)))
    header, rows = answer_table(sparql)
    root = url_for("web.index")
    return render_template(
        "question.html",
        form=form,
        headline=headline(form.question, " and ".join(label for _, _, label in chosen)),
        chosen=[(parameter, compact(iri), label) for parameter, iri, label in chosen],
        header=header,
        rows=rows,
        sparql=sparql,
        editor_link=f"{root}?{urlencode({'query': sparql})}",
        entities_url=url_for("questions.entities"),
    )


def _string_literal(text: str) -> str:
    """``text`` as a SPARQL string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\r\n\t]", " ", escaped) + '"'


@bp.get("/entities")
def entities() -> Response:
    """Entities whose label or synonym contains ``q``, of class ``kind`` (an IRI or CURIE).

    JSON: a list of ``{iri, curie, label, href}``, labels starting with ``q`` first, at most
    :data:`MAX_ENTITIES`.
    """
    text = request.args.get("q", "").strip()
    if len(text) > MAX_SEARCH_CHARS:
        raise BadParameterError(f"q is longer than {MAX_SEARCH_CHARS} characters")
    kind = request.args.get("kind", "").strip()
    of_kind = f"?e a/<{RDFS.subClassOf}>* <{expand(kind)}> ." if kind else ""
    needle = _string_literal(text.lower())
    alt = f"{PREFIXES['skos']}altLabel"
    rows = select(
        f"""SELECT ?e (MIN(STR(?label)) AS ?name) WHERE {{
  {of_kind}
  ?e <{RDFS.label}> ?label .
  FILTER (isIRI(?e) && STRSTARTS(STR(?e), "{BASE_IRI}")
          && !STRSTARTS(STR(?e), "{PREFIXES["rko"]}"))
  OPTIONAL {{ ?e <{alt}> ?synonym }}
  FILTER (CONTAINS(LCASE(STR(?label)), {needle}) || CONTAINS(LCASE(STR(?synonym)), {needle}))
}} GROUP BY ?e LIMIT {_CANDIDATES}"""
    )
    found = []
    for row in rows:
        entity, name = row["e"], row["name"]
        if isinstance(entity, pyoxigraph.NamedNode) and name is not None:
            found.append((entity.value, str(name.value)))
    lowered = text.lower()
    found.sort(key=lambda pair: (not pair[1].lower().startswith(lowered), pair[1].lower()))
    return jsonify(
        [
            {"iri": iri, "curie": compact(iri), "label": label, "href": path_of_iri(iri)}
            for iri, label in found[:MAX_ENTITIES]
        ]
    )
