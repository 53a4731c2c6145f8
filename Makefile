# The two commands: `make run` serves the app with the demo world; `make test` runs every test.
# Both create .venv, install the pinned requirements and find or start PostgreSQL first.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
WITH_DB := $(PY) scripts/database.py --
PYTEST_ARGS ?= -n auto --dist loadgroup

.PHONY: setup run test lint format check-deploy clean bench attack faults translations messages screenshots

$(PY):
	@sh scripts/check-python.sh $(PYTHON)
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): requirements.txt requirements-dev.txt | $(PY)
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || \
		{ echo "$(VENV) was made with an old Python: remove it (make clean) and run make again." >&2; exit 1; }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

setup: $(INSTALLED)
	@sh scripts/ensure-system-packages.sh
	@$(MAKE) -s --no-print-directory translations

# The compiled catalogues (locale/<code>/LC_MESSAGES/django.mo, not committed): a language whose
# catalogue is compiled is offered (LANGUAGES in minilateral/settings.py). Only what changed.
CATALOGUES := $(wildcard locale/*/LC_MESSAGES/django.po)
translations: $(CATALOGUES:.po=.mo)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	@echo "[translations] compiling $<"
	@msgfmt --check-format -o $@ $<

# Gathers every marked string into each catalogue (then translate, and `make translations`).
messages: setup
	DEBUG=true $(PY) manage.py makemessages --all --no-obsolete --no-wrap --extension=html,txt,py,md \
		--ignore='tests/*' --ignore='bench/*' --ignore='scripts/*' --ignore='staticfiles/*' \
		--ignore='media/*' --ignore='backups/*' --ignore='docs/*' --ignore='.venv/*' \
		--ignore='.pgdata/*' --ignore='axe-reports/*' --ignore='test-results/*' --ignore='reports/*'

run: setup
	$(WITH_DB) $(PY) scripts/dev_server.py

test: setup
	@sh scripts/ensure-chromium.sh
	$(WITH_DB) $(PY) -m pytest $(PYTEST_ARGS) $(ARGS)

# The main pages at 1280 px, photographed by headless Chromium on the demo world, into
# docs/screenshots/ (scripts/screenshots.py; ARGS=--narrow adds 320 px ones). About two minutes.
screenshots: setup
	@sh scripts/ensure-chromium.sh
	$(WITH_DB) $(PY) scripts/screenshots.py $(ARGS)

# The app as in production under wrk, at 1,000 and 100,000 lessons (bench/run.py); not in `make test`.
bench: setup
	$(WITH_DB) $(PY) bench/run.py $(ARGS)

# sqlmap and wapiti against the app with the demo cast, signed in (scripts/attack.py); 5-8 minutes,
# at most 12.
attack: setup
	$(WITH_DB) $(PY) scripts/attack.py $(ARGS)

# Fault drills under load on a private PostgreSQL (scripts/faults.py); 7-15 minutes.
faults: setup
	$(PY) scripts/faults.py $(ARGS)

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m bandit -q -c pyproject.toml -x '*/migrations/*' -r minilateral networks lessons discussion search moderation notifications questions insights home demo scripts
	$(PY) -m pip check

format: setup
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
