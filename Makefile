# Every target sets up what it needs: a virtual environment in .venv with the project installed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site test serve bench check clean chromium

site: $(STAMP)            ## ingest seeds/ and build the site into public/
	$(BIN)/lawreport build --ingest

test: $(STAMP) chromium  ## run every test, browser tests included
	$(BIN)/python -m pytest

serve: $(STAMP)           ## preview on http://127.0.0.1:8000/ with rebuild on change
	$(BIN)/lawreport serve

check: $(STAMP)          ## validate content/, list the fields to review
	$(BIN)/lawreport check

bench: $(STAMP) chromium  ## figures for us and the peer (Hugo + Pagefind): benchmarks/README.md
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)
	$(BIN)/python benchmarks/search_bench.py

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Browser tests drive Debian's Chromium; Playwright's own browser download cannot work offline.
# A Chinese system font makes the screenshots readable (the site itself ships no fonts).
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
chromium:
	@test -x /usr/bin/chromium -a -f $(CJK_FONT) || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-wqy-microhei; }

clean:
	rm -rf $(VENV) public .public-spare .public-new-*
