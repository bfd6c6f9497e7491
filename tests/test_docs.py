"""The documentation: the README stays short and true to the CLI, the generated pages are up to
date, and the mkdocs site builds offline with ``--strict`` (broken links and anchors fail).

``make docs`` regenerates the pages (``docs/gen_pages.py``) and builds the site into ``site/``;
these tests do the same into a temporary folder, so ``make test`` checks the docs too.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
#: The README is the front door; everything else lives in docs/
README_MAX_LINES = 200


def test_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines; move detail to docs/"


def test_readme_lists_every_command() -> None:
    text = README.read_text(encoding="utf-8")
    commands = main.list_commands(click.Context(main))
    missing = [name for name in commands if f"`rankl-kg {name}" not in text]
    assert not missing, f"README.md's command table lacks: {missing}"


def test_readme_links_point_at_files() -> None:
    text = README.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    local = [target for target in targets if "://" not in target]
    assert local, "README.md links no page of docs/"
    missing = [target for target in local if not (ROOT / target).exists()]
    assert not missing, f"README.md links missing files: {missing}"


def test_generated_pages_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "gen_pages.py"), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_site_builds_offline_with_strict(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs", reason="mkdocs is in the test extra: pip install -e '.[test]'")
    pytest.importorskip("material", reason="mkdocs-material is in the test extra")
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in index, "the site must not load web fonts (offline)"
    for page in ("sparql/queries", "server/settings", "curation/tables", "benchmark-results"):
        assert (site / page / "index.html").is_file(), f"{page} was not built"
