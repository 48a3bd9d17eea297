# `make run` opens the reader on the bundled posts; `make test` runs every check and test.
# Both create .venv on first use, so a fresh clone needs nothing else.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint format bench clean

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

bench: $(BIN)/reader
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
