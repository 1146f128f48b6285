# TCloud: `make run` serves the demo on SQLite; `make test` runs the whole suite.
# Both set themselves up: virtual environment, packages, compiled translations, browser.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
RUN_DB ?= sqlite:///$(CURDIR)/instance/tcloud.db

.PHONY: install translations run test lint extract-messages bench bench-points

# Card co-payments in the demo go to localstripe (a fake Stripe on STRIPE_PORT) unless
# TCLOUD_STRIPE_SECRET_KEY is set in the environment (then real Stripe, with its own keys).
STRIPE_PORT ?= 8420
ifeq ($(TCLOUD_STRIPE_SECRET_KEY),)
run: export TCLOUD_STRIPE_API_BASE = http://127.0.0.1:$(STRIPE_PORT)
run: export TCLOUD_STRIPE_JS_URL = http://127.0.0.1:$(STRIPE_PORT)/js.stripe.com/v3/
run: export TCLOUD_STRIPE_WEBHOOK_SECRET = whsec_tcloud_development
endif

install: $(STAMP) translations

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-* && touch $@

translations: $(STAMP)
	@$(BIN)/pybabel compile --use-fuzzy --statistics -d tcloud/translations

run: install
	@mkdir -p instance
	TCLOUD_DATABASE_URL=$(RUN_DB) $(BIN)/flask --app wsgi tcloud db-upgrade
	TCLOUD_DATABASE_URL=$(RUN_DB) TCLOUD_DEMO_PROBE_BASE=http://$(HOST):$(PORT) \
		$(BIN)/flask --app wsgi tcloud seed-demo
	@bash scripts/localstripe-demo.sh $(PORT)
	@echo
	@echo "TCloud is starting at http://localhost:$(PORT)  (database: $(RUN_DB))"
	@echo "  API document:  http://localhost:$(PORT)/api/v1/openapi.json"
	@echo "  Health:        http://localhost:$(PORT)/healthz  and  /readyz"
	@echo "  Demo accounts: listed above (password for all: tcloud-demo-2026)"
	@echo "  Scheduler:     its own process (probes, roll-ups, month-end), log in instance/scheduler.log"
	@echo
	@# The scheduler runs beside gunicorn (never inside its workers) and stops when gunicorn stops.
	TCLOUD_DATABASE_URL=$(RUN_DB) $(BIN)/flask --app wsgi tcloud scheduler \
		>> instance/scheduler.log 2>&1 & SCHEDULER=$$!; \
	trap 'kill $$SCHEDULER 2>/dev/null' EXIT INT TERM; \
	TCLOUD_DATABASE_URL=$(RUN_DB) $(BIN)/gunicorn --workers $(WORKERS) \
		--bind $(HOST):$(PORT) --no-control-socket --access-logfile - wsgi:app

test: install
	@bash scripts/ensure-test-tools.sh
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

# After changing user-facing text: refresh the catalogues, then translate the new entries.
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--project TCloud -o tcloud/translations/messages.pot .
	$(BIN)/pybabel update -i tcloud/translations/messages.pot -d tcloud/translations \
		--no-fuzzy-matching --ignore-obsolete

bench: install
	@bash scripts/ensure-bench-tools.sh
	$(BIN)/python -m bench.foundation
	$(BIN)/python -m bench.catalog
	$(BIN)/python -m bench.sla_clock
	$(BIN)/python -m bench.sla_probes
	$(BIN)/python -m bench.advisor

# Points: 50,000-application batch grant and spends/s vs raw commits, SQLite and PostgreSQL
# (a throw-away database beside `postgres` at 127.0.0.1:5432; TCLOUD_BENCH_POSTGRES_URL overrides).
bench-points: install
	$(BIN)/python -m bench.points
