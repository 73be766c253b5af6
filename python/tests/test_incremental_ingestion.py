"""Incremental ingestion: with staging kept in a file, a build parses only the files it has not.

Each test builds a folder of monthly files, changes the folder, and builds again into the same
warehouse and staging file, as an analytics engineer would with CUSTOMER_LIFECYCLE_STAGING_DB
set. The marts must then equal those of one build of the final folder from scratch.
"""

from __future__ import annotations

from pathlib import Path

from conftest import HEADER, BuildResult, assert_report_balances, run_dbt_build, write_lines

# One as-of date for every build, so that the snapshot history of a warehouse built twice holds
# the same single snapshot as one built once.
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
# Line 2 repeats a January line word for word: a duplicate, though January was parsed by an
# earlier build whose text is no longer kept.
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


def _build(workdir: Path, months: Path, dbt_vars: dict[str, object]) -> BuildResult:
    workdir.mkdir(exist_ok=True)
    return run_dbt_build(workdir, months / "*.csv", dbt_vars)


def _rows(result: BuildResult, mart: str) -> list[tuple[object, ...]]:
    return result.query(f"select * from marts.{mart} order by all")


def _parsed_files(result: BuildResult) -> set[str]:
    """The files whose lines the last build read."""
    return {
        row[0]
        for row in result.query(
            "select distinct source_file from scratch.staging.stg_retail__raw_lines"
        )
    }


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
    assert _parsed_files(first) == {str(months / "2010-01.csv"), str(months / "2010-02.csv")}

    march = write_lines(months / "2010-03.csv", MARCH)
    second = _build(tmp_path / "warehouse", months, AS_OF)
    assert_report_balances(second, data_lines=8)
    assert _parsed_files(second) == {str(march)}
    assert second.query(
        "select source_file, source_line_number, rejection_reason from marts.rejected_transactions"
        " order by all"
    ) == [
        (str(months / "2010-02.csv"), 3, "missing_customer_id"),
        (str(march), 2, "duplicate_line"),
    ]
    assert second.scalar("select input_files from marts.data_quality_report") == 3

    once = _build(tmp_path / "once", months, AS_OF)
    assert_report_balances(once, data_lines=8)
    _assert_same_marts(second, once)

    # Nothing new: nothing is read, and nothing changes.
    third = _build(tmp_path / "warehouse", months, AS_OF)
    assert third.returncode == 0, third.output
    assert _parsed_files(third) == set()
    _assert_same_marts(third, once)


def test_a_changed_earlier_file_renews_every_later_one(tmp_path: Path) -> None:
    months = tmp_path / "months"
    write_lines(months / "2010-01.csv", JANUARY)
    write_lines(months / "2010-02.csv", FEBRUARY)
    march = write_lines(months / "2010-03.csv", MARCH)
    first = _build(tmp_path / "warehouse", months, AS_OF)
    assert_report_balances(first, data_lines=8)
    assert (str(march), 2, "duplicate_line") in first.query(
        "select source_file, source_line_number, rejection_reason from marts.rejected_transactions"
    )

    # January loses the line that March repeats. February is unchanged, but it comes after
    # January, so it is parsed again along with March, whose line 2 is now the first of its text.
    write_lines(months / "2010-01.csv", JANUARY[:3])
    second = _build(tmp_path / "warehouse", months, AS_OF)
    assert_report_balances(second, data_lines=7)
    assert _parsed_files(second) == {
        str(months / "2010-01.csv"),
        str(months / "2010-02.csv"),
        str(march),
    }
    assert second.query(
        "select source_file, source_line_number, rejection_reason from marts.rejected_transactions"
    ) == [(str(months / "2010-02.csv"), 3, "missing_customer_id")]

    # A file taken out of the input takes its rows with it.
    (months / "2010-02.csv").unlink()
    third = _build(tmp_path / "warehouse", months, AS_OF)
    assert_report_balances(third, data_lines=5)
    assert third.scalar("select count(*) from marts.rejected_transactions") == 0
    assert (
        third.scalar(
            "select count(*) from scratch.staging.stg_retail__source_files"
            f" where source_file = '{months / '2010-02.csv'}'"
        )
        == 0
    )

    once = _build(tmp_path / "once", months, AS_OF)
    _assert_same_marts(third, once)


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
    assert _parsed_files(second) == {str(months / "2010-01.csv"), str(months / "2010-02.csv")}
    assert second.scalar("select count(*) from marts.rejected_transactions") == 0
