# `make demo` and `make test` work on a fresh clone: each creates .venv and installs what it needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: demo test templates venv system-deps lint typecheck pytest serve clean openapi plugins-deps plugins-test plugins-types

PLUGINS := backstage-plugins
PLUGIN := $(PLUGINS)/plugins/genai-portal

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

venv: $(BIN)/.installed

system-deps:
	bash scripts/install-system-deps.sh

# With Node.js, the demo also starts the Backstage plugin's dev app in front of the demo API.
demo: venv
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory plugins-deps && PORT=$(PORT) node $(PLUGIN)/e2e/demo.mjs; \
	else \
	  echo "Node.js not found: serving the API only (install Node.js 20+ to see the dashboards)"; \
	  $(BIN)/genai-portal demo --port $(PORT); \
	fi

test: venv system-deps lint typecheck pytest plugins-test

# npm dependencies of the plugins, installed again when the lock file changes.
$(PLUGINS)/node_modules/.package-lock.json: $(PLUGINS)/package-lock.json
	cd $(PLUGINS) && npm ci --no-audit --no-fund --loglevel=error

plugins-deps: $(PLUGINS)/node_modules/.package-lock.json

# The Backstage plugins: npm ci, type check, lint, jest (with the OpenAPI drift check), build,
# and the browser test (dev app proxied to a demo portal, in Debian's Chromium).
plugins-test: venv
	@command -v node >/dev/null 2>&1 || { echo "plugins-test needs Node.js 20+ and npm" >&2; exit 1; }
	@set -e; total=$$SECONDS; \
	step() { local t=$$SECONDS; echo "== plugins: $$1"; shift; "$$@"; echo "== plugins: done in $$((SECONDS - t))s"; }; \
	cd $(PLUGINS); \
	step "npm ci" npm ci --no-audit --no-fund --loglevel=error; \
	step "tsc" npm run --silent tsc; \
	cd plugins/genai-portal; \
	step "lint" npx backstage-cli package lint; \
	step "jest" env CI=true npx backstage-cli package test --watchAll=false --silent; \
	step "build" npx backstage-cli package build; \
	step "browser test" node e2e/browser-test.mjs; \
	echo "plugins-test took $$((SECONDS - total))s"

# Regenerate the plugin's API types after the portal's OpenAPI document changed.
plugins-types: venv plugins-deps
	cd $(PLUGIN) && npm run --silent types:generate

lint: venv
	$(BIN)/ruff format --check portal_api tests bench
	$(BIN)/ruff check portal_api tests bench

typecheck: venv
	$(BIN)/mypy

pytest: venv
	$(BIN)/pytest

templates: venv  # copy scaffolder-templates/_common into each template folder (a test checks it)
	$(BIN)/python -c 'from portal_api.scaffolder import build_templates; print("\n".join(build_templates()) or "templates are current")'

openapi: venv  # the API entity's definition in catalog/ (a test fails when it is stale)
	$(BIN)/python -m portal_api.catalog.openapi catalog/openapi.json

serve: venv
	$(BIN)/genai-portal serve

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
	rm -rf $(PLUGINS)/node_modules $(PLUGINS)/dist-types $(PLUGIN)/dist
