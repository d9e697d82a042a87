# Two commands matter: `make demo` and `make test`. Each creates .venv and installs what it needs.
SHELL := /bin/bash
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export AIRFLOW_HOME ?= $(CURDIR)/airflow_home
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install demo test test-fast lint bench clean mirror sql shell

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip uv
	# uv resolves Airflow + Great Expectations in seconds where pip takes minutes. Bytecode is
	# compiled once here: PYTHONDONTWRITEBYTECODE (below) would otherwise make every Airflow task,
	# worker and test process recompile Airflow, GX and pandas from source (seconds each).
	$(BIN)/uv pip install --python $(BIN)/python -q --compile-bytecode -e '.[dev]'
	@touch $@

install: $(STAMP)

demo: install
	$(BIN)/python -m etl.demo

test: install
	$(BIN)/python -m ruff check .
	@bash scripts/ensure_chromium.sh || echo "note: Chromium could not be installed; the report screenshot test will skip and say why"
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not integration and not slow"

lint: install
	$(BIN)/python -m ruff check .

bench: install
	$(BIN)/edgar-etl bench --standard --json

sql shell: install
	$(BIN)/edgar-etl shell

clean:
	rm -rf data airflow_home .pytest_cache
