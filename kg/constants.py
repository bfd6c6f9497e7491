"""Paths and base IRIs, in one place."""

from pathlib import Path

#: Repository root (the project is run from a checkout, installed editable)
ROOT_DIR = Path(__file__).resolve().parent.parent
#: Hand-edited OWL ontology
ONTOLOGY_PATH = ROOT_DIR / "ontology" / "rankl-kg.ttl"
#: Reference identifiers and labels of external terms (copied from the verified xrefs table)
REFERENCE_XREFS_PATH = ROOT_DIR / "ontology" / "imports" / "reference-xrefs.tsv"
#: Curated tables, one file per content kind
CONTENT_DIR = ROOT_DIR / "content"
#: SHACL shapes, one file per class group
SHAPES_DIR = ROOT_DIR / "shapes"
#: Build outputs
DIST_DIR = ROOT_DIR / "dist"
#: Folder of ``DIST_DIR`` holding one complete release per subfolder (``releases/<id>/``)
RELEASES_DIRNAME = "releases"
#: Symlink in ``DIST_DIR`` to the live release (``releases/<id>``): what every reader uses
CURRENT_RELEASE_LINK = "current"
#: The last good build, as the CLI, the server and the benchmark read it
CURRENT_RELEASE_DIR = DIST_DIR / CURRENT_RELEASE_LINK
#: Where ``rankl-kg export`` writes chosen formats (outside any release)
EXPORT_DIR = DIST_DIR / "export"
#: Name of the merged export (ontology and data)
GRAPH_FILENAME = "rankl-kg.ttl"
#: Name of the merged export with the reasoner's inferences (what the server loads)
INFERRED_GRAPH_FILENAME = "rankl-kg-inferred.ttl"
#: Name of the ontology-only export
ONTOLOGY_FILENAME = "rankl-kg-ontology.ttl"

#: Every IRI the project mints starts with this
BASE_IRI = "https://w3id.org/rankl-kg/"
