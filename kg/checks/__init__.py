"""Stage 2, checks: SHACL shapes, external links, reasoning, quality queries, competency queries.

Each module takes a built graph and reports what is wrong with it; none changes the graph, except
``reasoning``, which also materialises the inferred graph the server answers from.
"""
