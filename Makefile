# The two quick-start commands are `make serve` and `make test`; the rest are steps they run.
# While working, `make test-fast` runs the unit tests in under a minute (docs/architecture.md).
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

help:  ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS=":.*?## "}; {printf "%-14s %s\n", $$1, $$2}'

$(BIN)/rankl-kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

install: $(BIN)/rankl-kg  ## Create .venv and install the project with its test tools

system-deps:  ## Install the Debian packages the tests need (Java, Chromium, rapper, roqet, node, Apache) and jsonld.js
	scripts/install-system-deps.sh
	scripts/install-js-deps.sh

build: install  ## Build, check and publish the graph as dist/current (a release in dist/releases/)
	$(BIN)/rankl-kg build

serve: install  ## Build the graph if needed and serve it (SPARQL + web page) on HOST:PORT
	$(BIN)/rankl-kg serve --host $(HOST) --port $(PORT)

dist: build  ## The wheel and sdist (carrying the release just built) and the release archive, in dist/
	$(BIN)/python -m build --outdir dist .
	$(BIN)/rankl-kg archive --out dist

lint: install  ## ruff check, ruff format --check (line length 100) and mypy --strict
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test-fast: install  ## Unit tests only, under a minute (no real-content build, no live servers)
	$(BIN)/pytest -q -n 2 -m "not slow and not integration"

test: install system-deps lint  ## Install everything, lint, and run every test (slow and integration included)
	$(BIN)/pytest

docs: install  ## Regenerate docs/sparql/queries.md and docs/server/settings.md, build the site into site/ (offline, --strict)
	$(BIN)/python docs/gen_pages.py
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

.PHONY: help install system-deps build dist serve lint test-fast test docs
