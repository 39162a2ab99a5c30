# The two commands: `make run` and `make test`. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
# Test processes in parallel (pytest-xdist): one per core by default.
PYTEST_WORKERS ?= auto
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help run test lint format services assets install migrate demo benchmark clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@bash scripts/ensure-venv.sh $(PYTHON) $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned dependencies

node_modules/.package-lock.json: package.json package-lock.json
	@bash scripts/ensure-node.sh
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

static/build/.built: node_modules/.package-lock.json $(shell find static/src -type f 2>/dev/null)
	node scripts/build-assets.mjs
	touch $@

assets: static/build/.built ## Compile GOV.UK Frontend from Sass and copy its assets

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate ## Load the demo data (idempotent)
	$(PY) manage.py seed_demo

run: install assets demo ## Set up and serve the portal on http://127.0.0.1:8000/ (SQLite, eager Celery)
	$(PY) manage.py runserver 127.0.0.1:8000

services: ## Make sure PostgreSQL, Redis and Chromium are there for the tests
	@bash scripts/test-services.sh

lint: install ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: install assets services ## Lint, check migrations, run the whole suite on PostgreSQL and Redis
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DATABASE_URL=sqlite:///:memory: $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS)

benchmark: install assets services ## Print the benchmark figures
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) benchmarks/run.py
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) benchmarks/itt.py
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) benchmarks/sealing.py
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) benchmarks/evaluation.py
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) benchmarks/stages.py
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) benchmarks/stage_gate_report.py

clean: ## Remove the virtualenv, node_modules, built assets and the SQLite database
	rm -rf $(VENV) node_modules static/build db.sqlite3 media .test-media staticfiles
