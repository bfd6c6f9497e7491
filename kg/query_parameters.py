"""Parameters of competency queries: declared in RDF, filled in through a ``VALUES`` placeholder.

A question with a blank to fill ("which trials test drug X?") is an ordinary SIB
sparql-examples executable (``queries/*.ttl``) whose query names the blank as a one-row
``VALUES ?drug { drug:denosumab }`` block, so the query runs as written, on its default. The
executable declares the blank the way SHACL-AF declares the parameters of a SPARQL function
(https://www.w3.org/TR/shacl-af/#functions)::

    ex:039-trials-testing-drug sh:parameter [
        sh:path param:drug ;              # the local name is the variable: ?drug
        sh:class rko:Drug ;               # what may fill it (an instance of the class)
        sh:defaultValue drug:denosumab ;  # the value in the VALUES block
        rdfs:label "Drug"@en ;
        sh:order 1 ] .

A tool fills the blank by replacing the ``VALUES`` row with the value it picked
(:func:`bind_parameter`); the server's question forms (``/questions/``) do exactly this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SH
from rdflib.term import Node

#: Characters an IRI may not hold (RFC 3987 / SPARQL IRIREF), checked before one is spliced in
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


class QueryParameterError(ValueError):
    """A parameter declaration does not match its query, or a value cannot fill it."""


@dataclass(frozen=True)
class QueryParameter:
    """One declared parameter: the variable it fills, its class, default and label."""

    variable: str
    default: str
    label: str
    cls: str | None = None
    order: int = 0


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def values_block(variable: str) -> re.Pattern[str]:
    """The ``VALUES ?variable { … }`` block of a query (one variable, any rows)."""
    return re.compile(rf"VALUES\s+[?$]{re.escape(variable)}\s*\{{[^{{}}]*\}}")


def read_parameters(graph: Graph, executable: Node, query: str) -> list[QueryParameter]:
    """The parameters ``executable`` declares, in ``sh:order``; check each against ``query``.

    Raise :class:`QueryParameterError` when a declaration lacks a path or default, or when its
    variable is not set by exactly one ``VALUES`` block in the query.
    """
    parameters = []
    for node in graph.objects(executable, SH.parameter):
        path = graph.value(node, SH.path)
        default = graph.value(node, SH.defaultValue)
        if not isinstance(path, URIRef) or not isinstance(default, URIRef):
            raise QueryParameterError(
                f"{executable}: a sh:parameter needs an IRI sh:path and an IRI sh:defaultValue"
            )
        variable = _local_name(str(path))
        if len(values_block(variable).findall(query)) != 1:
            raise QueryParameterError(
                f"{executable}: parameter ?{variable} needs exactly one VALUES ?{variable} block"
            )
        label = graph.value(node, RDFS.label) or graph.value(node, SH.name) or variable
        cls = graph.value(node, SH["class"])
        order = graph.value(node, SH.order)
        parameters.append(
            QueryParameter(
                variable=variable,
                default=str(default),
                label=str(label),
                cls=str(cls) if isinstance(cls, URIRef) else None,
                order=int(order.toPython()) if isinstance(order, Literal) else 0,
            )
        )
    return sorted(parameters, key=lambda parameter: (parameter.order, parameter.variable))


def check_iri(value: str) -> str:
    """Return ``value`` if it is an absolute IRI that can be written as ``<value>``; else raise."""
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) or _NOT_IN_IRI.search(value):
        raise QueryParameterError(f"not an IRI: {value[:80]!r}")
    return value


def bind_parameter(query: str, variable: str, iri: str) -> str:
    """``query`` with the ``VALUES ?variable`` block set to the one value ``<iri>``."""
    block = values_block(variable)
    if len(block.findall(query)) != 1:
        raise QueryParameterError(f"the query has no single VALUES ?{variable} block")
    replacement = f"VALUES ?{variable} {{ <{check_iri(iri)}> }}"
    return block.sub(lambda _: replacement, query)
