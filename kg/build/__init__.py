"""Stage 1, build: curated rows -> builders -> one RDF graph, every assertion with its evidence.

``content`` reads and validates the tables, ``graph`` runs the builders, ``provenance`` and
``quantities`` are the shared patterns builders write, ``quotes`` and ``xrefs`` check quotes and
external identifiers as rows are read.
"""
