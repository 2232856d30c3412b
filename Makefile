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
	@echo "make new-office SLUG=… NAME=… CITY=… PROVINCE=… TZ=…"

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

site: $(STAMP)
	$(PY) -m infohub site $(OFFICE_ARGS) $(if $(SHARD),--shard $(SHARD))

check: $(STAMP)
	$(PY) -m infohub check $(OFFICE_ARGS) $(if $(STRICT),--strict)

serve: $(STAMP)
	$(PY) -m infohub serve $(OFFICE)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

new-office: $(STAMP)
	$(PY) -m infohub new-office --slug "$(SLUG)" --name "$(NAME)" --city "$(CITY)" --province "$(PROVINCE)" --tz "$(TZ)"

clean:
	rm -rf site .cache
