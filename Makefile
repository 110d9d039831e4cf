# `make serve` and `make test` set up everything they need; both are quick when nothing changed.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
DEPS := $(VENV)/.installed
PYTEST := $(PY) -m pytest
ADDR ?= 127.0.0.1:8000
# mkdocs-material prints its end-of-life notice on every build; the README covers the migration plan.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test unit labs site checks bench host clean

$(DEPS): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

host:
	@bash tests/setup-host.sh

unit: $(DEPS)
	$(PYTEST) -m "not lab and not built"

labs: $(DEPS) host
	$(PYTEST) -m lab

# Built aside and moved into place, so a failed build never leaves a half-written site/.
site: $(DEPS)
	@rm -rf build/site.tmp
	$(VENV)/bin/mkdocs build --strict --quiet -d build/site.tmp
	@rm -rf site && mv build/site.tmp site
	@echo "site/ built"

checks: $(DEPS)
	$(PYTEST) -m built

test: unit labs site checks

serve: $(DEPS)
	$(VENV)/bin/mkdocs serve --strict -a $(ADDR)

bench: $(DEPS) host
	$(PY) tests/bench.py --per-lab

clean:
	rm -rf site build
