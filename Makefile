# `make run` opens the reader on the bundled posts; `make test` runs every check and test.
# Both create .venv on first use, so a fresh clone needs nothing else.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint format bench floors clean

$(BIN)/reader: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/reader

run: $(BIN)/reader
	$(BIN)/reader --posts posts

# ruff (lint and format), mypy, and import-linter's layer contracts.
lint: $(BIN)/reader
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest -q -n auto

format: $(BIN)/reader
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The suite on the lowest dependency versions pyproject.toml allows (slow; not part of `make test`).
floors:
	$(PY) -m venv .venv-floors
	.venv-floors/bin/pip install --quiet -r tests/floors/requirements.txt
	.venv-floors/bin/pip install --quiet --no-deps -e .
	.venv-floors/bin/pip install --quiet pytest pytest-asyncio hypothesis pyte pytest-textual-snapshot \
		pytest-timeout pytest-xdist build
	.venv-floors/bin/pip install --quiet -r tests/floors/requirements.txt
	.venv-floors/bin/python -m pytest -q -n auto --deselect tests/test_snapshots.py --deselect tests/test_install.py \
		--deselect tests/test_import_hygiene.py::test_import_linter_contracts_are_kept

bench: $(BIN)/reader
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
