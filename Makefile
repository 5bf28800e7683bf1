# Two commands do everything on a fresh machine:
#   make demo   set up .venv and run the main job on data/samples/ -> reports/
#   make test   set up .venv and run lint, type checks and the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint browser bench floors clean snapshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/hyoka run

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests benchmarks
	$(BIN)/ruff format --check pipeline tests benchmarks
	$(BIN)/mypy

# Headless Chromium for the HTML report test (Debian's package; never a downloaded build).
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium fonts-noto-cjk)

test: $(STAMP) lint browser
	$(BIN)/pytest -q

# Rewrite the golden snapshots (tests/golden/*.jsonl) from the current code; review the diff.
snapshots: $(STAMP)
	HYOKA_UPDATE_GOLDEN=1 $(BIN)/pytest -q -p no:cacheprovider tests/test_golden_outputs.py

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

# What the libraries alone cost (reading files, SudachiPy on distinct cells, XlsxWriter, CSV).
floors: $(STAMP)
	$(BIN)/python -m benchmarks.floors

clean:
	rm -rf $(VENV) .cache reports/*.csv reports/*.html reports/*.xlsx reports/checklists
