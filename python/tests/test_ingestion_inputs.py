"""The input table of the foundation issue: each kind of input, built for real.

Every test writes its own small CSV (or Parquet) file, runs `dbt build` on it
in a subprocess, and checks the exit code, the message or the tables. The builds stop at
ingestion (conftest.INGESTION) and its data tests, which is all these tests read; the one that
checks no customer mart is built from a rejected input builds everything.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
from conftest import (
    ACCEPTED,
    DBT,
    HEADER,
    INGESTION,
    PARSED,
    PROJECT_ROOT,
    assert_report_balances,
    write_lines,
)

# Files built to exercise rejections are mostly bad on purpose; this ceiling
# keeps the build going so the reasons can be read.
LENIENT = {"max_rejected_share": 0.9}

GOOD_LINES = [
    "489434,85048,15CM CHRISTMAS GLASS BALL 20 LIGHTS,12,2009-12-01 07:45:00,6.95,13085.0,United Kingdom",
    "489434,79323P,PINK CHERRY LIGHTS,12,2009-12-01 07:45:00,6.75,13085.0,United Kingdom",
    "489435,22350,CAT BOWL,12,2009-12-01 07:46:00,2.55,13085.0,United Kingdom",
    "489436,22633,HAND WARMER UNION JACK,6,2009-12-01 09:06:00,1.85,13078.0,United Kingdom",
]


def rejections(result) -> dict[int, str]:
    return dict(
        result.query("select source_line_number, rejection_reason from marts.rejected_transactions")
    )


def test_missing_file_names_the_path(build, tmp_path: Path) -> None:
    missing = tmp_path / "no_such_export.csv"
    result = build(missing, select=INGESTION)
    assert result.returncode != 0
    assert f"Transactions input not found: '{missing}'" in result.output


def test_header_without_a_required_column_lists_missing_and_found(build, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "no_price.csv",
        [
            "Invoice,StockCode,Description,Quantity,InvoiceDate,Customer ID,Country",
            "489434,85048,X,12,2009-12-01 07:45:00,13085.0,United Kingdom",
        ],
    )
    result = build(path, select=INGESTION)
    assert result.returncode != 0
    assert f"The header of {path} lacks required column(s): Price or UnitPrice." in result.output
    assert (
        "Found columns: Invoice, StockCode, Description, Quantity, InvoiceDate, Customer ID,"
        " Country." in result.output
    )


def test_empty_file_stops_the_build(build, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    result = build(path, select=INGESTION)
    assert result.returncode != 0
    assert f"No transaction lines in {path}" in result.output


def test_header_only_file_stops_the_build(build, tmp_path: Path) -> None:
    path = write_lines(tmp_path / "header_only.csv", [HEADER])
    result = build(path, select=INGESTION)
    assert result.returncode != 0
    assert f"No transaction lines in {path}" in result.output


def test_latin1_descriptions_are_decoded(build, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "latin1.csv",
        [
            HEADER,
            "489434,85048,CAFÉ CRÈME BOWL,12,2009-12-01 07:45:00,6.95,13085.0,France",
            "489434,85049,SMØRREBRØD PLATE,2,2009-12-01 07:45:00,3.95,13085.0,Denmark",
        ],
        encoding="latin-1",
    )
    result = build(path, select=INGESTION)
    assert_report_balances(result, data_lines=2)
    assert result.query(f"select description from {PARSED} order by source_line_number") == [
        ("CAFÉ CRÈME BOWL",),
        ("SMØRREBRØD PLATE",),
    ]


def test_utf8_descriptions_are_decoded(build, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "utf8.csv",
        [HEADER, "489434,85048,CAFÉ CRÈME BOWL ø,12,2009-12-01 07:45:00,6.95,13085.0,France"],
    )
    result = build(path, select=INGESTION)
    assert_report_balances(result, data_lines=1)
    assert result.scalar(f"select description from {PARSED}") == ("CAFÉ CRÈME BOWL ø")


def test_semicolon_old_header_and_crlf_are_accepted(build, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "old_layout.csv",
        [
            "InvoiceNo;StockCode;Description;Quantity;InvoiceDate;UnitPrice;CustomerID;Country",
            "536365;85123A;WHITE HANGING HEART T-LIGHT HOLDER;6;12/1/2010 8:26;2,55;17850;United Kingdom",
            "536365;71053;WHITE METAL LANTERN;6;12/1/2010 8:26;3.39;17850;United Kingdom",
        ],
        newline="\r\n",
    )
    result = build(path, select=INGESTION)
    assert_report_balances(result, data_lines=2)
    assert result.query(
        "select invoice_id, stock_code, unit_price, customer_id, country"
        f" from {ACCEPTED} order by source_line_number"
    ) == [
        ("536365", "85123A", Decimal("2.55"), "17850", "United Kingdom"),
        ("536365", "71053", Decimal("3.39"), "17850", "United Kingdom"),
    ]


def test_na_or_empty_customer_id_is_rejected(build, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "customers.csv",
        [
            HEADER,
            GOOD_LINES[0],
            "489437,22633,HAND WARMER,6,2009-12-01 09:06:00,1.85,NA,United Kingdom",
            "489438,22633,HAND WARMER,6,2009-12-01 09:06:00,1.85,,United Kingdom",
        ],
    )
    result = build(path, LENIENT, select=INGESTION)
    assert_report_balances(result, data_lines=3)
    assert rejections(result) == {3: "missing_customer_id", 4: "missing_customer_id"}
    assert result.scalar(f"select customer_id from {ACCEPTED}") == "13085"


def test_every_date_format_parses_to_the_right_timestamp(build, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "dates.csv",
        [
            HEADER,
            "536365,85123A,X,6,12/1/2010 8:26,2.55,17850,United Kingdom",
            "536366,85123A,X,6,2/20/11 11:39,2.55,17850,United Kingdom",
            "536367,85123A,X,6,2009-12-01 07:45:00,2.55,17850,United Kingdom",
        ],
    )
    result = build(path, select=INGESTION)
    assert_report_balances(result, data_lines=3)
    assert result.query(
        f"select invoiced_at, invoice_date from {ACCEPTED} order by source_line_number"
    ) == [
        (datetime(2010, 12, 1, 8, 26), datetime(2010, 12, 1).date()),
        (datetime(2011, 2, 20, 11, 39), datetime(2011, 2, 20).date()),
        (datetime(2009, 12, 1, 7, 45), datetime(2009, 12, 1).date()),
    ]


def test_broken_lines_are_rejected_with_their_line_number(build, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "broken.csv",
        [
            HEADER,
            GOOD_LINES[0],
            "489440,22633,HAND WARMER,6,2009-12-01 09:06:00,1.85,13078.0,United Kingdom,EXTRA",
            "489441,22633,HAND WARMER,6,2009-12-01 09:06:00,1.85",
            '489442,22633,"HAND WARMER,6,2009-12-01 09:06:00,1.85,13078.0,United Kingdom',
            GOOD_LINES[1],
            "489443,22633,HAND WARMER,6,31/31/2009 09:06,1.85,13078.0,United Kingdom",
            "489444,22633,HAND WARMER,six,2009-12-01 09:06:00,1.85,13078.0,United Kingdom",
            "489445,22633,HAND WARMER,6,2009-12-01 09:06:00,1.8x5,13078.0,United Kingdom",
            GOOD_LINES[2],
        ],
    )
    result = build(path, LENIENT, select=INGESTION)
    assert_report_balances(result, data_lines=9)
    assert rejections(result) == {
        3: "malformed_line",
        4: "malformed_line",
        5: "malformed_line",
        7: "unparseable_date",
        8: "unparseable_number",
        9: "unparseable_number",
    }
    # The unclosed quote on line 5 does not swallow line 6.
    assert result.query(f"select source_line_number from {ACCEPTED} order by 1") == [
        (2,),
        (6,),
        (10,),
    ]
    raw = result.scalar(
        "select raw_line from marts.rejected_transactions where source_line_number = 5"
    )
    assert raw.startswith('489442,22633,"HAND WARMER')


def test_exact_duplicates_keep_the_first(build, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "duplicates.csv",
        [HEADER, GOOD_LINES[0], GOOD_LINES[1], GOOD_LINES[0], GOOD_LINES[0]],
    )
    result = build(path, select=INGESTION)
    assert_report_balances(result, data_lines=4)
    assert rejections(result) == {4: "duplicate_line", 5: "duplicate_line"}
    assert result.scalar("select rejected_duplicate_line from marts.data_quality_report") == 2


def test_bad_prices_and_zero_quantity_are_rejected(build, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "prices.csv",
        [
            HEADER,
            GOOD_LINES[0],
            "489446,22633,HAND WARMER,6,2009-12-01 09:06:00,0.00,13078.0,United Kingdom",
            "489447,22633,HAND WARMER,6,2009-12-01 09:06:00,-1.85,13078.0,United Kingdom",
            "489448,22633,HAND WARMER,0,2009-12-01 09:06:00,1.85,13078.0,United Kingdom",
            GOOD_LINES[1],
        ],
    )
    result = build(path, LENIENT, select=INGESTION)
    assert_report_balances(result, data_lines=5)
    assert rejections(result) == {
        3: "non_positive_price",
        4: "non_positive_price",
        5: "zero_quantity",
    }


def test_rejected_share_above_the_ceiling_stops_the_build(build, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "mostly_bad.csv",
        [
            HEADER,
            GOOD_LINES[0],
            "489437,22633,HAND WARMER,6,2009-12-01 09:06:00,1.85,,United Kingdom",
            "489438,22633,HAND WARMER,6,2009-12-01 09:06:00,1.85,,United Kingdom",
            "489439,22633,HAND WARMER,6,2009-12-01 09:06:00,1.85,,United Kingdom",
        ],
    )
    result = build(path, {"max_rejected_share": 0.6})
    assert result.returncode != 0
    bad = [f"{path} line {number}, missing_customer_id (no customer id)" for number in (3, 4, 5)]
    assert (
        "Rejected share 0.75 (3 of 4 lines) exceeds max_rejected_share 0.6."
        " Most rejected: missing_customer_id (3). First rejected lines:"
        f' {bad[0]}: "489437,22633,HAND WARMER,6,2009-12-01 09:06:00,1.85,,United Kingdom";'
        f' {bad[1]}: "489438,22633,HAND WARMER,6,2009-12-01 09:06:00,1.85,,United Kingdom";'
        f' {bad[2]}: "489439,22633,HAND WARMER,6,2009-12-01 09:06:00,1.85,,United Kingdom".'
        " Fix the input, or raise the var max_rejected_share. Every rejected line is in"
        " marts.rejected_transactions, the counts by reason in marts.data_quality_report."
    ) in result.output
    # The report and the rejected lines are still built, so the reasons can be
    # read; no customer mart is built from such an input.
    assert result.scalar("select lines_rejected from marts.data_quality_report") == 3
    assert result.scalar("select count(*) from marts.rejected_transactions") == 3
    assert (
        result.query(
            "select table_name from information_schema.tables where table_name = 'customer_features'"
        )
        == []
    )


def test_a_glob_reads_every_file_with_its_own_line_numbers(build, tmp_path: Path) -> None:
    write_lines(tmp_path / "monthly" / "2009-12.csv", [HEADER, GOOD_LINES[0], GOOD_LINES[1]])
    write_lines(
        tmp_path / "monthly" / "2010-01.csv",
        [
            "Country;Customer ID;Price;InvoiceDate;Quantity;Description;StockCode;Invoice;Extra",
            "United Kingdom;13085.0;2.55;2010-01-04 10:00:00;12;CAT BOWL;22350;489500;x",
            "United Kingdom;;2.55;2010-01-04 10:00:00;12;CAT BOWL;22350;489501;x",
        ],
    )
    result = build(tmp_path / "monthly" / "*.csv", select=INGESTION)
    assert_report_balances(result, data_lines=4)
    assert result.scalar("select input_files from marts.data_quality_report") == 2
    assert result.query(
        f"select source_file, source_line_number, invoice_id from {ACCEPTED} order by 1, 2"
    ) == [
        (str(tmp_path / "monthly" / "2009-12.csv"), 2, "489434"),
        (str(tmp_path / "monthly" / "2009-12.csv"), 3, "489434"),
        (str(tmp_path / "monthly" / "2010-01.csv"), 2, "489500"),
    ]
    assert result.query(
        "select source_file, source_line_number, rejection_reason from marts.rejected_transactions"
    ) == [(str(tmp_path / "monthly" / "2010-01.csv"), 3, "missing_customer_id")]


def test_parquet_input_maps_columns_by_name(build, tmp_path: Path) -> None:
    path = tmp_path / "export.parquet"
    with duckdb.connect() as connection:
        connection.execute(
            f"""
            copy (
                select * from (values
                    ('489434', '85048', 'XMAS BALL', 12, timestamp '2009-12-01 07:45:00',
                     6.95, 13085.0, 'United Kingdom'),
                    ('C489435', '85048', 'XMAS BALL', -2, timestamp '2009-12-03 10:00:00',
                     6.95, 13085.0, 'United Kingdom'),
                    ('489436', '22350', 'CAT BOWL', 3, timestamp '2009-12-04 10:00:00',
                     2.55, null, 'France')
                ) as t("Invoice", "StockCode", "Description", "Quantity", "InvoiceDate",
                       "Price", "Customer ID", "Country")
            ) to '{path}' (format parquet)
            """
        )
    result = build(path, select=INGESTION)
    assert_report_balances(result, data_lines=3)
    assert result.query(
        "select source_line_number, invoice_id, customer_id, quantity, transaction_type"
        f" from {ACCEPTED} order by 1"
    ) == [(1, "489434", "13085", 12, "sale"), (2, "C489435", "13085", -2, "return")]
    assert rejections(result) == {3: "missing_customer_id"}


def test_relative_paths_are_read_from_the_project_root(tmp_path: Path) -> None:
    """dbt started in another folder with --project-dir still finds relative paths from the root."""
    csv = write_lines(tmp_path / "input" / "export.csv", [HEADER, GOOD_LINES[0]])
    database = tmp_path / "anchored" / "warehouse.duckdb"
    database.parent.mkdir()
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    completed = subprocess.run(
        [
            str(DBT),
            "build",
            "--exclude-resource-type",
            "unit_test",
            "--select",
            INGESTION,
            "--indirect-selection",
            "buildable",
            "--project-dir",
            str(PROJECT_ROOT),
            "--profiles-dir",
            str(PROJECT_ROOT),
        ],
        cwd=elsewhere,
        env={
            **os.environ,
            "CUSTOMER_LIFECYCLE_DB": os.path.relpath(database, PROJECT_ROOT),
            "CUSTOMER_LIFECYCLE_INGESTION_DB": os.path.relpath(
                database.with_name("ingestion.duckdb"), PROJECT_ROOT
            ),
            "CUSTOMER_LIFECYCLE_TRANSACTIONS": os.path.relpath(csv, PROJECT_ROOT),
            "DBT_TARGET_PATH": str(tmp_path / "target"),
            "DBT_LOG_PATH": str(tmp_path / "logs"),
        },
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    with duckdb.connect(str(database), read_only=True) as connection:
        assert connection.execute(
            "select lines_read from marts.data_quality_report"
        ).fetchall() == [(1,)]
    assert list(elsewhere.iterdir()) == []
