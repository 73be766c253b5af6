"""Shared helpers: run the real dbt build in a subprocess on files the tests write."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from customer_lifecycle.text_lines import register_functions

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")
HEADER = "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country"
# The accepted lines and the parsed lines, as a test query names them.
ACCEPTED = "ingestion.validation.int_transactions_accepted"
PARSED = "ingestion.staging.stg_retail__lines"
# Every test build shares one target folder, so that each reuses dbt's parse of the project
# (about 4 s a build) instead of parsing it again.
SHARED_DBT_DIR = Path(tempfile.mkdtemp(prefix="customer_lifecycle_dbt_"))
# A test that forgets to name its landing cache must not write the developer's own.
os.environ.setdefault(
    "CUSTOMER_LIFECYCLE_INGESTION_DB", str(SHARED_DBT_DIR / "unnamed_ingestion.duckdb")
)


# Tests that need the Spark venv and about a minute; `make test-spark` runs them by naming the
# folder, and the main suite (make test) leaves them out.
SPARK_TESTS = Path(__file__).resolve().parent / "spark"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Leaves out python/tests/spark unless it, or a file in it, is named on the command line."""
    if collection_path.resolve() != SPARK_TESTS:
        return None
    invoked_in = config.invocation_params.dir
    for argument in config.args:
        named = (invoked_in / argument.split("::")[0]).resolve()
        if named == SPARK_TESTS or SPARK_TESTS in named.parents:
            return None
    return True


@dataclass(frozen=True)
class BuildResult:
    returncode: int
    output: str
    db: Path
    # The line-grain models and the landing cache (CUSTOMER_LIFECYCLE_INGESTION_DB); a query
    # sees them as the catalog ingestion, as dbt does.
    ingestion_db: Path

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.db), read_only=True) as connection:
            register_functions(connection)
            if self.ingestion_db.exists():
                connection.execute(f"attach '{self.ingestion_db}' as ingestion (read_only)")
            return connection.execute(sql, params or []).fetchall()

    def scalar(self, sql: str) -> Any:
        return self.query(sql)[0][0]


def dbt_env(workdir: Path, transactions: str | Path) -> dict[str, str]:
    """The environment of a dbt command on `transactions` whose DuckDB files live in `workdir`.

    The warehouse is named the way the publish step names its private copy
    (CUSTOMER_LIFECYCLE_BUILD_DB, read by the profile's plugin), so that the profile, and
    with it dbt's parse, stays the same from one test build to the next. The file keeps the
    published file's name: DuckDB names the catalog after it.
    """
    return {
        **os.environ,
        "CUSTOMER_LIFECYCLE_BUILD_DB": str(workdir / "customer_lifecycle.duckdb"),
        "CUSTOMER_LIFECYCLE_INGESTION_DB": str(workdir / "ingestion.duckdb"),
        "CUSTOMER_LIFECYCLE_TRANSACTIONS": str(transactions),
        "DBT_TARGET_PATH": str(SHARED_DBT_DIR / "target"),
        "DBT_LOG_PATH": str(SHARED_DBT_DIR / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def run_dbt(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    """dbt's command line, run from the project root with `env`, no stdin, output captured."""
    return subprocess.run(
        [str(DBT), *arguments],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def run_dbt_build(
    workdir: Path,
    transactions: str | Path,
    extra_vars: dict[str, Any] | None = None,
    select: str | None = None,
) -> BuildResult:
    """`dbt build` on `transactions` into DuckDB files under `workdir`, as production runs it.

    Unit tests are left out, as `make build` leaves them out; they run once, on their own
    (test_dbt_commands.py). A second build in the same `workdir` reuses its landing cache.
    """
    env = dbt_env(workdir, transactions)
    command = ["build", "--no-use-colors", "--exclude-resource-type", "unit_test"]
    if extra_vars:
        command += ["--vars", json.dumps(extra_vars)]
    if select:
        command += ["--select", select]
    completed = run_dbt(env, *command)
    return BuildResult(
        completed.returncode,
        completed.stdout + completed.stderr,
        Path(env["CUSTOMER_LIFECYCLE_BUILD_DB"]),
        Path(env["CUSTOMER_LIFECYCLE_INGESTION_DB"]),
    )


@pytest.fixture
def build(tmp_path: Path) -> Iterator[Callable[..., BuildResult]]:
    def _build(transactions: str | Path, extra_vars: dict[str, Any] | None = None) -> BuildResult:
        return run_dbt_build(tmp_path, transactions, extra_vars)

    yield _build


def write_lines(path: Path, lines: list[str], encoding: str = "utf-8", newline: str = "\n") -> Path:
    """Writes `lines` exactly, one per physical line, in the given encoding."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes("".join(line + newline for line in lines).encode(encoding))
    return path


def assert_report_balances(result: BuildResult, data_lines: int) -> None:
    """Every data line is accounted for once: read = accepted + rejected, in every table."""
    assert result.returncode == 0, result.output
    read, accepted, rejected, balanced = result.query(
        "select lines_read, lines_accepted, lines_rejected, is_balanced"
        " from marts.data_quality_report"
    )[0]
    assert read == data_lines
    assert read == accepted + rejected
    assert balanced is True
    assert result.scalar("select count(*) from marts.rejected_transactions") == rejected
    assert result.scalar(f"select count(*) from {ACCEPTED}") == accepted
