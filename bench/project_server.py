"""Start the project's own server (waitress + pyoxigraph workers) on a graph file.

.venv/bin/python -m bench.project_server GRAPH PORT
"""

from __future__ import annotations

import sys
from pathlib import Path

from server.wsgi import serve

if __name__ == "__main__":
    serve(Path(sys.argv[1]), "127.0.0.1", int(sys.argv[2]))
