"""RANKL-KG: build a knowledge graph of RANK/RANKL/OPG signalling in cancer from curated tables."""

import rdflib.plugins.sparql

# rdflib dereferences FROM / FROM NAMED IRIs (file: and http:) when a query runs on a Dataset;
# no query of the project may read a file or the network (docs/security.md T2).
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

#: The version of the code and of the release it builds (the wheel's version, the manifest's,
#: the ontology's owl:versionIRI, CITATION.cff's); bump it with __release_date__
__version__ = "0.1.0"
#: The date of this version (ISO 8601): the release date in the manifest, VoID and CITATION.cff,
#: and the timestamp of the release archive's entries. Fixed here, never the clock, so that a
#: build stays byte-identical.
__release_date__ = "2026-12-04"

from kg.api import load_graph, load_store

__all__ = ["__release_date__", "__version__", "load_graph", "load_store"]
