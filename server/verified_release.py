"""Serve only a verified release: one whose files all match its manifest.

:func:`verify_served_release` runs before the graph is loaded. It resolves ``GRAPH_PATH``
through the ``dist/current`` link to the release folder it names, so a build that swaps the
link while the server runs changes nothing underneath it, and checks every file of that release
against the size and SHA-256 in its ``manifest.json``. A missing manifest, a missing file or a
changed one stops the app from starting, naming the file.

Which graphs are checked: one in a folder with a manifest, and one in a release folder
(``releases/<id>/``, which must have a manifest). An ad-hoc graph file elsewhere (the tests'
small graphs, W3C data) has no release to check. ``VERIFY_RELEASE = False`` (environment
``RANKL_KG_VERIFY_RELEASE=false``) turns the check off, e.g. to inspect a damaged release.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from kg.constants import RELEASES_DIRNAME
from kg.exports.manifest import FILENAME as MANIFEST_FILENAME
from kg.release.verify import ReleaseCheckError, verify_release
from server.backends.oxigraph_store import GraphLoadError
from server.config import Settings
from server.state import ServerState


class UnverifiedReleaseError(GraphLoadError):
    """The release to serve does not match its manifest; the message names the file.

    A kind of :class:`GraphLoadError`, so whatever reports a graph that cannot be served
    (``rankl-kg serve``) reports this too.
    """


def verify_served_release(settings: Settings) -> tuple[Settings, Path]:
    """Resolve ``GRAPH_PATH`` to the release it is in and verify the release.

    :returns: the settings with ``GRAPH_PATH`` replaced by the resolved file (so the graph
        loaded is the one verified), and the folder of the served graph (the release's folder)
    :raises UnverifiedReleaseError: the release's manifest is missing, or a file is missing or
        changed
    """
    graph_path = settings.graph_path.resolve()
    if settings.verify_release and is_release(graph_path.parent):
        try:
            verify_release(graph_path.parent)
        except ReleaseCheckError as error:
            raise UnverifiedReleaseError(
                f"refusing to serve {graph_path}: {error}. Rebuild ('rankl-kg build'), or point "
                "dist/current at an older release (see README, Releases)."
            ) from error
    return settings.model_copy(update={"graph_path": graph_path}), graph_path.parent


def is_release(folder: Path) -> bool:
    """A folder with a manifest, or in ``releases/``, is a release: it must match its manifest."""
    return (folder / MANIFEST_FILENAME).exists() or folder.parent.name == RELEASES_DIRNAME


def served_release_dir(app: Flask) -> Path:
    """Return the folder of the graph ``app`` serves, which holds the release's other files."""
    return ServerState.of(app).release_dir
