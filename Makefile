# Two commands matter: `make demo` and `make test`. Each creates .venv and installs what it needs.
SHELL := /bin/bash
PY ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export AIRFLOW_HOME ?= $(CURDIR)/airflow_home
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install lock lock-upgrade demo test test-fast lint bench clean mirror sql shell

$(STAMP): pyproject.toml devtools/pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip uv
	# The exact versions of requirements.lock (what the tests ran with), then the project itself
	# without resolving anything. uv installs them in seconds where pip takes minutes. Bytecode is
	# compiled once here: PYTHONDONTWRITEBYTECODE (below) would otherwise make every Airflow task,
	# worker and test process recompile Airflow, GX and pandas from source (seconds each).
	$(BIN)/uv pip install --python $(BIN)/python -q --compile-bytecode -r requirements.lock
	# the product (etl) and, apart from it, its dev tooling (devtools/: synthetic corpus, benchmark,
	# local EDGAR mirror, demo), both editable
	$(BIN)/uv pip install --python $(BIN)/python -q --compile-bytecode --no-deps -e . -e ./devtools
	@touch $@

install: $(STAMP)

# requirements.lock: every package, pinned, resolved from pyproject.toml's ranges (runtime + dev).
# `make lock` keeps the current pins where the ranges allow (after editing pyproject.toml);
# `make lock-upgrade` moves everything to the newest versions the ranges allow. Commit the result.
lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -q -o requirements.lock

lock-upgrade:
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -q --upgrade -o requirements.lock

demo: install
	$(BIN)/python -m devtools.demo

test: install
	$(BIN)/python -m ruff check .
	@bash scripts/ensure_chromium.sh || echo "note: Chromium could not be installed; the report screenshot test will skip and say why"
	# two workers, a test file per worker at a time (module fixtures stay whole): the suite is
	# mostly waiting on Airflow, servers and subprocesses, so two files overlap on two cores
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

test-fast: install
	$(BIN)/python -m pytest -q -m "not integration and not slow"

lint: install
	$(BIN)/python -m ruff check .
	$(BIN)/python -m mypy
	$(BIN)/sqlfluff lint etl/sql

bench: install
	$(BIN)/edgar-etl bench --standard --json

sql shell: install
	$(BIN)/edgar-etl shell

clean:
	rm -rf data airflow_home .pytest_cache
