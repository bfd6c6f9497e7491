"""Paths and base IRIs, in one place.

Inputs (ontology, shapes, curated tables, queries, review texts) are read from the source
checkout when the code runs from one (an editable install), else from the package data of an
installed wheel (``kg/_data/``, mapped there from the top-level folders at build time). If
neither has them, the paths below point into the checkout and :func:`require_input` says what
is missing and how to get it.
"""

from importlib import resources
from pathlib import Path

#: Repository root (when the code runs from a checkout)
ROOT_DIR = Path(__file__).resolve().parent.parent
#: Package data of an installed wheel: the top-level input folders and the built release
PACKAGE_DATA_DIR = Path(str(resources.files("kg").joinpath("_data")))


def _running_from_checkout() -> bool:
    """Whether the code runs from a source checkout that holds the inputs."""
    return (ROOT_DIR / "pyproject.toml").is_file() and (ROOT_DIR / "ontology").is_dir()


#: True in a source checkout; False in an installed wheel
FROM_CHECKOUT = _running_from_checkout() or not PACKAGE_DATA_DIR.is_dir()
#: Where the input folders (ontology/, shapes/, content/, queries/, sources/) are
DATA_DIR = ROOT_DIR if FROM_CHECKOUT else PACKAGE_DATA_DIR

#: Hand-edited OWL ontology
ONTOLOGY_PATH = DATA_DIR / "ontology" / "rankl-kg.ttl"
#: Reference identifiers and labels of external terms (copied from the verified xrefs table)
REFERENCE_XREFS_PATH = DATA_DIR / "ontology" / "imports" / "reference-xrefs.tsv"
#: Ontology quality-check queries
QC_QUERIES_DIR = DATA_DIR / "ontology" / "sparql"
#: Curated tables, one file per content kind
CONTENT_DIR = DATA_DIR / "content"
#: SHACL shapes, one file per class group
SHAPES_DIR = DATA_DIR / "shapes"
#: Competency queries (SIB sparql-examples style Turtle)
QUERIES_DIR = DATA_DIR / "queries"
#: The review texts the quotes are taken from (with their licence notes)
SOURCES_DIR = DATA_DIR / "sources"
#: How to cite the software and the reviews (put into every release archive)
CITATION_PATH = DATA_DIR / "CITATION.cff"
#: Build outputs: ``dist/`` of the checkout, or ``./dist`` of the working folder when installed
DIST_DIR = ROOT_DIR / "dist" if FROM_CHECKOUT else Path("dist").absolute()
#: Folder of ``DIST_DIR`` holding one complete release per subfolder (``releases/<id>/``)
RELEASES_DIRNAME = "releases"
#: Symlink in ``DIST_DIR`` to the live release (``releases/<id>``): what every reader uses
CURRENT_RELEASE_LINK = "current"
#: The release packaged in an installed wheel (built and checked before the wheel was made)
PACKAGED_RELEASE_DIR = PACKAGE_DATA_DIR / "release"
#: The release the CLI, the server, ``kg.load_graph`` and the benchmark read by default:
#: ``dist/current`` of the checkout, or the packaged release of an installed wheel
CURRENT_RELEASE_DIR = DIST_DIR / CURRENT_RELEASE_LINK if FROM_CHECKOUT else PACKAGED_RELEASE_DIR
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


class MissingInputError(FileNotFoundError):
    """An input file or folder is missing or unreadable; the message names it and the fix."""


def require_input(path: Path, what: str, fix: str, *, directory: bool = False) -> Path:
    """Return ``path`` if it is a readable file (or folder); else raise one line naming the fix.

    :raises MissingInputError: ``"<what> <path>: <problem>; <fix>"``
    """
    exists = path.is_dir() if directory else path.is_file()
    if not exists:
        kind = "folder" if directory else "file"
        problem = f"not a {kind}" if path.exists() else "not found"
        raise MissingInputError(f"{what} {path}: {problem}; {fix}")
    try:
        if directory:
            next(iter(path.iterdir()), None)
        else:
            with path.open("rb") as handle:
                handle.read(1)
    except OSError as exc:
        raise MissingInputError(f"{what} {path}: cannot read it ({exc.strerror}); {fix}") from exc
    return path


def packaged_input_fix() -> str:
    """How to get back an input that belongs to the project itself (not a curator's copy)."""
    if FROM_CHECKOUT:
        return f"restore it in the checkout {ROOT_DIR} (git checkout -- <path>)"
    return "reinstall rankl-kg (pip install --force-reinstall rankl-kg), whose wheel carries it"
