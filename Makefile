# The two quick-start targets: `make demo` and `make test`. Both install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := tests/node/node_modules/.installed
CONSOLE_STAMP := console/node_modules/.installed
EXAMPLE_STAMP := examples/cross-origin/node_modules/.installed
KIT_STAMP := clients/typescript/node_modules/.installed
CONSOLE_DIST := graphsvc/api/console/dist/index.html
CONSOLE_SOURCES := $(shell find console/src -type f) console/index.html console/vite.config.ts console/tsconfig.json

CHROMIUM := /usr/bin/chromium

.PHONY: demo test console neo4j install clean graphiql-assets browser

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "graphsvc needs Python 3.11 or newer: run make PYTHON=python3.11 (or newer)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): tests/node/package.json tests/node/package-lock.json
	cd tests/node && npm ci --silent --no-audit --no-fund
	touch $(NODE_STAMP)

$(CONSOLE_STAMP): console/package.json console/package-lock.json
	cd console && npm ci --silent --no-audit --no-fund
	touch $(CONSOLE_STAMP)

# The front-end tools' own packages (CONTRACT §10): the cross-origin example page with
# Apollo Client, and the typed client kit's graphql-codegen; tests/clients runs both.
$(EXAMPLE_STAMP): examples/cross-origin/package.json examples/cross-origin/package-lock.json
	cd examples/cross-origin && npm ci --silent --no-audit --no-fund
	touch $(EXAMPLE_STAMP)

$(KIT_STAMP): clients/typescript/package.json clients/typescript/package-lock.json
	cd clients/typescript && npm ci --silent --no-audit --no-fund
	touch $(KIT_STAMP)

# The built console is committed (the Python package serves it without node); this rebuilds
# it when console/src changes. make test does not rebuild it: a test builds afresh and fails
# when the committed build differs, so a stale build cannot be committed unnoticed.
$(CONSOLE_DIST): $(CONSOLE_STAMP) $(CONSOLE_SOURCES)
	cd console && npm run --silent build

# The console's browser tests drive Debian's chromium (a test tool's own browser download
# fails on machines without internet). Installed here when missing, as root or with sudo;
# where that is impossible the browser tests skip, unless CI=true, which fails the run.
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		echo "installing Debian's chromium for the browser tests" >&2; \
		export DEBIAN_FRONTEND=noninteractive; \
		$$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 || \
		{ $$SUDO apt-get update -qq >/dev/null && \
		  $$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; } || \
		{ echo "chromium could not be installed: the browser tests will skip" >&2; \
		  [ "$$CI" != true ]; }; \
	fi

install: $(STAMP)

## console: rebuild the web console (console/src -> graphsvc/api/console/dist) when its sources changed
console: $(CONSOLE_DIST)

## demo: load the demo enterprise group into the embedded store and serve it
demo: $(STAMP)
	$(BIN)/graphsvc demo

## test: lint, type-check, check the import layers, and run the whole test suite (on SQLite, and on an in-process Neo4j
## when Java 17+ and Maven are on PATH; the console's browser tests in Debian's chromium, installed when missing;
## CI=true requires them all)
test: $(STAMP) $(NODE_STAMP) $(CONSOLE_STAMP) $(EXAMPLE_STAMP) $(KIT_STAMP) browser
	$(BIN)/ruff check graphsvc tests bench
	$(BIN)/ruff format --check graphsvc tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo --no-cache
	$(BIN)/pytest -q

## neo4j: run Neo4j 5.26 Community in-process, Bolt on 127.0.0.1:$${NEO4J_PORT:-7687} (needs Java 17+ and Maven)
neo4j:
	@tests/neo4j/run

## graphiql-assets: refresh the GraphiQL page's React/GraphiQL files (from npm, versions in the
## script) that graphsvc serves itself under /static/graphiql; commit the result
graphiql-assets:
	tools/vendor_graphiql.sh

clean:
	rm -rf $(VENV) tests/node/node_modules console/node_modules examples/cross-origin/node_modules clients/typescript/node_modules test-artifacts tests/neo4j/target .pytest_cache .mypy_cache .ruff_cache
