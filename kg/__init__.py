"""RANKL-KG: build a knowledge graph of RANK/RANKL/OPG signalling in cancer from curated tables."""

import rdflib.plugins.sparql

# rdflib dereferences FROM / FROM NAMED IRIs (file: and http:) when a query runs on a Dataset;
# no query of the project may read a file or the network (docs/security.md T2).
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

__version__ = "0.1.0"
