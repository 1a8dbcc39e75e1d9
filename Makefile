# Entry points. A fresh machine needs only `make serve` (site) or `make test` (suite).
SHELL := /bin/bash
# The first interpreter of each version that really runs (a pyenv shim answers `command -v` but may not run).
find_python = $(firstword $(foreach p,python$(1) $(wildcard $(shell pyenv root 2>/dev/null || echo $$HOME/.pyenv)/versions/$(1).*/bin/python$(1)),$(shell $(p) -c '' >/dev/null 2>&1 && echo $(p))))
PYTHON313 ?= $(call find_python,3.13)
PYTHON311 ?= $(call find_python,3.11)
VENV := .venv
VENV311 := .venv311
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup chromium nginx apache build serve test lint bench bench-batch clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON313)" || { echo "Python 3.13 not found: install python3.13 (or pyenv install 3.13)" >&2; exit 1; }
	$(PYTHON313) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The checker promises Python 3.11+: its own tests also run on the oldest supported Python.
$(VENV311)/.installed: pyproject.toml
	@test -n "$(PYTHON311)" || { echo "Python 3.11 not found: install python3.11 (or pyenv install 3.11)" >&2; exit 1; }
	$(PYTHON311) -m venv $(VENV311)
	$(VENV311)/bin/python -m pip install --quiet -e '.[test-core]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium for the browser tests (never `playwright install`: it downloads browsers).
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian's nginx and Apache, which run the hosting page's examples in tests/security/test_server_examples.py.
nginx:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }

apache:
	@command -v apache2 >/dev/null || test -x /usr/sbin/apache2 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apache2 >/dev/null; }

build: setup
	$(BIN)/mkdocs build --strict

serve: setup
	$(BIN)/mkdocs serve --strict -a 127.0.0.1:8000

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

test: setup chromium nginx apache lint $(VENV311)/.installed
	$(VENV311)/bin/python -m pytest -q -p no:cacheprovider tests/checker
	$(BIN)/python -m pytest

bench: setup chromium build
	$(BIN)/python -m build_scripts.bench

# `python -m checker batch` on 1,000 and 10,000 generated lines: lines per second and peak memory.
bench-batch: setup
	$(BIN)/python -m build_scripts.bench_batch

clean:
	rm -rf .cache site build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
