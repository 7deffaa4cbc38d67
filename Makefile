# i-Speed Atlas: two commands on a fresh machine.
#   make run   create .venv, install, start the app on the demo store
#   make test  install everything the tests need, then lint and run every test
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
STORE  ?=

.PHONY: run test lint bench system-deps venv clean-demo

$(VENV)/.stamp-runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.stamp-dev: $(VENV)/.stamp-runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.stamp-runtime

# Chromium (kaleido image export, Playwright tests) and fonts with Vietnamese glyphs come from Debian.
system-deps:
	@bash scripts/system-deps.sh

run: $(VENV)/.stamp-runtime system-deps
	$(VENV)/bin/streamlit run app.py --server.port $(PORT) -- $(if $(STORE),--store $(STORE),)

lint: $(VENV)/.stamp-dev
	$(VENV)/bin/ruff check .

test: $(VENV)/.stamp-dev system-deps lint
	$(PY) -m pytest -q

bench: $(VENV)/.stamp-dev system-deps
	$(PY) -m bench.ingest_national
	$(PY) -m bench.dashboard
	$(PY) -m bench.exports
	$(PY) -m bench.concurrency
	$(PY) -m bench.history

clean-demo:
	rm -rf data/demo-store
