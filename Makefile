# Two commands for a new machine: `make run` (install + extract the bundled sample)
# and `make test` (install + the whole test suite). Everything lives in .venv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SAMPLE := examples/示例市-2024.txt

.PHONY: install run test bench eval clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	$(VENV)/bin/luoshi extract $(SAMPLE) --format md

test: install
	$(PY) -m pytest

bench: install
	$(PY) bench/bench_extract.py

eval: install
	$(VENV)/bin/luoshi eval ../shared/gold/dev

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
