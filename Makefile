# The two commands a newcomer needs are `make demo` and `make test`; both install into .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint clean browser screenshots bench bench-quick

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newsarchive demo --archive ./archive.db

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Headless Chromium and a Chinese font for the browser test (Debian; needs root). Idempotent.
browser:
	@command -v chromium >/dev/null && fc-list :lang=zh | grep -q . || \
		{ apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei; }

# The README's screenshots (docs/*.png), from the sample archive in a real browser.
screenshots: $(STAMP) browser
	$(BIN)/python scripts/screenshots.py

# Benchmarks: one table, written to bench/results.json (README, "Performance").
bench: $(STAMP)
	$(BIN)/python -m bench

bench-quick: $(STAMP)
	$(BIN)/python -m bench --quick

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) archive.db archive.db-wal archive.db-shm
