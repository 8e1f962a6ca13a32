# Set-up and everyday commands. The first use creates .venv and installs Pact into it, with the
# extras the tests need (dev; cluster: Dask, for the batch-on-a-cluster tests).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: play test lint bench clean batch

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,cluster]'
	$(BIN)/pact warm
	touch $(STAMP)

play: $(STAMP)
	$(BIN)/pact play scenarios/treaty-2024.toml

test: $(STAMP)
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check game tests benchmarks tools
	$(BIN)/ruff format --check game tests benchmarks tools

bench: $(STAMP)
	$(BIN)/python benchmarks/montecarlo.py
	$(BIN)/python benchmarks/phases.py
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/forecast.py
	$(BIN)/python benchmarks/cold_start.py
	SDL_VIDEODRIVER=dummy $(BIN)/python benchmarks/ui_frames.py

batch: $(STAMP)
	$(BIN)/pact batch scenarios/treaty-2024.toml --runs 100000 --seed 1

clean:
	rm -rf $(VENV) results .pytest_cache
