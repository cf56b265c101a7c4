# `make demo` and `make test` work on a fresh clone: each creates .venv and installs what it needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: demo test venv system-deps lint typecheck pytest serve clean openapi

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

venv: $(BIN)/.installed

system-deps:
	bash scripts/install-system-deps.sh

demo: venv
	$(BIN)/genai-portal demo --port $(PORT)

test: venv system-deps lint typecheck pytest

lint: venv
	$(BIN)/ruff format --check portal_api tests bench
	$(BIN)/ruff check portal_api tests bench

typecheck: venv
	$(BIN)/mypy

pytest: venv
	$(BIN)/pytest

openapi: venv  # the API entity's definition in catalog/ (a test fails when it is stale)
	$(BIN)/python -m portal_api.catalog.openapi catalog/openapi.json

serve: venv
	$(BIN)/genai-portal serve

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
