# The habits of this project. `make run` and `make test` work on a fresh machine with only
# Python >= 3.11: they create .venv and install what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MINIPROGRAM_TESTS := miniprogram-tests

.PHONY: run test test-clock test-clock-ahead test-clock-behind test-miniprogram lint format migrations-check messages i18n-check check bench faults clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

## Serve on YUYUE_BIND (http://127.0.0.1:8000) with gunicorn (SQLite and demo data unless
## configured), with one notification dispatcher beside it that stops when the server stops.
## The mail already due is sent first, so the address and logins are the last lines printed.
## Ctrl+C stops both and ends with status 0: stopping is what was asked for. `set -m` gives
## the server the terminal (its own process group), so Ctrl+C reaches the server alone, not
## make, which would otherwise report "*** Interrupt"; the dispatcher is stopped on the way out.
run: $(VENV)/.installed-run
	$(BIN)/yuyue migrate --noinput
	$(BIN)/yuyue collectstatic --noinput --verbosity 0 --if-changed
	$(BIN)/yuyue demo --if-empty
	$(BIN)/yuyue worker --once
	@set -m 2>/dev/null; \
	$(BIN)/yuyue worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	trap 'exit 0' INT TERM; \
	$(BIN)/yuyue serve

## The whole suite on SQLite, and on PostgreSQL when reachable (required under CI=true), and
## the mini program's client tests. ARGS narrows it: pytest paths and options run pytest alone,
## paths under miniprogram-tests/ run jest on them; npm is needed only when jest runs.
TEST_RUNS_JEST := $(if $(strip $(ARGS)),$(findstring $(MINIPROGRAM_TESTS),$(ARGS)),all)
test: $(VENV)/.installed-test $(if $(TEST_RUNS_JEST),$(MINIPROGRAM_TESTS)/node_modules/.installed)
	$(PY) tools/run_tests.py $(ARGS)

## No test depends on today's date: the SQLite suite with the machine's clock 400 days ahead,
## then 30 days behind (Debian's faketime; every process the tests start inherits it).
test-clock: test-clock-ahead test-clock-behind

test-clock-ahead: $(VENV)/.installed-test
	env -u DATABASE_URL faketime -f +400d $(PY) -m pytest -n 2 --dist worksteal -q $(ARGS)

test-clock-behind: $(VENV)/.installed-test
	env -u DATABASE_URL faketime -f -30d $(PY) -m pytest -n 2 --dist worksteal -q $(ARGS)

$(MINIPROGRAM_TESTS)/node_modules/.installed: $(MINIPROGRAM_TESTS)/package-lock.json
	cd $(MINIPROGRAM_TESTS) && npm ci --no-audit --no-fund
	touch $@

## The mini program's pages (jest + miniprogram-simulate) over real HTTP against a Yuyue server
## on a fresh database and the WeChat stand-in. Needs Node >= 18 and npm.
test-miniprogram: $(VENV)/.installed-test $(MINIPROGRAM_TESTS)/node_modules/.installed
	cd $(MINIPROGRAM_TESTS) && PYTHON=$(abspath $(PY)) npx jest --runInBand

## ruff, then mypy with django-stubs over yuyue/ (its settings and exceptions: pyproject.toml).
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(VENV)/.installed-test
	$(BIN)/yuyue makemigrations --check --dry-run

## Regenerate the Chinese catalogue from the code (needs gettext), then compile it.
messages: $(VENV)/.installed-test
	cd yuyue && ../$(BIN)/yuyue makemessages --locale zh_Hans --no-obsolete --no-location --no-wrap
	cd yuyue && ../$(BIN)/yuyue compilemessages --locale zh_Hans

## Fail when the committed translations are stale, incomplete or not compiled.
i18n-check: $(VENV)/.installed-test
	$(PY) tools/check_translations.py

check: lint migrations-check i18n-check test

## Benchmarks of issue 14 on SQLite (a temporary folder), and on PostgreSQL when BENCH_DATABASE_URL
## names a database that may be wiped (the release rush also needs Redis: BENCH_REDIS_URL,
## default redis://127.0.0.1:6379/12). Each prints a line per phase with its ratio.
bench: $(VENV)/.installed-test
	$(PY) bench/bench_engine.py
	$(PY) bench/bench_availability.py
	$(PY) bench/bench_bookings.py
	$(PY) bench/bench_growth.py
	$(PY) bench/bench_http.py
	$(PY) bench/bench_bestfit.py
	$(PY) bench/bench_refill.py
	if [ -n "$(BENCH_DATABASE_URL)" ]; then \
	  DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/bench_availability.py && \
	  DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/bench_bookings.py && \
	  DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/bench_growth.py && \
	  DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/bench_http.py && \
	  DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/bench_notifications.py && \
	  DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/bench_notify.py && \
	  DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/bench_release.py; fi

## Fault scripts (docs/security.md): SQLite under 4 processes and 30 bookers, then a
## PostgreSQL restart under load on a throwaway cluster. Loopback only, a few minutes.
faults: $(VENV)/.installed-test
	$(PY) tools/faults/sqlite_lock.py
	$(PY) tools/faults/postgres_restart.py

clean:
	rm -rf $(VENV) var artifacts .pytest_cache .hypothesis .ruff_cache .mypy_cache
