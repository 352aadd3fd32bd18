# The README's commands. Everything installs into .venv from pyproject.toml.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# `make run` is for a laptop: debug on, development secrets allowed.
RUN_ENV := DEBUG=true SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}

.PHONY: install run test test-fast lint format bench demo messages clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

run: install
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py load_rules
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py devserver --port $(PORT)

demo: install
	$(RUN_ENV) $(PY) manage.py seed_demo

# lint-imports: the layer contracts in pyproject.toml. mypy imports the settings, so it may use
# the development secrets (it only reads them).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	ALLOW_DEV_SECRETS=true $(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: install lint
	ALLOW_DEV_SECRETS=true $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

messages: install
	$(PY) manage.py makemessages --ignore=.venv --no-location -l ru -l tg -l uz -l uz_Cyrl -l ky
	$(PY) manage.py compilemessages --ignore=.venv

bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) var
