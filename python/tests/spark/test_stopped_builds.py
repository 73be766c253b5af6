"""Inputs that stop the build stop it on Spark too, with DuckDB's message.

Each needs a dbt command of its own (about 40 s on Spark), so this is a handful of the cases
the main suite checks on DuckDB: those stopped in the first models, where the files are listed
and scanned (`dbt run --select +stg_retail__files`). The others (an empty input, both encodings
in one file, NUL bytes, an overlong line, a workbook, the rejected-share ceiling) are checked
on DuckDB only. Last, a file that Spark's listing skips gets a message saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import HEADER, write_lines

from .conftest import run_spark_dbt
from .inputs import line


def missing_file(folder: Path) -> tuple[Path, str]:
    path = folder / "no_such_export.csv"
    return path, (
        f"Transactions input not found: '{path}' matches no file (relative paths are read from"
        " the project root). Point the var transactions_path or the env"
        " CUSTOMER_LIFECYCLE_TRANSACTIONS at an existing CSV file, glob of CSV files, or Parquet"
        " file; 'make build' generates the bundled sample."
    )


def a_folder(folder: Path) -> tuple[Path, str]:
    exports = folder / "exports"
    write_lines(exports / "2010-12.csv", [HEADER, line("1001", "2010-12-01 08:26:00")])
    return exports, (
        f"Transactions input '{exports}' is a folder (of 1 files), not a file. Point the var"
        " transactions_path or the env CUSTOMER_LIFECYCLE_TRANSACTIONS at the files in it with"
        f" a glob, such as '{exports}/*.csv'."
    )


def no_price_column(folder: Path) -> tuple[Path, str]:
    path = write_lines(
        folder / "no_price.csv",
        [
            "Invoice,StockCode,Description,Quantity,InvoiceDate,Customer ID,Country",
            "489434,85048,X,12,2009-12-01 07:45:00,13085.0,United Kingdom",
        ],
    )
    return path, (
        f"The header of {path} lacks required column(s): Price or UnitPrice. Found columns:"
        " Invoice, StockCode, Description, Quantity, InvoiceDate, Customer ID, Country."
    )


def dates_in_both_orders(folder: Path) -> tuple[Path, str]:
    lines = [
        line("1001", "01/12/2010 08:26"),
        line("1002", "13/12/2010 09:00"),
        line("1003", "12/13/2010 09:00"),
    ]
    path = write_lines(folder / "both.csv", [HEADER, *lines])
    return path, (
        f"The dates of {path} are written in both orders:"
        f' line 3 ("{lines[1]}") can only be day-first (DD/MM/YYYY),'
        f' and line 4 ("{lines[2]}") can only be month-first (MM/DD/YYYY).'
    )


def utf16(folder: Path) -> tuple[Path, str]:
    path = write_lines(
        folder / "utf16.csv", [HEADER, line("1001", "2010-12-01 08:26:00")], encoding="utf-16"
    )
    return path, (
        f"Cannot read {path}: it is UTF-16 encoded, or not text at all (line 1 holds NUL bytes,"
        " as UTF-16 has between its characters)."
    )


@pytest.mark.parametrize(
    "case", [missing_file, a_folder, no_price_column, dates_in_both_orders, utf16]
)
def test_the_build_stops_with_the_message_duckdb_gives(
    stopped_spark_dir: Path,
    tmp_path: Path,
    case: Callable[[Path], tuple[Path, str]],
) -> None:
    transactions, message = case(tmp_path)
    completed = run_spark_dbt(
        stopped_spark_dir, transactions, "run", "--select", "+stg_retail__files"
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode != 0
    assert message in output, output[-4000:]


def test_a_file_spark_does_not_list_stops_the_build_with_the_reason(
    stopped_spark_dir: Path, tmp_path: Path
) -> None:
    # Spark's file sources skip names starting with _ (DuckDB reads them): given alone, such a
    # file matches nothing on Spark, and the message says why.
    path = write_lines(tmp_path / "_orders.csv", [HEADER, line("1001", "2010-12-01 08:26:00")])
    completed = run_spark_dbt(stopped_spark_dir, path, "run", "--select", "+stg_retail__files")
    output = completed.stdout + completed.stderr
    assert completed.returncode != 0
    assert f"Transactions input not found: '{path}' matches no file" in output, output[-4000:]
    assert (
        "Spark lists no empty (0-byte) file, nor one whose name starts with _ or . (a dot):"
        " rename a file named so for Spark to read it." in output
    ), output[-4000:]
