# annotator: `make run` serves the app, `make test` runs every check. Both need only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
WORKERS ?=
JOB_WORKERS ?= 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test setup lint fmt bench bench-load stop-db clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

.data/secret_key:
	mkdir -p .data
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(64))" > $@

# Resolve the database (DATABASE_URL or the embedded server), migrate, collect static files.
setup: $(VENV)/.installed .data/secret_key
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0

run: setup
	$(PY) manage.py setup_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ (plain HTTP on loopback; put TLS in front for anything else)"
	PORT=$(PORT) WORKERS=$(WORKERS) HTTPS=false $(PY) manage.py serve --workers $(JOB_WORKERS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: setup $(VENV)/.installed-dev lint
	$(PY) manage.py makemigrations --check --dry-run
	DEBUG=false HTTPS=true $(PY) manage.py check --deploy --fail-level WARNING
	$(PY) -m pytest

bench: setup $(VENV)/.installed-dev
	$(PY) bench/ingest.py

# locust is a dev dependency.
bench-load: setup $(VENV)/.installed-dev
	$(PY) bench/load.py

# make bench-api, bench-suggest, bench-stress, bench-export, bench-dashboard, bench-page, bench-faults, bench-revisions
bench-%: setup
	$(PY) bench/$*.py

stop-db: $(VENV)/.installed .data/secret_key
	$(PY) manage.py embedded_db stop

clean:
	rm -rf $(VENV) .data/staticfiles
