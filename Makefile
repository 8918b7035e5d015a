# The two commands a newcomer needs: `make run` and `make test`. The rest serve them and CI.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := sanpuku.settings

.PHONY: run test install system-packages setup lint typecheck format migrations-check bench clean

run: install system-packages setup
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
setup: install
	DEBUG=$${DEBUG:-1} $(PY) manage.py setup_local

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
