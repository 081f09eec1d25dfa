# One command per habit. `make` runs the tests and the linter.
PYTHON ?= python

.PHONY: default test lint build check serve metadata notebook lock fuzz test-datasette-1

default: test lint

test:
	$(PYTHON) -m pytest

lint:
	$(PYTHON) -m ruff check .

# The fuzz tests' long mode: 1,500 build cases, 200 curator cases, 1,000 API calls and 300
# requests, new ones each run, with the count of cases per outcome printed (tests/fuzzing.py).
fuzz:
	SCO_FUZZ=long $(PYTHON) -m pytest -s -q -p no:cacheprovider tests/test_fuzz.py \
		tests/test_fuzz_curator.py tests/test_fuzz_api.py tests/test_fuzz_requests.py

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

# Exact versions of every dependency, every extra included (docs/curating.md). Needs uv.
# Keeps every pin it can; `make lock UPGRADE=--upgrade` moves all to the newest releases.
# The second lock is the same with Datasette of the 1.0 line, on which CI runs the site's tests
# again (`make test-datasette-1`); DATASETTE_1 names its release.
DATASETTE_1 ?= 1.0a41
lock:
	uv pip compile pyproject.toml --all-extras --universal --python-version 3.11 $(UPGRADE) \
		--custom-compile-command "make lock" -o requirements-lock.txt
	echo "datasette==$(DATASETTE_1)" > .datasette-1.txt
	uv pip compile pyproject.toml --all-extras --universal --python-version 3.11 $(UPGRADE) \
		--constraint .datasette-1.txt --custom-compile-command "make lock" \
		-o requirements-lock-datasette-1.txt; status=$$?; rm -f .datasette-1.txt; exit $$status

# The tests that run Datasette (marked `datasette`), on Datasette 1.0 in a second environment
# installed from the second lock: .venv-datasette-1.
test-datasette-1:
	$(PYTHON) -m venv .venv-datasette-1
	.venv-datasette-1/bin/pip install --quiet -c requirements-lock-datasette-1.txt -e '.[test]'
	.venv-datasette-1/bin/python .ci/drift.py check requirements-lock-datasette-1.txt
	.venv-datasette-1/bin/python -m pytest -m datasette
