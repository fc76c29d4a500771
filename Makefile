# Two commands for a new machine: `make run` (install + extract the bundled sample)
# and `make test` (install + the whole test suite). Everything lives in .venv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SAMPLE := examples/示例市-2024.txt
# The web pages' chart library: Apache ECharts from the npm registry, unpacked into the
# package at install time (not committed; served by the app, never from a CDN)
ECHARTS_VERSION := 6.1.0
VENDOR := src/luoshi/web/static/vendor
ECHARTS := $(VENDOR)/echarts.min.js

.PHONY: install run test bench eval bench-web bench-track bench-ingest bench-bad-input track clean

$(ECHARTS):
	@command -v npm >/dev/null || { echo "npm is needed once to fetch ECharts (apt-get install npm)"; exit 1; }
	mkdir -p $(VENDOR)
	cd $(VENDOR) && npm pack --silent echarts@$(ECHARTS_VERSION) >/dev/null \
	  && tar -xzf echarts-$(ECHARTS_VERSION).tgz --strip-components=2 package/dist/echarts.min.js \
	  && tar -xzf echarts-$(ECHARTS_VERSION).tgz --strip-components=1 package/LICENSE package/NOTICE \
	  && mv LICENSE LICENSE.echarts && mv NOTICE NOTICE.echarts && rm echarts-$(ECHARTS_VERSION).tgz

$(VENV)/.installed: pyproject.toml $(ECHARTS)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	$(VENV)/bin/luoshi extract $(SAMPLE) --format md

# the monitoring sample (examples/track): load it, then the status and the alerts as of 30 June
TRACK_DB := track-sample.db
track: install
	rm -f $(TRACK_DB)
	for f in catalog:monitor.yaml targets:targets.csv observations:observations.csv projects:projects.csv progress:progress.csv; do \
	  $(VENV)/bin/luoshi track load $${f%%:*} examples/track/$${f#*:} --db $(TRACK_DB) || exit 1; done
	$(VENV)/bin/luoshi track status --region 示例市 --as-of 2024-06-30 --db $(TRACK_DB)
	$(VENV)/bin/luoshi track alerts --region 示例市 --as-of 2024-06-30 --db $(TRACK_DB)

test: install
	$(PY) -m pytest

bench: install
	$(PY) bench/bench_extract.py
	$(PY) bench/bench_track.py
	$(PY) bench/bench_bad_input.py

# hostile files: decompression bombs, a 100 MB text, HTML a million <div> deep (about a minute)
bench-bad-input: install
	$(PY) bench/bench_bad_input.py

bench-track: install
	$(PY) bench/bench_track.py

# 10,000 synthetic reports with each engine (about 20 minutes; --reports N for fewer)
bench-ingest: install
	$(PY) bench/bench_ingest.py

bench-web: install
	$(PY) bench/bench_web.py

eval: install
	$(VENV)/bin/luoshi eval ../shared/gold/dev

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache $(VENDOR)
