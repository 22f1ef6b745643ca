# The two commands a newcomer needs are `make demo` and `make test`; both install into .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint clean browser redis screenshots bench bench-quick lock

install: $(STAMP)

# Installs exactly the versions in constraints.txt (the ones the suite passed with).
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

# A fresh resolve of pyproject.toml's ranges into constraints.txt; then `make test` and commit.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet '.[test]'
	{ sed -n '1,2p' constraints.txt; .venv-lock/bin/python -m pip freeze --exclude newsarchive; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf .venv-lock

demo: $(STAMP)
	$(BIN)/newsarchive demo --archive ./archive.db

# The browser test needs Chromium: installed first where this machine can (root, apt-get);
# elsewhere the test is skipped, saying why.
test: $(STAMP) redis
	@if command -v chromium >/dev/null && fc-list :lang=zh | grep -q .; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		$(MAKE) --no-print-directory browser || echo "make test: could not install chromium; the browser test will be skipped"; \
	else echo "make test: chromium is missing and apt-get needs root here: the browser test will be skipped (sudo make browser installs it)"; fi
	$(BIN)/python -m pytest -q

# Headless Chromium and a Chinese font for the browser test (Debian; needs root). Idempotent.
browser:
	@command -v chromium >/dev/null && fc-list :lang=zh | grep -q . || \
		{ apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei; }

# redis-server for the cluster tests and benchmark (Debian, as root with apt; elsewhere the
# cluster tests skip and say why). Idempotent.
redis:
	@command -v redis-server >/dev/null || \
		{ [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		  { apt-get update -qq && apt-get install -y -qq redis-server; } || \
		  echo "redis-server not installed (needs root and apt): the cluster tests will skip"; }

# The README's screenshots (docs/*.png), from the sample archive in a real browser.
screenshots: $(STAMP) browser
	$(BIN)/python scripts/screenshots.py

# Benchmarks: one table, written to bench/results.json (README, "Performance").
bench: $(STAMP) redis
	$(BIN)/python -m bench

bench-quick: $(STAMP) redis
	$(BIN)/python -m bench --quick

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .venv-lock archive.db archive.db-wal archive.db-shm
