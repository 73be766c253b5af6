# The two commands of the README (make build, make test) and their helpers.
# Every target installs what it needs into .venv first.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PYTHON := $(VENV)/bin/python
DBT := $(VENV)/bin/dbt
INSTALLED := $(VENV)/.installed

SAMPLE := data/generated/online_retail_ii_sample.csv
SAMPLE_LINES := 300000
SAMPLE_SEED := 42

# Relative paths are read from the project root by dbt (the profile's plugin) and by the
# Python tools alike; recipes here run in the project root too.
export CUSTOMER_LIFECYCLE_DB ?= warehouse/customer_lifecycle.duckdb
export CUSTOMER_LIFECYCLE_TRANSACTIONS ?= $(SAMPLE)

.PHONY: help install build test lint sample lock clean docs dashboard screenshots bench \
	build-spark test-spark compare-engines lock-spark .venv-spark

help:  ## List the targets
	@grep -E '^[a-z.-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(INSTALLED): requirements.txt requirements-dev.txt constraints.txt python/pyproject.toml
	@test -x $(PYTHON) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check \
		-r requirements.txt -r requirements-dev.txt -c constraints.txt
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e python
	@touch $@

install: $(INSTALLED)  ## Create .venv and install the pinned dependencies

$(SAMPLE): | $(INSTALLED)
	$(PYTHON) -m customer_lifecycle.generate --lines $(SAMPLE_LINES) --seed $(SAMPLE_SEED) --out $@

sample: $(SAMPLE)  ## Generate the bundled sample data set (deterministic)

# The sample is only generated when the build reads it. The build runs in a new warehouse
# file, published only when every test passes (customer_lifecycle.publish). Pass dbt vars
# as VARS='{as_of_date: 2011-06-01}'.
build: $(INSTALLED) $(if $(filter $(SAMPLE),$(CUSTOMER_LIFECYCLE_TRANSACTIONS)),$(SAMPLE))  ## Build every model and test on the input, then print a summary
	$(PYTHON) -m customer_lifecycle.publish $(if $(VARS),--vars '$(VARS)')
	@$(PYTHON) -m customer_lifecycle.summary

BENCH_LINES ?= 1e6,1e7
# HISTORY,NEW lines, e.g. 1e8,3e6: also time a build after one new file joins the input glob.
BENCH_INCREMENTAL ?=
# Each size is built twice, with the snapshot history and without ({snapshot_frequency: none}),
# to report what the history adds; BENCH_WITHOUT_HISTORY=0 builds it once, for a quicker run.
BENCH_WITHOUT_HISTORY ?= 1

bench: $(INSTALLED)  ## Time the full build at BENCH_LINES sizes, with and without snapshot history; writes docs/benchmarks.md
	$(PYTHON) -m customer_lifecycle.bench --lines $(BENCH_LINES) $(if $(BENCH_INCREMENTAL),--incremental $(BENCH_INCREMENTAL)) $(if $(filter 0,$(BENCH_WITHOUT_HISTORY)),--no-without-history)

DOCS_PORT ?= 8080

# dbt docs generate opens the warehouse for writing, which would lock readers out of the
# published file, so the catalog is read from a private copy.
# Read-only over the published warehouse; localhost unless STREAMLIT_SERVER_ADDRESS says
# otherwise, port from STREAMLIT_SERVER_PORT (default 8501).
dashboard: $(INSTALLED)  ## Open the marketing dashboard (Streamlit) on localhost
	$(PYTHON) -m customer_lifecycle.dashboard

screenshots: $(INSTALLED)  ## Refresh docs/images: dashboard pages and the lineage graph
	DASHBOARD_TEST_WAREHOUSE="$(CUSTOMER_LIFECYCLE_DB)" DASHBOARD_TEST_CUSTOMER=12400 \
		DASHBOARD_SCREENSHOT_DIR=docs/images DASHBOARD_SCREENSHOT_PAGES=overview,segments,risk,customer_lookup \
		$(PYTHON) -m pytest python/tests/test_dashboard_browser.py -q
	$(PYTHON) -m customer_lifecycle.lineage_screenshot

docs: $(INSTALLED)  ## Build the dbt docs (lineage, data dictionary) and serve them on localhost
	@test -f "$(CUSTOMER_LIFECYCLE_DB)" || { echo "No warehouse at $(CUSTOMER_LIFECYCLE_DB): run 'make build' first." >&2; exit 1; }
	@copy=$$(mktemp -d)/catalog.duckdb && cp "$(CUSTOMER_LIFECYCLE_DB)" "$$copy" && \
		CUSTOMER_LIFECYCLE_DB="$$copy" $(DBT) docs generate --quiet && rm -f "$$copy"
	$(DBT) docs serve --host 127.0.0.1 --port $(DOCS_PORT) --no-browser

lint: $(INSTALLED)  ## ruff on the Python package, sqlfluff on the SQL
	$(VENV)/bin/ruff check python
	$(VENV)/bin/ruff format --check python
	$(VENV)/bin/sqlfluff lint models tests/validation tests/marts tests/seeds analyses

.PHONY: explanation-macro
# The explanations' templates live in python/customer_lifecycle/explain.py; the model renders
# them through this generated macro, which test_explain.py checks is current.
explanation-macro: $(INSTALLED)  ## Regenerate macros/explanation_sql.sql from the explanation templates
	$(PYTHON) -m customer_lifecycle.explain

.PHONY: docs-dictionary
# dbt parse reads the YAML without building anything; the module picks up the
# manifest where dbt wrote it ($DBT_TARGET_PATH, else target/).
docs-dictionary: $(INSTALLED)  ## Regenerate docs/data_dictionary.md from the YAML descriptions
	$(DBT) parse --quiet
	$(PYTHON) -m customer_lifecycle.data_dictionary

test: $(INSTALLED) lint  ## Run every test: dbt build on test data (unit + data tests), then pytest
	$(PYTHON) -m pytest python/tests -q

lock: $(INSTALLED)  ## Re-pin the transitive dependencies into constraints.txt
	$(VENV)/bin/pip freeze --exclude-editable | grep -v '^customer.lifecycle' > constraints.txt

# The landing cache holds the parsed lines of every file read so far, reused by later
# builds; deleting it makes the next build parse everything again.
export CUSTOMER_LIFECYCLE_INGESTION_DB ?= warehouse/ingestion.duckdb

clean:  ## Remove build output and the landing cache (keeps .venv, data and the warehouse)
	rm -rf target logs
	rm -f "$(CUSTOMER_LIFECYCLE_INGESTION_DB)" "$(CUSTOMER_LIFECYCLE_INGESTION_DB).wal"

# --- Spark ------------------------------------------------------------------------------
# dbt-spark and pyspark live in a venv of their own, so that `make build` on DuckDB never
# installs pyspark (a 457 MB wheel, about 2 minutes to build). The Python tools (the
# comparison, the Spark suite) run in .venv: they read Spark's Parquet files with DuckDB and
# run .venv-spark's dbt as a command.
SPARK_VENV := .venv-spark
SPARK_DBT := $(SPARK_VENV)/bin/dbt
SPARK_INSTALLED := $(SPARK_VENV)/.installed

# The Spark warehouse (one Parquet folder per table) and its Derby metastore. Made absolute
# here, because Spark resolves relative paths against the folder it starts in.
export CUSTOMER_LIFECYCLE_SPARK_DIR := $(abspath $(or $(CUSTOMER_LIFECYCLE_SPARK_DIR),warehouse/spark))

# pyspark starts a JVM: dbt's session target needs `java` (17) on the PATH or in JAVA_HOME.
JAVA_CHECK := java -version >/dev/null 2>&1 || { echo "Spark needs Java 17, and 'java -version'\
 failed: install a JRE (Debian/Ubuntu: apt-get install openjdk-17-jre-headless) or put one on\
 the PATH." >&2; exit 1; }

$(SPARK_INSTALLED): requirements-spark.txt constraints-spark.txt
	@test -x $(SPARK_VENV)/bin/python || python3 -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/pip install --quiet --disable-pip-version-check \
		-r requirements-spark.txt -c constraints-spark.txt
	@touch $@

.venv-spark: $(SPARK_INSTALLED)  ## Create .venv-spark and install dbt-spark and pyspark, pinned

# Spark reads the input as given, so it gets an absolute path: its source_file values are then
# the ones a DuckDB build of the same absolute path stores, and compare-engines can match them.
# dbt's target folder is Spark's own, so that neither engine throws away the other's parse.
SPARK_DBT_ENV = CUSTOMER_LIFECYCLE_TRANSACTIONS='$(abspath $(CUSTOMER_LIFECYCLE_TRANSACTIONS))' \
	DBT_TARGET_PATH=target/spark DBT_LOG_PATH=logs/spark

build-spark: $(SPARK_INSTALLED) $(if $(filter $(SAMPLE),$(CUSTOMER_LIFECYCLE_TRANSACTIONS)),$(SAMPLE))  ## Build every model and test on Spark (local session) into CUSTOMER_LIFECYCLE_SPARK_DIR
	@$(JAVA_CHECK)
	@mkdir -p "$(CUSTOMER_LIFECYCLE_SPARK_DIR)"
	$(SPARK_DBT_ENV) $(SPARK_DBT) build --target spark --exclude-resource-type unit_test \
		$(if $(VARS),--vars '$(VARS)')
	@echo "Built on Spark: $(CUSTOMER_LIFECYCLE_SPARK_DIR)/spark-warehouse, a Parquet folder per table"\
		"(the marts in marts.db). To query them, or open them in the dashboard:"
	@echo "  $(PYTHON) -m customer_lifecycle.import_spark_marts --out warehouse/from_spark.duckdb"
	@echo "  CUSTOMER_LIFECYCLE_DB=warehouse/from_spark.duckdb make dashboard"

compare-engines: $(INSTALLED)  ## Compare every mart of the DuckDB warehouse with Spark's; rows only on one side
	$(PYTHON) -m customer_lifecycle.compare_engines

# The suite builds the same inputs on both engines; it runs .venv-spark's dbt as a command.
test-spark: $(INSTALLED) $(SPARK_INSTALLED)  ## Run the Spark suite: Spark and DuckDB builds give the same marts
	@$(JAVA_CHECK)
	$(PYTHON) -m pytest python/tests/spark -q

lock-spark: $(SPARK_INSTALLED)  ## Re-pin .venv-spark's transitive dependencies into constraints-spark.txt
	$(SPARK_VENV)/bin/pip freeze > constraints-spark.txt
