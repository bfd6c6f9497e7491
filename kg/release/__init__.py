"""Stage 3, release: assemble the checked graph and its exports, publish them as one release.

``assemble`` runs the whole build (build -> checks -> exports -> publish), ``publish`` writes a
release folder and swaps ``dist/current``, ``gates`` re-read the written files, ``verify``
checks a folder against its manifest (the server runs it too), ``diff`` compares two releases.
"""
