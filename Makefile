# infohub: every command creates .venv from requirements.txt on first use.
# The same commands exist as `python -m infohub …` (see README) for Windows.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum requirements.txt pyproject.toml | cksum | cut -d' ' -f1)

OFFICE_ARGS := $(foreach o,$(OFFICE),--office $(o))

.PHONY: help site check serve test bench publish new-office new-post clean

help:
	@echo "make site [OFFICE=slug] [SHARD=i/n]   build the hub and the offices into site/"
	@echo "make test                             run the whole test suite"
	@echo "make check [OFFICE=slug]              validate content without building"
	@echo "make serve OFFICE=slug                preview one office at http://127.0.0.1:8000"
	@echo "make publish [OFFICE=slug] [CHANNEL=name] [DRY_RUN=1] [MARK_ALL=1]   send the queued social posts"
	@echo "make new-office SLUG=… NAME=… CITY=… PROVINCE=… TZ=…"
	@echo "make new-post OFFICE=slug TITLE=\"…\"       start a news post (a draft) in Indonesian and English"
	@echo "make bench [BENCH_ARGS=…]             build speed, side by side, as ratios (tools/bench.py)"
	@echo "make clean                            remove site/ and its caches"

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

site: $(STAMP)
	$(PY) -m infohub site $(OFFICE_ARGS) $(if $(SHARD),--shard $(SHARD))

# CHANNEL=log (or any platform, repeatable: CHANNEL="log mastodon"); DRY_RUN=1 sends nothing;
# MARK_ALL=1 records every queued post as published without sending (first deployment).
publish: $(STAMP)
	$(PY) -m infohub publish $(OFFICE_ARGS) $(foreach c,$(CHANNEL),--channel $(c)) $(if $(DRY_RUN),--dry-run) $(if $(MARK_ALL),--mark-all)

check: $(STAMP)
	$(PY) -m infohub check $(OFFICE_ARGS) $(if $(STRICT),--strict)

serve: $(STAMP)
	$(PY) -m infohub serve $(OFFICE)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

new-office: $(STAMP)
	$(PY) -m infohub new-office --slug "$(SLUG)" --name "$(NAME)" --city "$(CITY)" --province "$(PROVINCE)" --tz "$(TZ)"

new-post: $(STAMP)
	$(PY) -m infohub new-post --office "$(OFFICE)" --title "$(TITLE)"

clean:
	rm -rf site .cache

# Build speed, side by side in one run (see tools/bench.py). Smaller: make bench BENCH_ARGS="--offices 20 --posts 30"
bench: $(STAMP)
	$(PY) tools/bench.py $(BENCH_ARGS)
