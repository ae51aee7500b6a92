# Tekojen tori / Framstegsarenan
#   make run    set everything up and serve http://127.0.0.1:8000 (PORT overrides)
#   make test   set everything up and run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test test-fast messages shell bench soak clean
.DEFAULT_GOAL := run

$(STAMP): pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $@

run: $(STAMP)
	$(BIN)/python -m arena.localdb run

test: $(STAMP)
	$(BIN)/python -m arena.localdb test $(PYTEST_ARGS)

# Everything but the browser journeys.
test-fast: $(STAMP)
	$(BIN)/python -m arena.localdb test -m "not browser" $(PYTEST_ARGS)

# Refresh the fi and sv catalogues from the code and templates.
messages: $(STAMP)
	DEBUG=true DATABASE_URL=postgresql://unused@localhost/unused $(BIN)/python manage.py makemessages -l fi -l sv --no-obsolete --ignore=.venv --ignore=var --ignore=bench

shell: $(STAMP)
	$(BIN)/python -m arena.localdb shell

# Seed (or reuse) the benchmark database and measure the pages under load; see README.md.
# Pass options with BENCH_ARGS, e.g. make bench BENCH_ARGS="--scale 0.01 --seconds 3".
bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

# The reliability soak test (a few minutes; not part of `make test`): mixed load, a killed worker,
# a database restart and double submissions against gunicorn; see README.md.
# Pass options with SOAK_ARGS, e.g. make soak SOAK_ARGS="--seconds 20 --connections 16".
soak: $(STAMP)
	$(BIN)/python -m bench.soak $(SOAK_ARGS)

clean:
	rm -rf $(VENV) var
