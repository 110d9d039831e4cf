# `make serve` and `make test` set up everything they need; both are quick when nothing changed.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
DEPS := $(VENV)/.installed
PYTEST := $(PY) -m pytest
# axe-core, the accessibility rules the browser tests run inside each page; pinned, from npm.
AXE := build/node/node_modules/axe-core/axe.min.js
AXE_VERSION := 4.14.1
# mutation-testing-elements, the web component that draws the breakage report; pinned, from npm, served by the
# site itself. Its own prefix: npm would prune a package another install put in the same one.
REPORT_APP := build/node-report/node_modules/mutation-testing-elements/dist/mutation-test-elements.js
REPORT_APP_VERSION := 3.9.0
ADDR ?= 127.0.0.1:8000
# changed: keep the passing results of labs whose inputs (spec, snippets, images, harness) are unchanged.
LABS ?= changed
# mkdocs-material prints its end-of-life notice on every build; the README covers the migration plan.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test unit lab labs mutants merge-mutants merge-results site site-zensical checks browser screenshots bench host fresh-host-check clean

$(DEPS): pyproject.toml
	@bash tests/setup-host.sh python
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

host:
	@bash tests/setup-host.sh labs

unit: $(DEPS) $(REPORT_APP)
	$(PYTEST) -m "not lab and not built and not planted and not browser"

# In parallel (pytest-xdist), one worker per core as far as memory allows; images are built once, under a lock.
# SHARD=K/N: one CI job's share of every lab × release (balanced by tests/labs/durations.json), recorded in
# build/shards/K-of-N.json; with RELEASE=debian-13, of that release's only (debian-13-K-of-N.json).
# `make merge-results` then checks the shards and merges them for the site.
labs: $(DEPS) host
	$(PYTEST) -m lab -n auto $(if $(SHARD),--labs=all --shard $(SHARD) $(if $(RELEASE),--shard-release $(RELEASE)),--labs=$(LABS))

merge-results: $(DEPS)
	$(PY) -m runbook_kb.lab.merge

# One runbook's lab before publishing it: make lab RUNBOOK=saslauthd [ARGS="--release debian-13 -x"]
lab: $(DEPS) host
	$(PY) -m runbook_kb.lab $(RUNBOOK) $(ARGS)

# Before publishing a runbook: break its snippets as authors do and see its lab catch each break.
# make mutants RUNBOOK=saslauthd [ARGS="--release debian-13 --cap 6 --all --jobs 1"]; without RUNBOOK, every
# lab. SHARD=K/N [RELEASE=…]: one CI job's share, balanced by each run's cost; `make merge-mutants` then
# checks and merges the shards' files (build/mutation-shards/*.json).
mutants: $(DEPS) host
	$(PY) -m runbook_kb.mutation $(RUNBOOK) $(ARGS) $(if $(SHARD),--shard $(SHARD)) $(if $(RELEASE),--release $(RELEASE))

merge-mutants: $(DEPS)
	$(PY) -m runbook_kb.mutation.merge

# Built aside and moved into place, so a failed build never leaves a half-written site/.
site: $(DEPS) $(REPORT_APP)
	@rm -rf build/site.tmp
	$(VENV)/bin/mkdocs build --strict -d build/site.tmp
	@rm -rf site && mv build/site.tmp site
	@echo "site/ built"

# The same sources built by Zensical, Material's successor: it runs the extensions but no MkDocs plugin. Clean
# every time: its page cache does not know that a page's badges depend on the lab results.
site-zensical: $(DEPS) $(REPORT_APP)
	@rm -rf build/site-zensical.tmp
	@$(PY) -m runbook_kb.extensions.pages
	RUNBOOK_SITE_DIR=build/site-zensical.tmp $(VENV)/bin/zensical build --clean
	@rm -rf build/site-zensical && mv build/site-zensical.tmp build/site-zensical
	@echo "build/site-zensical/ built"

# The built site against its results; then each author mistake, planted in a copy, must stop `make site`.
checks: $(DEPS)
	$(PYTEST) -m built
	$(PYTEST) -m planted -n $(shell nproc)

$(AXE):
	npm install --silent --no-save --no-audit --no-fund --prefix build/node axe-core@$(AXE_VERSION)

# After $(DEPS), whose set-up brings npm; order-only, so a reinstalled venv does not fetch it again.
$(REPORT_APP): | $(DEPS)
	npm install --silent --no-save --no-audit --no-fund --prefix build/node-report \
		mutation-testing-elements@$(REPORT_APP_VERSION)

# The built site/ in Debian's Chromium (driven by Playwright): copy buttons, palettes, widths, links, axe.
# A browser per core, a test module per worker: the modules that write a report see every page.
browser: $(DEPS) host $(AXE)
	$(PYTEST) -m browser -n $(shell nproc) --dist loadfile

test: unit labs site site-zensical checks browser

screenshots: $(DEPS) host site
	$(PY) tests/browser/screenshots.py

serve: $(DEPS) $(REPORT_APP)
	$(VENV)/bin/mkdocs serve --strict -a $(ADDR)

# The README's two commands on a pristine Debian 12 (a privileged container), from a clean clone of HEAD.
fresh-host-check: host
	@bash tests/fresh-host-check.sh

bench: $(DEPS) host $(REPORT_APP)
	$(PY) tests/bench.py $(ARGS)

clean:
	rm -rf site build .cache
