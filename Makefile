# `make run` opens the reader on the bundled posts; `make test` runs every test.
# Both create .venv on first use, so a fresh clone needs nothing else.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/reader: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/reader

run: $(BIN)/reader
	$(BIN)/reader --posts posts

test: $(BIN)/reader
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

bench: $(BIN)/reader
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
