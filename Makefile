# One command to run the product, one to test it. Both bootstrap their own environment.
# `make help` lists the targets.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PEER_VENV := .venv-iso15118
STAMP := $(VENV)/.installed
PEER_STAMP := $(PEER_VENV)/.installed

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements/dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements/dev.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $(STAMP)

$(PEER_STAMP): requirements/iso15118-peer.txt
	@test -x $(PEER_VENV)/bin/python || $(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/python -m pip install --quiet -r requirements/iso15118-peer.txt
	@touch $(PEER_STAMP)

.PHONY: install
install: $(STAMP) ## Create .venv with the locked dependencies

.PHONY: run
run: $(STAMP) ## Start the whole product on the embedded default (SQLite, Berlin stations seeded)
	$(BIN)/emsp demo

.PHONY: test
test: $(STAMP) $(PEER_STAMP) ## Install and run every test, on SQLite and PostgreSQL
	$(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

.PHONY: lint
lint: $(STAMP) ## Ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

.PHONY: format
format: $(STAMP) ## Apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

.PHONY: typecheck
typecheck: $(STAMP) ## mypy, strict on app/ and pki/
	$(BIN)/mypy

.PHONY: openapi
openapi: $(STAMP) ## Regenerate openapi/openapi.json from the app
	$(BIN)/emsp openapi export openapi/openapi.json

.PHONY: check
check: lint typecheck test ## Everything CI runs

.PHONY: bench
bench: $(STAMP) ## Run the benchmarks (stations and PKI) and print their figures
	$(BIN)/python -m benchmarks.stations
	$(BIN)/python -m benchmarks.pki

.PHONY: lock
lock: $(STAMP) ## Re-lock requirements/*.txt from pyproject.toml
	$(BIN)/uv pip compile pyproject.toml -o requirements/runtime.txt --no-header --no-emit-index-url --no-emit-find-links -q
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements/dev.txt --no-header --no-emit-index-url --no-emit-find-links -q

.PHONY: clean
clean: ## Remove virtual environments, caches and the local database
	rm -rf $(VENV) $(PEER_VENV) .pytest_cache .mypy_cache .ruff_cache var
