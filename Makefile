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

# Served as users meet it: debug off (Vietnamese error pages), static files served by the app.
# Django's debug pages: `cchc runserver` (settings.dev) or `DJANGO_DEBUG=1 make demo`.
DEMO_SETTINGS := DJANGO_SETTINGS_MODULE=cchc.settings.demo

demo: install
	$(DEMO_SETTINGS) $(BIN)/cchc migrate --noinput
	$(DEMO_SETTINGS) $(BIN)/cchc load-demo
	$(DEMO_SETTINGS) $(BIN)/cchc runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# The browser tests need Debian's chromium: installed here when run as root (as .ci/run does),
# otherwise make stops and says how. CCHC_SKIP_BROWSER_TESTS=1 (developers only; refused in CI)
# skips them, and pytest says so loudly.
test: lint
	@if [ "$${CCHC_SKIP_BROWSER_TESTS:-}" = 1 ]; then \
	  echo "!!! CCHC_SKIP_BROWSER_TESTS=1: the browser tests will be SKIPPED (not a full run) !!!" >&2; \
	else \
	  bash scripts/system-deps.sh --with-browser || { \
	    echo "make test needs the packages above (the browser tests run in Debian's chromium):" >&2; \
	    echo "  sudo bash scripts/system-deps.sh --with-browser" >&2; \
	    echo "(developers only: CCHC_SKIP_BROWSER_TESTS=1 make test skips them)" >&2; \
	    exit 1; }; \
	fi
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/deadlines.py

messages: install
	cd src/cchc && ../../$(BIN)/cchc makemessages -l vi --no-obsolete && ../../$(BIN)/cchc compilemessages -l vi

clean:
	rm -rf $(VENV) var/*.sqlite3 .pytest_cache .ruff_cache
