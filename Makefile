# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench messages clean

$(STAMP): pyproject.toml
	bash scripts/system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/cchc migrate --noinput
	$(BIN)/cchc load-demo
	$(BIN)/cchc runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/deadlines.py

messages: install
	cd src/cchc && ../../$(BIN)/cchc makemessages -l vi --no-obsolete && ../../$(BIN)/cchc compilemessages -l vi

clean:
	rm -rf $(VENV) var/*.sqlite3 .pytest_cache .ruff_cache
