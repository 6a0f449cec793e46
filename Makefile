# Everything a fresh machine needs: `make run` and `make test` build their own virtualenv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
EXAMPLE ?= fixtures/cases/cancer-01-lung-bone-mets-permanent-70pct

.PHONY: run example test lint typecheck unit clean screenshots

$(BIN)/.installed: pyproject.toml
	bash scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The main job: the reviews API and reviewer page on the embedded defaults (SQLite in ./var).
run: $(BIN)/.installed
	$(BIN)/chart-review serve --host $(HOST) --port $(PORT)

# Review one shipped example chart from the command line and print the decision.
example: $(BIN)/.installed
	$(BIN)/chart-review review $(EXAMPLE)

lint: $(BIN)/.installed
	$(BIN)/ruff check .

typecheck: $(BIN)/.installed
	$(BIN)/mypy

unit: $(BIN)/.installed
	$(BIN)/pytest

test: lint typecheck unit

# The README's pictures of the reviewer page, taken by the browser test (Chromium, headless).
screenshots: $(BIN)/.installed
	mkdir -p docs/screenshots
	CHART_REVIEW_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q tests/web/test_browser.py -k 'review_evidence_and_override or pdf_evidence'

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
