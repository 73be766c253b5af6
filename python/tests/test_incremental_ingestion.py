"""Incremental ingestion: a build parses only the files its landing cache does not hold yet.

Each test builds a folder of monthly files, changes the folder, and builds again into the same
warehouse and ingestion database, as `make build` does with no setting at all. The marts must
then equal those of one build of the final folder from scratch. Which files a build parsed is
read off DuckDB's profile of the query dbt compiled for the landing cache (target/compiled).
"""

from __future__ import annotations

import json
import os
import subprocess
from decimal import Decimal
from pathlib import Path

import duckdb
from conftest import (
    HEADER,
    PROJECT_ROOT,
    BuildResult,
    assert_report_balances,
    run_dbt_build,
    write_lines,
)

# One as-of date for every build, so that whichever files a build reads, its marts, history
# included, describe the same day as those of the build it is compared with.
AS_OF = {"as_of_date": "2010-04-01"}

JANUARY = [
    HEADER,
    "489434,85048,CHRISTMAS GLASS BALL,12,2010-01-04 07:45:00,6.95,13085.0,United Kingdom",
    "489434,79323P,PINK CHERRY LIGHTS,12,2010-01-04 07:45:00,6.75,13085.0,United Kingdom",
    "489435,22350,CAT BOWL,12,2010-01-05 07:46:00,2.55,13078.0,United Kingdom",
]
FEBRUARY = [
    HEADER,
    "489500,22633,HAND WARMER UNION JACK,6,2010-02-01 09:06:00,1.85,13078.0,United Kingdom",
    "489501,22633,HAND WARMER UNION JACK,6,2010-02-02 09:06:00,1.85,,United Kingdom",
]
# Line 2 repeats a January line word for word: a duplicate of a line in another file.
MARCH = [
    HEADER,
    JANUARY[3],
    "489600,22350,CAT BOWL,24,2010-03-01 10:00:00,2.55,13085.0,United Kingdom",
    "C489601,22350,CAT BOWL,-2,2010-03-02 10:00:00,2.55,13085.0,United Kingdom",
]

MARTS = [
    "action_plan",
    "cohort_retention",
    "customer_360",
    "customer_actions",
    "customer_explanations",
    "customer_features",
    "customer_risk",
    "customer_segments",
    "customer_snapshot_history",
    "data_quality_report",
    "rejected_transactions",
    "rule_backtest",
    "score_breakpoints",
    "segment_migration",
    "segment_summary",
]

# Under the build's target folder (BuildResult.target).
CACHE_SQL = Path(
    "compiled", "customer_lifecycle", "models", "validation", "int_transaction_lines_validated.sql"
)


def _build(workdir: Path, months: Path, dbt_vars: dict[str, object]) -> BuildResult:
    workdir.mkdir(exist_ok=True)
    return run_dbt_build(workdir, months / "*.csv", dbt_vars)


def _rows(result: BuildResult, mart: str) -> list[tuple[object, ...]]:
    # file_key names the file and its settings, not the build: equal builds give equal keys.
    return result.query(f"select * from marts.{mart} order by all")


def _parsed_files(result: BuildResult, tmp_path: Path) -> set[str]:
    """The files the last build parsed into the landing cache.

    Runs the SQL dbt compiled for the cache model again, with DuckDB's profiler on, and
    collects the files its CSV readers opened: the files the query names, and nothing else if
    DuckDB dropped the other files' branches, as the design relies on.
    """
    assert result.returncode == 0, result.output
    profile = tmp_path / "cache_query_profile.json"
    with duckdb.connect() as connection:
        connection.execute(f"attach '{result.db}' as customer_lifecycle (read_only)")
        connection.execute(f"attach '{result.ingestion_db}' as ingestion (read_only)")
        connection.execute(f"set enable_profiling = 'json'; set profiling_output = '{profile}'")
        connection.execute((result.target / CACHE_SQL).read_text()).fetchall()
    read: set[str] = set()
    nodes = json.loads(profile.read_text())["operator"]
    while nodes:
        node = nodes.pop()
        nodes += node.get("children", [])
        if node.get("extra_info", {}).get("Function") == "READ_CSV":
            read.add(node["extra_info"]["Filename(s)"])
    return read


def _assert_same_marts(built_twice: BuildResult, built_once: BuildResult) -> None:
    for mart in MARTS:
        assert _rows(built_twice, mart) == _rows(built_once, mart), mart


def test_a_new_month_is_the_only_file_parsed_and_the_marts_match_a_full_build(
    tmp_path: Path,
) -> None:
    months = tmp_path / "months"
    write_lines(months / "2010-01.csv", JANUARY)
    write_lines(months / "2010-02.csv", FEBRUARY)
    first = _build(tmp_path / "warehouse", months, AS_OF)
    assert_report_balances(first, data_lines=5)
    assert _parsed_files(first, tmp_path) == {
        str(months / "2010-01.csv"),
        str(months / "2010-02.csv"),
    }

    march = write_lines(months / "2010-03.csv", MARCH)
    second = _build(tmp_path / "warehouse", months, AS_OF)
    assert_report_balances(second, data_lines=8)
    assert _parsed_files(second, tmp_path) == {str(march)}
    assert second.query(
        "select source_file, source_line_number, rejection_reason, rejection_detail"
        " from marts.rejected_transactions order by all"
    ) == [
        (str(months / "2010-02.csv"), 3, "missing_customer_id", "no customer id"),
        (str(march), 2, "duplicate_line", f"same text as line 4 of {months / '2010-01.csv'}"),
    ]
    # The text of a line repeated from another file is read back from its file.
    assert (
        second.scalar(
            "select raw_line from marts.rejected_transactions where rejection_reason = 'duplicate_line'"
        )
        == (JANUARY[3])
    )
    assert second.scalar("select input_files from marts.data_quality_report") == 3

    once = _build(tmp_path / "once", months, AS_OF)
    assert_report_balances(once, data_lines=8)
    _assert_same_marts(second, once)

    # Nothing new: nothing is parsed, and nothing changes.
    third = _build(tmp_path / "warehouse", months, AS_OF)
    assert _parsed_files(third, tmp_path) == set()
    _assert_same_marts(third, once)


def test_a_changed_or_removed_file_gives_the_marts_of_a_fresh_build(tmp_path: Path) -> None:
    months = tmp_path / "months"
    january = write_lines(months / "2010-01.csv", JANUARY)
    write_lines(months / "2010-02.csv", FEBRUARY)
    march = write_lines(months / "2010-03.csv", MARCH)
    first = _build(tmp_path / "warehouse", months, AS_OF)
    assert_report_balances(first, data_lines=8)
    assert (str(march), 2, "duplicate_line") in first.query(
        "select source_file, source_line_number, rejection_reason from marts.rejected_transactions"
    )

    # January loses the line that March repeats. Only January is parsed again: each file's
    # lines depend on that file alone, and March's line 2 is now the first of its text.
    write_lines(january, JANUARY[:3])
    second = _build(tmp_path / "warehouse", months, AS_OF)
    assert_report_balances(second, data_lines=7)
    assert _parsed_files(second, tmp_path) == {str(january)}
    assert second.query(
        "select source_file, source_line_number, rejection_reason from marts.rejected_transactions"
    ) == [(str(months / "2010-02.csv"), 3, "missing_customer_id")]
    _assert_same_marts(second, _build(tmp_path / "changed", months, AS_OF))

    # A file taken out of the input takes its rows with it; nothing is parsed.
    (months / "2010-02.csv").unlink()
    third = _build(tmp_path / "warehouse", months, AS_OF)
    assert_report_balances(third, data_lines=5)
    assert _parsed_files(third, tmp_path) == set()
    assert third.scalar("select count(*) from marts.rejected_transactions") == 0
    _assert_same_marts(third, _build(tmp_path / "removed", months, AS_OF))


def test_a_file_with_the_same_path_size_and_time_is_not_read_again(tmp_path: Path) -> None:
    """The cache key is the file's path, size and modification time; a touch renews it.

    The time is kept to the millisecond, the precision of Spark's listing, so the touch moves
    it by one.
    """
    months = tmp_path / "months"
    january = write_lines(months / "2010-01.csv", JANUARY)
    first = _build(tmp_path / "warehouse", months, AS_OF)
    january_sales = 12 * Decimal("6.95") + 12 * Decimal("6.75")
    assert first.scalar("select sum(gross_revenue) from marts.customer_features") == (
        january_sales + 12 * Decimal("2.55")
    )

    # The same number of bytes, another price, and the old modification time put back.
    stat = january.stat()
    write_lines(january, [*JANUARY[:3], JANUARY[3].replace(",2.55,", ",9.55,")])
    os.utime(january, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    cached = _build(tmp_path / "warehouse", months, AS_OF)
    assert _parsed_files(cached, tmp_path) == set()
    assert cached.scalar("select sum(gross_revenue) from marts.customer_features") == (
        january_sales + 12 * Decimal("2.55")
    )

    os.utime(january, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    renewed = _build(tmp_path / "warehouse", months, AS_OF)
    assert _parsed_files(renewed, tmp_path) == {str(january)}
    assert renewed.scalar("select sum(gross_revenue) from marts.customer_features") == (
        january_sales + 12 * Decimal("9.55")
    )


def test_a_changed_parsing_setting_parses_every_file_again(tmp_path: Path) -> None:
    months = tmp_path / "months"
    write_lines(months / "2010-01.csv", JANUARY)
    write_lines(months / "2010-02.csv", [*FEBRUARY[:2], FEBRUARY[2].replace(",,", ",NA,")])
    first = _build(tmp_path / "warehouse", months, AS_OF)
    assert first.returncode == 0, first.output
    assert first.query("select rejection_reason from marts.rejected_transactions") == [
        ("missing_customer_id",)
    ]

    # With no null tokens, NA is a customer ID: every file is read again under the new rule.
    second = _build(tmp_path / "warehouse", months, {**AS_OF, "null_tokens": []})
    assert_report_balances(second, data_lines=5)
    assert _parsed_files(second, tmp_path) == {
        str(months / "2010-01.csv"),
        str(months / "2010-02.csv"),
    }
    assert second.scalar("select count(*) from marts.rejected_transactions") == 0


def test_make_clean_drops_the_cache(tmp_path: Path) -> None:
    months = tmp_path / "months"
    write_lines(months / "2010-01.csv", JANUARY)
    built = _build(tmp_path / "warehouse", months, AS_OF)
    assert built.returncode == 0, built.output
    assert built.ingestion_db.exists()
    subprocess.run(
        ["make", "clean"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "CUSTOMER_LIFECYCLE_INGESTION_DB": str(built.ingestion_db)},
        check=True,
        capture_output=True,
        stdin=subprocess.DEVNULL,
    )
    assert not built.ingestion_db.exists()
    assert built.db.exists()
    again = _build(tmp_path / "warehouse", months, AS_OF)
    assert _parsed_files(again, tmp_path) == {str(months / "2010-01.csv")}
