# exonc — every task a developer or CI needs. `make demo` and `make test` are the two
# set-up commands: each creates the environment first, so nothing else is needed.

PYTHON  ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION := 0.13.8
TOOLS   := .tools
UV      := $(TOOLS)/bin/uv
VENV    := .venv
BIN     := $(VENV)/bin
HOST    ?= 127.0.0.1
PORT    ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Compile bytecode at install: the first `exonc` of a fresh environment (or one where
# PYTHONDONTWRITEBYTECODE is set) would otherwise compile every module it imports.
export UV_COMPILE_BYTECODE := 1

.PHONY: env demo serve test test-fast check format bench docs lock clean help messages

help:
	@echo "make demo    build the synthetic trial database and serve it on http://127.0.0.1:8000 (PORT=8001 for another port)"
	@echo "make test    run the whole test suite (SQLite, and PostgreSQL when EXONC_TEST_DATABASE_URL is set)"
	@echo "make check   ruff (format + lint), mypy, import rules, codespell"
	@echo "make bench   run the benchmarks and write docs/benchmarks.md"
	@echo "make serve   serve the existing database with gunicorn (PORT=…, HOST=…)"
	@echo "make docs    regenerate docs/cli.md from the code"
	@echo "make messages  extract texts into the translation catalogues and compile them"

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

env: $(VENV)/.synced

demo: env
	$(BIN)/exonc demo --host $(HOST) --port $(PORT)

serve: env
	$(BIN)/exonc serve --host $(HOST) --port $(PORT)

# The whole suite runs on SQLite; when EXONC_TEST_DATABASE_URL names a PostgreSQL server
# (as .ci/run does), the database tests run again against it.
test: env
	env -u EXONC_TEST_DATABASE_URL $(BIN)/pytest -n 2 --dist loadfile
	@if [ -n "$$EXONC_TEST_DATABASE_URL" ]; then \
		echo "== database tests again on $$EXONC_TEST_DATABASE_URL"; \
		$(BIN)/pytest -n 2 --dist loadfile -m "django_db or postgres"; \
	fi

test-fast: env
	env -u EXONC_TEST_DATABASE_URL $(BIN)/pytest -n 2 --dist loadfile -m "not slow and not browser"

check: env
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/codespell src docs tests benchmarks README.md

format: env
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: env
	$(BIN)/python -m benchmarks

# Regenerate the generated documentation (tests/test_docs.py checks it is current).
docs: env
	$(BIN)/typer exonc.cli utils docs --name exonc --title "exonc command line" --output docs/cli.md

# Translation catalogues (docs/translations.md): extract every marked text of src/exonc
# (templates, the platform's gettext calls, the domain core's N_ markers) into
# src/exonc/platform/locale/<lang>/LC_MESSAGES/django.po, then compile the .mo files.
MESSAGE_LANGUAGES := de nl es pl sv
messages: env
	cd src/exonc && DJANGO_SETTINGS_MODULE=exonc.platform.django_settings EXONC_TASKS_URL=immediate \
		EXONC_VAR_DIR=$${TMPDIR:-/tmp}/exonc-messages ../../$(BIN)/django-admin makemessages \
		$(addprefix --locale=,$(MESSAGE_LANGUAGES)) --no-obsolete --no-wrap \
		--add-location=file --ignore=static --ignore=synthetic
	cd src/exonc/platform && DJANGO_SETTINGS_MODULE=exonc.platform.django_settings \
		EXONC_TASKS_URL=immediate EXONC_VAR_DIR=$${TMPDIR:-/tmp}/exonc-messages \
		../../../$(BIN)/django-admin compilemessages
	@$(BIN)/python -m tests.platform.i18n.catalogues || echo "translate the entries above (docs/translations.md)"

lock: | $(UV)
	$(UV) lock --python $(PYTHON)

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache .ruff_cache
