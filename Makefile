# The two commands from the README: `make serve` and `make test`. Both create .venv and
# install what they need on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export NO_MKDOCS_2_WARNING := 1

.PHONY: venv serve build test test-fast check browser axe clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# .venv with plansite installed (what `make serve` and `make test` start with)
venv: $(STAMP)

# `make serve SCHOOL=qinghe-shixiao` previews one school's pages only: fast on a large district.
serve: $(STAMP)
	PLANSITE_PREVIEW=$(SCHOOL) $(BIN)/mkdocs serve --dirty -a 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/mkdocs build --strict

check: $(STAMP)
	$(BIN)/plansite check plan_data

browser: $(STAMP)
	@PYTHON=$(BIN)/python scripts/ensure_browser.sh

# axe-core (accessibility checks in the browser tests) comes from npm into a cache folder, once.
# Never fatal here: without it the accessibility tests fail and say how to get it.
AXE := .cache/npm/node_modules/axe-core/axe.min.js

$(AXE):
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --no-save --no-audit --no-fund --prefix .cache/npm axe-core@4 \
	  || echo "axe: 'npm install axe-core' failed; the accessibility tests will fail with instructions" >&2; \
	else echo "axe: npm not found; the accessibility tests will fail with instructions" >&2; fi

axe: $(AXE)

# Two workers (pytest-xdist), a test file each at a time: a file's tests share its built sites;
# files go out in the order tests/conftest.py gives them (the longest first), not by how many tests they have.
# The hundreds of processes the tests start (builds, commands) reuse compiled modules, whatever
# PYTHONDONTWRITEBYTECODE the machine sets.
JOBS ?= 2
test: $(STAMP) browser axe
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n $(JOBS) --dist loadfile --no-loadscope-reorder

# The unit layer only: no site builds, no subprocesses, no browser (a minute or two).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not site"

clean:
	rm -rf site .pytest_cache
