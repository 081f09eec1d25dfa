# One command per habit. `make` runs the tests and the linter.
PYTHON ?= python

.PHONY: default test lint build check serve metadata notebook

default: test lint

test:
	$(PYTHON) -m pytest

lint:
	$(PYTHON) -m ruff check .

build:
	$(PYTHON) build.py

check:
	$(PYTHON) build.py check

serve:
	$(PYTHON) build.py serve

metadata:
	$(PYTHON) build.py metadata

notebook:
	$(PYTHON) -c "from tests.test_notebook import refresh; refresh()"
