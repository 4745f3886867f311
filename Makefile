# tahub — set-up and everyday commands. `make demo` and `make test` work from a fresh clone.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export TAHUB_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test bench lint install install-dev messages serve clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found; set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## demo: set up, migrate SQLite under var/, load reference and demo data, serve on 127.0.0.1:8000
demo: install
	@mkdir -p var
	TAHUB_DEBUG=1 $(BIN)/tahub migrate --no-input
	TAHUB_DEBUG=1 $(BIN)/tahub seed_demo
	TAHUB_DEBUG=1 $(BIN)/tahub runserver 127.0.0.1:8000

## test: install with the dev extras and run every test (TAHUB_DATABASE_URL picks the database)
test: install-dev
	$(BIN)/python -m pytest

## bench: seed --scale 10 into a fresh database and measure the main pages and API calls
bench: install-dev
	$(BIN)/python bench/run.py --scale 10

## lint: ruff over the code and tests; migrations must be complete
lint: install-dev
	$(BIN)/ruff check src tests bench
	TAHUB_DEBUG=1 $(BIN)/tahub makemigrations --check --dry-run

## messages: refresh the translation catalogues and compile them
messages: install-dev
	cd src/tahub && TAHUB_DEBUG=1 ../../$(BIN)/tahub makemessages -l fr -l es -l ar -l ru -l zh_Hans --no-obsolete
	cd src/tahub && TAHUB_DEBUG=1 ../../$(BIN)/tahub compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache
