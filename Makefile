# `make run`: a working marketplace with demo data on http://127.0.0.1:5000
# `make test`: the whole suite (SQLite; set TEST_DATABASE_URL for PostgreSQL)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test test-only lint bench clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-test: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install -q -e '.[test,dev]'
	@touch $@ $(VENV)/.installed

system-deps:
	@bash scripts/system-deps.sh --test

run: system-deps $(VENV)/.installed
	MARKETPLACE_ENV=development $(BIN)/flask db upgrade
	MARKETPLACE_ENV=development $(BIN)/flask demo seed
	MARKETPLACE_ENV=development $(BIN)/flask search check --repair >/dev/null
	MARKETPLACE_ENV=development $(BIN)/flask run --host 127.0.0.1 --port 5000

test: system-deps $(VENV)/.installed-test
	$(BIN)/pytest $(PYTEST_ARGS)

test-only:
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

# `make bench`: every benchmark, one line each (BENCH_ARGS passed on, e.g. BENCH_ARGS="--runs 5");
# a benchmark whose module is not there yet is skipped
bench: system-deps $(VENV)/.installed
	test ! -f bench/contracts.py || $(BIN)/python -m bench.contracts $(BENCH_ARGS)
	test ! -f bench/load.py || $(BIN)/python -m bench.load $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache
