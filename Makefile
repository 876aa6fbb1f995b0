# MotCua — the two commands that matter: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
PORT ?= 8000
# PostgreSQL used by `make test` (the suite runs on SQLite, then on this database when it answers).
TEST_PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: setup system-deps run test test-sqlite test-pg bench lint messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

# Debian/Ubuntu packages: Chromium for browser tests, fonts with Vietnamese glyphs for printable forms.
system-deps:
	@bash scripts/system-deps.sh

run: setup system-deps
	$(BIN)/motcua migrate --noinput
	$(BIN)/motcua demo
	$(BIN)/motcua serve --port $(PORT)

test: setup system-deps
	@bash scripts/run-tests.sh "$(BIN)" "$(TEST_PG_URL)"

test-sqlite: setup
	DATABASE_URL= $(BIN)/pytest

test-pg: setup
	DATABASE_URL=$(TEST_PG_URL) $(BIN)/pytest

bench: setup
	$(BIN)/python -m bench

# A PNG of every printable form (TT 03/2025 and TT 01/2018) into docs/forms/, from sample dossiers in a
# throw-away SQLite database.
.PHONY: forms-preview
forms-preview: setup system-deps
	$(BIN)/python -m motcua.forms.preview docs/forms

lint: setup
	$(BIN)/ruff check src tests bench

messages: setup
	cd src/motcua && export MOTCUA_DATA_DIR=../../var && ../../$(BIN)/motcua makemessages -l en --no-obsolete \
	  && ../../$(BIN)/motcua compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis

# The security suite alone (permission matrix, API fuzzing, uploads, hardening; docs/security.md): `-s` prints the
# figures (patterns × roles checked, fuzz cases run).
.PHONY: test-security
test-security: setup
	$(BIN)/pytest tests/security -s -p no:xdist
