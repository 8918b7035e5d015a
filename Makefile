# The two commands a newcomer needs: `make run` and `make test`. The rest serve them and CI.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := sanpuku.settings
# The stamp of the last `manage.py setup_local`, beside the database (settings.py reads the same
# SANPUKU_VAR_DIR). Django's start-up alone costs a second of CPU, so a second `make run` whose
# inputs did not change starts no setup process at all. One stamp per database (DATABASE_URL);
# a missing SQLite file forces the setup; `make setup` always runs it.
VAR_DIR := $(or $(SANPUKU_VAR_DIR),var)
SETUP_STAMP := $(VAR_DIR)/.setup-$(shell printf '%s' "$$DATABASE_URL" | cksum | cut -d' ' -f1)
SETUP_INPUTS := $(wildcard */migrations/*.py */management/commands/*.py) cases/content.py worksheets/content.py

.PHONY: run test install system-packages setup FORCE lint typecheck format migrations-check bench clean

run: install system-packages $(SETUP_STAMP)
	@echo "sanpuku を http://127.0.0.1:$(PORT)/ で起動します（PDFを作成するワーカーも一緒に。停止は Ctrl+C）。"
	DEBUG=$${DEBUG:-1} $(PY) bin/run-local 127.0.0.1:$(PORT)

# Rebuilt only when pyproject.toml changes, so a second `make` installs nothing.
$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || { python=$$(bin/find-python) && echo "Using $$python" && $$python -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

system-packages:
	@bin/system-packages

# migrate, load_guide and load_demo in one process (worksheets/management/commands/setup_local.py).
# `make run` runs it only when something it reads changed since the last time: the migrations,
# the guide's and the demo's content, the commands, the installed packages (SETUP_STAMP above).
SETUP = DEBUG=$${DEBUG:-1} $(PY) manage.py setup_local && mkdir -p $(VAR_DIR) && touch $(SETUP_STAMP)

setup: install
	$(SETUP)

$(SETUP_STAMP): $(VENV)/.installed $(SETUP_INPUTS) $(if $(DATABASE_URL),,$(if $(wildcard $(VAR_DIR)/sanpuku.sqlite3),,FORCE))
	$(SETUP)

FORCE:

test: install system-packages
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: install
	$(PY) -m mypy sanpuku cases worksheets kpis tests/bench

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

bench: install
	$(PY) tests/bench/run.py
	$(PY) tests/bench/pdf.py

clean:
	rm -rf $(VENV) var/staticfiles test-artifacts
