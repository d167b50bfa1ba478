# Collaborative Working Workbook — every target starts from nothing and skips what is already done.
#   make run    set up, then execute every notebook on the bundled data into build/ (notebooks + HTML)
#   make test   set up, then lint and type-check (make lint), then run the whole test suite (what CI runs)
#   make lint   ruff (lint rules in pyproject.toml) over src, tests and bench; mypy over its configured paths
#   make lab    set up, then open JupyterLab on the notebooks
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := $(VENV)/share/jupyter/kernels/python3/kernel.json
BROWSER_STAMP := build/.browser-ready
COURSE_STAMP := build/.course-built
# The JupyterHub test's proxy (npm), project-local: build/node/node_modules/.bin/configurable-http-proxy
CHP_VERSION := 5.2.0
CHP := build/node/node_modules/.bin/configurable-http-proxy
# What the executed course depends on: a change to any of these rebuilds it on the next `make run`.
COURSE_INPUTS := $(shell find notebooks src/helpers datasets -type f \( -name '*.ipynb' -o -name '*.py' -o -name '*.csv' -o -name '*.j2' \) ! -name '_serving_*' 2>/dev/null)

.PHONY: setup run test lint lab build lock refresh browser-deps hub-deps clean reference

setup: $(STAMP) $(KERNEL)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

# A kernel inside the venv, so papermill, nbval and JupyterLab all run the pinned libraries.
$(KERNEL): $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (workbook)" >/dev/null
	@test -f $@

run: setup $(COURSE_STAMP)
	@echo
	@echo "Executed notebooks: build/notebooks/   HTML pages: build/html/   (or run 'make lab')"

$(COURSE_STAMP): $(STAMP) $(COURSE_INPUTS)
	$(BIN)/workbook build --out build
	@touch $@

lab: setup
	$(BIN)/jupyter lab notebooks/

# Debian's chromium for the real-browser test (Playwright drives it; no browser is downloaded).
browser-deps: $(BROWSER_STAMP)
$(BROWSER_STAMP):
	@mkdir -p build
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }
	@touch $@

# configurable-http-proxy for the JupyterHub test (tests/test_hub.py), from npm into build/node (Debian's
# nodejs and npm installed first when missing).
hub-deps: $(CHP)
$(CHP):
	@command -v npm >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }
	npm install --silent --no-audit --no-fund --prefix build/node configurable-http-proxy@$(CHP_VERSION)
	@test -x $@

# Lint and types first: a finding fails the run before the (long) suite starts.
lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# Bytecode is written and compiled once up front, even where PYTHONDONTWRITEBYTECODE is set: the suite
# starts dozens of Python processes (kernels, servers, commands), and each would otherwise compile the
# workbook's own modules again (about 1.4 s of CPU each; pytest's rewritten test modules likewise).
# Three workers on two cores: much of the suite waits for servers, kernels and browsers to start, and the
# third worker fills that time (interleaved runs here: 172 and 172 s with three, 208 and 190 s with two).
test: setup browser-deps hub-deps lint
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m compileall -q src tests bench
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n 3 --dist loadfile --no-loadscope-reorder \
	  --doctest-modules --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg src/helpers tests/ notebooks/

# Re-execute notebooks in place with their default parameters (after changing helpers or datasets).
refresh: setup
	$(BIN)/workbook refresh $(or $(NB),notebooks/*.ipynb)

# Re-resolve the pins from pyproject.toml's ranges into requirements.lock.
lock:
	rm -rf build/lockenv && $(PYTHON) -m venv build/lockenv
	build/lockenv/bin/pip install --quiet ".[test,hub]"
	{ sed -n '1,2p' requirements.lock; build/lockenv/bin/pip freeze --exclude-editable | grep -v '^collaborative-working-workbook' | sort -f; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

# Re-compute the committed R reference values (tests/reference/values/) from Debian's R; the tests
# themselves need no R, only the committed CSVs.
R_PACKAGES := r-base-core r-cran-psych r-cran-mass r-cran-survival r-cran-coin r-cran-exactranktests \
  r-cran-effectsize r-cran-pwr r-cran-multilevel r-cran-vcd
reference:
	@command -v Rscript >/dev/null 2>&1 && Rscript -e 'for (p in c("psych","MASS","survival","coin","exactRankTests","effectsize","pwr","multilevel","vcd")) library(p, character.only=TRUE)' >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(R_PACKAGES) >/dev/null; }
	@for script in tests/reference/*.R; do [ "$$(basename $$script)" = common.R ] || Rscript $$script || exit 1; done

clean:
	rm -rf build $(VENV)
