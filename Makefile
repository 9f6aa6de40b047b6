# 调解通: `make run` serves the app with demo data; `make test` runs the whole suite on all cores.
# Both install whatever is missing first: a virtualenv, the pinned requirements and the
# Debian packages WeasyPrint (and the browser test) need.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
PORT ?= 5000
# make test spreads the suite over this many pytest-xdist workers (auto: one per core; 0: all
# in one process), each with its own app, temporary folder and database. loadgroup hands out
# each test on its own, except the groups of tests/conftest.py's RUN_TOGETHER (the
# accessibility walks, which share what they have checked): one worker takes each, first.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup
export FLASK_APP := wsgi.py

SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk
BROWSER_PACKAGES := chromium

# make serve: gunicorn's workers (its own WEB_CONCURRENCY setting; default 2 × cores + 1) and
# address.
WEB_CONCURRENCY ?= $(shell echo $$((2 * $$(nproc) + 1)))
BIND ?= 127.0.0.1:8000

.PHONY: run serve test install system-packages browser-packages lint translations apt-packages

run: export APP_ENV := development
run: export PUBLIC_URL ?= http://127.0.0.1:$(PORT)
run: install system-packages
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	$(BIN)/flask stats rebuild --if-empty
	$(BIN)/flask keys init
	$(BIN)/flask serve --host 127.0.0.1 --port $(PORT)

# Production serving: gunicorn on DATABASE_URL (migrate it first with `flask db upgrade`), with
# the settings of the README's Production section (APP_ENV=production, SECRET_KEY, …).
serve: export WEB_CONCURRENCY := $(WEB_CONCURRENCY)
serve: install system-packages
	$(BIN)/gunicorn --bind $(BIND) --access-logfile - wsgi:app

test: install system-packages browser-packages
	env -u TEST_DATABASE_URL $(PYTEST)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL: $$TEST_DATABASE_URL (and one database per worker beside it)"; \
		$(PYTEST); \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

install: $(STAMP)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "调解通 needs Python 3.11 or newer; set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

system-packages:
	@$(MAKE) --no-print-directory apt-packages PACKAGES="$(SYSTEM_PACKAGES)"

browser-packages:
	@$(MAKE) --no-print-directory apt-packages PACKAGES="$(BROWSER_PACKAGES)"

# Installs the Debian packages in PACKAGES that are missing (as root), or says how to.
apt-packages:
	@missing=""; for p in $(PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			echo "Installing system packages:$$missing"; \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
		else \
			echo "Missing system packages:$$missing"; \
			echo "Run this, then try again:  sudo apt-get update && sudo apt-get install -y$$missing"; \
			exit 1; \
		fi; \
	fi

# Re-extract the interface strings and update the English catalogue, then compile it.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o mediation/translations/messages.pot .
	$(BIN)/pybabel update -i mediation/translations/messages.pot -d mediation/translations
	$(BIN)/pybabel compile -d mediation/translations
