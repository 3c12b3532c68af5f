# Set-up and everyday commands. `make serve` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# apt-get needs root; use sudo when not root and sudo exists.
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)

.PHONY: setup browser serve build check test lint bench

$(BIN)/mkdocs: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/mkdocs

# Debian's Chromium, for the browser tests (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }

serve: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve

# Built beside site/ and swapped in whole: a killed build never leaves half a site.
build: setup
	$(BIN)/explainer build

check: setup
	$(BIN)/explainer check

lint: setup
	$(BIN)/ruff check generator tests
	$(BIN)/mypy --strict generator

test: setup browser lint
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/scale.py
