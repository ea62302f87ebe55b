# `make run` and `make test` set themselves up: they create .venv and install
# the pinned dependencies from pyproject.toml whenever it changes.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install run test test-fast lint format migrate seed check-deploy bench clean

help:
	@echo "make run          set up, migrate, seed demo data, start web + worker + beat + SMTP"
	@echo "make test         set up and run the whole test suite"
	@echo "make lint         ruff check"
	@echo "make format       ruff format + import sorting"
	@echo "make check-deploy manage.py check --deploy with production-like settings"
	@echo "make clean        remove .venv and var/ (database, mail, media)"

$(STAMP): pyproject.toml
	@test -x $(PY) || $$(scripts/find-python) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(PY) manage.py migrate --no-input

seed: migrate
	$(PY) manage.py seed_demo --if-empty

# The demo runs with DEBUG on unless told otherwise: demo logins are refused in production.
run seed: export DEBUG ?= true

run: seed
	$(PY) manage.py collectstatic --no-input -v 0
	@$(PY) manage.py demo_banner
	$(BIN)/honcho -f Procfile.dev start

test: $(STAMP)
	$(PY) manage.py collectstatic --no-input -v 0
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix --select I .
	$(BIN)/ruff format .

check-deploy: $(STAMP)
	DEBUG=false SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=messages.example.com \
	  MESSAGING_DOMAIN=messages.example.com DATABASE_URL=postgres://u:p@db/messages \
	  REDIS_URL=redis://redis:6379/0 EMAIL_URL=smtp://smtp.example.com:587/?tls=True VAR_DIR=$$(mktemp -d) \
	  $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var
