# Set-up and everyday commands. `make serve` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# apt-get needs root; use sudo when not root and sudo exists.
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)


.PHONY: setup system browser serve build check test lint bench lighthouse js

$(BIN)/mkdocs: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Graphviz lays out the relationship graphs at build time (Debian's package).
system:
	@command -v dot >/dev/null 2>&1 || { $(SUDO) apt-get update && $(SUDO) apt-get install -y graphviz; }

setup: system $(BIN)/mkdocs

# Debian's Chromium for the browser tests (Playwright cannot download browsers here), and Node.js
# for the Apache Annotator harness and Lighthouse.
browser:
	@command -v chromium >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium nodejs npm; }

# Apache Annotator bundled for the browser tests (tests/js).
tests/js/build/annotator.js: tests/js/package-lock.json tests/js/src/annotator.js
	npm ci --no-audit --no-fund --prefix tests/js
	npm run --prefix tests/js build

js: browser tests/js/build/annotator.js

# --dirty: a save renders and writes only the pages it changes (see generator/rebuilds.py).
serve: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dirty

# Built beside site/ and swapped in whole: a killed build never leaves half a site.
build: setup
	$(BIN)/explainer build

check: setup
	$(BIN)/explainer check

lint: setup
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/mypy --strict generator

test: setup browser js lint
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/scale.py

# Lighthouse (mobile preset, all four categories) on home, the article and a sheet, served gzipped.
lighthouse: setup browser
	npm ci --no-audit --no-fund --prefix benchmarks/lighthouse
	$(BIN)/python benchmarks/lighthouse.py --build
