"""Shared helpers: run the real dbt build in a subprocess on files the tests write."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")
HEADER = "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country"


@dataclass(frozen=True)
class BuildResult:
    returncode: int
    output: str
    db: Path
    # Test builds keep staging in a file (CUSTOMER_LIFECYCLE_STAGING_DB) so that the tests can
    # read it; a query sees it as the catalog scratch, as dbt does.
    staging_db: Path

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.db), read_only=True) as connection:
            if self.staging_db.exists():
                connection.execute(f"attach '{self.staging_db}' as scratch (read_only)")
            return connection.execute(sql, params or []).fetchall()

    def scalar(self, sql: str) -> Any:
        return self.query(sql)[0][0]


def run_dbt_build(
    workdir: Path,
    transactions: str | Path,
    extra_vars: dict[str, Any] | None = None,
    select: str | None = None,
) -> BuildResult:
    """`dbt build` on `transactions` into a fresh DuckDB file under `workdir`."""
    db = workdir / "warehouse.duckdb"
    staging_db = workdir / "staging.duckdb"
    env = {
        **os.environ,
        "CUSTOMER_LIFECYCLE_DB": str(db),
        "CUSTOMER_LIFECYCLE_STAGING_DB": str(staging_db),
        "CUSTOMER_LIFECYCLE_TRANSACTIONS": str(transactions),
        # Separate target and log folders keep test builds from clobbering the
        # developer's own, and from reusing each other's partial parse.
        "DBT_TARGET_PATH": str(workdir / "target"),
        "DBT_LOG_PATH": str(workdir / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [str(DBT), "build", "--no-use-colors"]
    if extra_vars:
        command += ["--vars", json.dumps(extra_vars)]
    if select:
        command += ["--select", select]
    completed = subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    return BuildResult(completed.returncode, completed.stdout + completed.stderr, db, staging_db)


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
    assert (
        result.scalar("select count(*) from scratch.staging.stg_retail__transactions") == accepted
    )
