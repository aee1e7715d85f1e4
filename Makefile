# The two commands from the README: `make serve` and `make test`. Both create .venv and
# install what they need on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test check browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

serve: $(STAMP)
	$(BIN)/mkdocs serve -a 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/mkdocs build --strict

check: $(STAMP)
	$(BIN)/plansite check plan_data

browser: $(STAMP)
	@PYTHON=$(BIN)/python scripts/ensure_browser.sh

test: $(STAMP) browser
	$(BIN)/python -m pytest

clean:
	rm -rf site .pytest_cache
