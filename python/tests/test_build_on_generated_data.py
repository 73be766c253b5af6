"""The whole build on a generated Online Retail II file: balances, BTYD, determinism, history.

One generated file (60,000 lines, a few hundred customers) is built once per
module; each test then reads the warehouse or builds again beside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import ACCEPTED, BuildResult, assert_report_balances, dbt_env, run_dbt_build
from lifetimes.utils import summary_data_from_transaction_data

from customer_lifecycle.dbt import run_dbt
from customer_lifecycle.generate import generate
from customer_lifecycle.paths import PROJECT_ROOT

LINES = 60_000
SEED = 7
# The vars of the module's build: a past-date build passes the same, and its own as_of_date.
BUILD_VARS = {"csv_range_min_bytes": 100_000}

MARTS = [
    "customer_features",
    "customer_risk",
    "customer_actions",
    "customer_explanations",
    "customer_360",
    "action_plan",
    "segment_summary",
    "rule_backtest",
    "customer_segments",
    "score_breakpoints",
    "customer_snapshot_history",
    "segment_migration",
    "cohort_retention",
    "data_quality_report",
    "rejected_transactions",
]


@pytest.fixture(scope="module")
def generated_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "online_retail_ii.csv"
    generate(LINES, SEED, path, progress=False)
    return path


@pytest.fixture(scope="module")
def built(generated_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    # Ranges of 100 kB make the reader cut this 5 MB file into as many ranges as DuckDB has
    # threads, as it cuts any file of more than 32 MB: every test below checks lines read so.
    result = run_dbt_build(tmp_path_factory.mktemp("build"), generated_csv, BUILD_VARS)
    assert result.returncode == 0, result.output
    return result


def test_every_line_of_the_file_is_accounted_for(built: BuildResult, generated_csv: Path) -> None:
    with generated_csv.open("rb") as handle:
        data_lines = sum(1 for _ in handle) - 1
    assert_report_balances(built, data_lines)
    # The generator writes every kind of bad line; none may pass.
    reasons = dict(
        built.query("select rejection_reason, count(*) from marts.rejected_transactions group by 1")
    )
    assert {"missing_customer_id", "duplicate_line", "malformed_line"} <= reasons.keys()


def test_default_as_of_date_is_the_day_after_the_last_transaction(built: BuildResult) -> None:
    last_invoiced_at = built.scalar("select last_invoiced_at from marts.data_quality_report")
    as_of_dates = built.query("select distinct as_of_date from marts.customer_features")
    assert as_of_dates == [(last_invoiced_at.date().fromordinal(last_invoiced_at.toordinal() + 1),)]


def test_btyd_columns_equal_lifetimes_for_every_customer(built: BuildResult) -> None:
    as_of_date = built.scalar("select max(as_of_date) from marts.customer_features")
    sales = pd.DataFrame(
        built.query(
            "select customer_id, invoiced_at, cast(line_amount as double) as line_amount"
            f" from {ACCEPTED}"
            " where transaction_type = 'sale' and invoice_date < ?",
            [as_of_date],
        ),
        columns=["customer_id", "invoiced_at", "line_amount"],
    )
    expected = summary_data_from_transaction_data(
        sales,
        "customer_id",
        "invoiced_at",
        monetary_value_col="line_amount",
        freq="D",
        observation_period_end=pd.Timestamp(as_of_date) - pd.Timedelta(days=1),
    )
    actual = pd.DataFrame(
        built.query(
            "select customer_id, btyd_frequency, btyd_recency, btyd_t,"
            " cast(btyd_monetary_value as double) from marts.customer_features"
        ),
        columns=["customer_id", "frequency", "recency", "T", "monetary_value"],
    ).set_index("customer_id")
    assert len(expected) > 200
    assert sorted(actual.index) == sorted(expected.index)
    joined = expected.join(actual.add_suffix("_dbt"))
    for column in ["frequency", "recency", "T"]:
        mismatched = joined[joined[column] != joined[f"{column}_dbt"]]
        assert mismatched.empty, mismatched[[column, f"{column}_dbt"]].head()
    # The mart keeps four decimals; lifetimes sums floats.
    gap = (joined["monetary_value"] - joined["monetary_value_dbt"]).abs()
    assert gap.max() < 0.0001, joined[gap >= 0.0001].head()


@pytest.fixture(scope="module")
def two_builds_at_one_date(
    generated_csv: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[BuildResult, BuildResult]]:
    as_of = {"as_of_date": "2011-06-01"}
    first = run_dbt_build(tmp_path_factory.mktemp("first"), generated_csv, as_of)
    second = run_dbt_build(tmp_path_factory.mktemp("second"), generated_csv, as_of)
    assert first.returncode == 0, first.output
    assert second.returncode == 0, second.output
    yield first, second


@pytest.mark.parametrize("mart", MARTS)
def test_same_input_and_date_give_the_same_mart(
    two_builds_at_one_date: tuple[BuildResult, BuildResult], mart: str
) -> None:
    first, second = two_builds_at_one_date
    # Sorting on every column makes the comparison independent of storage order.
    rows_first = first.query(f"select * from marts.{mart} order by all")
    rows_second = second.query(f"select * from marts.{mart} order by all")
    # One snapshot has no pair to migrate between and is too recent to
    # backtest; every other mart has rows.
    assert rows_first or mart in {"segment_migration", "rule_backtest"}, f"marts.{mart} is empty"
    assert rows_first == rows_second


def test_as_of_date_excludes_later_transactions(
    two_builds_at_one_date: tuple[BuildResult, BuildResult],
) -> None:
    first, _ = two_builds_at_one_date
    [(as_of_date, last_purchase)] = first.query(
        "select as_of_date, max(last_purchase_date) from marts.customer_features group by 1"
    )
    assert as_of_date == date(2011, 6, 1)
    assert last_purchase < as_of_date


def test_every_customer_has_a_risk_score_an_action_and_an_explanation(built: BuildResult) -> None:
    customers = built.scalar("select count(*) from marts.customer_features")
    assert customers > 200
    for mart, column in [
        ("customer_risk", "risk_score"),
        ("customer_actions", "action_code"),
        ("customer_explanations", "explanation"),
        ("customer_360", "explanation"),
    ]:
        assert built.query(
            f"select count(*), count(distinct customer_id), count({column}) from marts.{mart}"
        ) == [(customers, customers, customers)], mart
    # The explanation quotes the customer and the chosen action.
    mismatched = built.query(
        "select customer_id from marts.customer_360"
        " where not starts_with(explanation, 'Customer ' || customer_id || ' ')"
        " or (customer_id in (select customer_id from marts.customer_actions where is_contact)"
        " and not contains(explanation, action_name))"
    )
    assert mismatched == []


def test_the_budget_plan_never_exceeds_the_budget(
    generated_csv: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    budget = 150
    result = run_dbt_build(
        tmp_path_factory.mktemp("budget"), generated_csv, {"campaign_budget": budget}
    )
    assert result.returncode == 0, result.output
    spent, contacted, with_action = result.query(
        "select coalesce(sum(unit_cost) filter (where is_in_budget), 0),"
        " count(*) filter (where is_in_budget),"
        " count(*) filter (where is_contact)"
        " from marts.customer_actions"
    )[0]
    assert 0 < spent <= budget
    assert 0 < contacted < with_action
    # Whoever is left out brings less net benefit than everyone taken.
    worst_in, best_out = result.query(
        "select min(net_benefit) filter (where is_in_budget),"
        " max(net_benefit) filter (where not is_in_budget and is_contact)"
        " from marts.customer_actions"
    )[0]
    assert worst_in >= best_out
    assert result.scalar("select sum(cost_in_budget) from marts.action_plan") == spent


def test_analyses_compile_and_run(built: BuildResult, generated_csv: Path) -> None:
    env = dbt_env(built.db.parent, generated_csv)
    run_dbt(["compile", "--select", "path:analyses"], env=env)
    compiled = sorted(
        (Path(env["DBT_TARGET_PATH"]) / "compiled" / "customer_lifecycle" / "analyses").glob(
            "*.sql"
        )
    )
    assert {path.stem for path in compiled} == {
        path.stem for path in (PROJECT_ROOT / "analyses").glob("*.sql")
    }
    for path in compiled:
        # Each runs, and each returns named columns; rows depend on the data.
        with duckdb.connect(str(built.db), read_only=True) as connection:
            cursor = connection.execute(path.read_text())
            assert cursor.description, path.name
            cursor.fetchall()


def test_line_numbers_point_at_the_lines_of_the_file(
    built: BuildResult, generated_csv: Path
) -> None:
    # Line numbers count each file's own lines in read order; numbers that did not follow the
    # file would still balance but point every rejection at the wrong line.
    with generated_csv.open(encoding="utf-8", newline="") as handle:
        file_lines = [line.rstrip("\r\n") for line in handle]
    rejected = built.query("select source_line_number, raw_line from marts.rejected_transactions")
    assert rejected
    assert all(file_lines[number - 1] == raw_line for number, raw_line in rejected)
    accepted = built.query(f"select source_line_number, invoice_id, stock_code from {ACCEPTED}")
    assert all(
        file_lines[number - 1].startswith(f"{invoice_id},{stock_code},")
        for number, invoice_id, stock_code in accepted
    )


# Each customer model, keyed by (as_of_date, customer_id), and the mart of its current rows.
CURRENT_MARTS = {
    "int_customers_featurized": "customer_features",
    "int_customers_segmented": "customer_segments",
    "int_customers_risk_scored": "customer_risk",
}


@pytest.fixture(scope="module")
def past_date_build(
    built: BuildResult, generated_csv: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[date, BuildResult]:
    """The same input and vars built into a new warehouse as of the history's third-latest date."""
    dates = built.query(
        "select distinct as_of_date from marts.customer_snapshot_history order by 1 desc"
    )
    # The latest is the build's own as-of date; the third-latest, a month start with another
    # month start after it.
    past = dates[2][0]
    result = run_dbt_build(
        tmp_path_factory.mktemp("past"), generated_csv, {**BUILD_VARS, "as_of_date": str(past)}
    )
    assert result.returncode == 0, result.output
    assert result.query("select distinct as_of_date from marts.customer_features") == [(past,)]
    return past, result


def both_warehouses(first: BuildResult, second: BuildResult) -> duckdb.DuckDBPyConnection:
    """One connection that reads the two warehouse files as the catalogs first and second."""
    connection = duckdb.connect()
    connection.execute(f"attach '{first.db}' as first (read_only)")
    connection.execute(f"attach '{second.db}' as second (read_only)")
    return connection


def column_types(connection: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    """Column name -> type of `catalog.schema.table`, in the table's order."""
    catalog, schema, table = relation.split(".")
    return dict(
        connection.execute(
            "select column_name, data_type from duckdb_columns()"
            " where database_name = ? and schema_name = ? and table_name = ?"
            " order by column_index",
            [catalog, schema, table],
        ).fetchall()
    )


def count_rows(connection: duckdb.DuckDBPyConnection, query: str) -> int:
    return connection.execute(f"select count(*) from ({query})").fetchone()[0]


def differences(connection: duckdb.DuckDBPyConnection, left: str, right: str) -> tuple[int, int]:
    """Rows of query `left` missing from query `right`, and the other way round (multisets)."""
    return (
        count_rows(connection, f"{left} except all {right}"),
        count_rows(connection, f"{right} except all {left}"),
    )


def test_history_rows_of_a_past_date_equal_a_build_as_of_that_date(
    built: BuildResult, past_date_build: tuple[date, BuildResult]
) -> None:
    past, rebuilt = past_date_build
    with both_warehouses(built, rebuilt) as connection:
        history = column_types(connection, "first.marts.customer_snapshot_history")
        assert history == column_types(connection, "second.marts.customer_snapshot_history")
        # In the rebuild, the past date is the build's own date: its current rows.
        first, second = (
            f"select {', '.join(history)} from {catalog}.marts.customer_snapshot_history"
            f" where as_of_date = '{past}'"
            for catalog in ("first", "second")
        )
        assert count_rows(connection, first) > 200
        assert count_rows(connection, second) == count_rows(connection, first)
        assert differences(connection, first, second) == (0, 0)


@pytest.mark.parametrize("model", CURRENT_MARTS)
def test_customer_models_at_a_past_date_equal_the_current_marts_of_a_build_then(
    built: BuildResult, past_date_build: tuple[date, BuildResult], model: str
) -> None:
    past, rebuilt = past_date_build
    mart = CURRENT_MARTS[model]
    with both_warehouses(built, rebuilt) as connection:
        model_columns = column_types(connection, f"first.intermediate.{model}")
        mart_columns = column_types(connection, f"second.marts.{mart}")
        # Every column of the model is compared, with the same type as in the mart, and every
        # column of the mart is some model's (customer_segments repeats four features).
        assert {name: mart_columns.get(name) for name in model_columns} == model_columns
        assert mart_columns.keys() <= set().union(
            *(column_types(connection, f"first.intermediate.{name}") for name in CURRENT_MARTS)
        )
        selected = ", ".join(model_columns)
        first = f"select {selected} from first.intermediate.{model} where as_of_date = '{past}'"
        second = f"select {selected} from second.marts.{mart}"
        assert count_rows(connection, first) > 200
        assert count_rows(connection, second) == count_rows(connection, first)
        assert differences(connection, first, second) == (0, 0)


def test_one_build_fills_the_history_marts(
    built: BuildResult, past_date_build: tuple[date, BuildResult]
) -> None:
    # Each warehouse is a single build into an empty folder: its history is its own.
    for result in (built, past_date_build[1]):
        for mart in ("segment_migration", "rule_backtest", "cohort_retention"):
            assert result.scalar(f"select count(*) from marts.{mart}") > 0, (result.db, mart)


def test_rule_backtest_follows_every_customer_of_each_old_enough_snapshot(
    built: BuildResult,
) -> None:
    horizon = 90  # backtest_horizon_days, the project's default: the build passes no other
    as_of_date = built.scalar("select max(as_of_date) from marts.customer_features")
    history = dict(
        built.query(
            "select as_of_date, count(*) from marts.customer_snapshot_history group by as_of_date"
        )
    )
    # Every snapshot whose horizon has passed by the as-of date, each customer once per
    # dimension: counted from the history, not from the backtest's own query.
    expected = {
        (snapshot, dimension): customers
        for snapshot, customers in history.items()
        if snapshot + timedelta(days=horizon) <= as_of_date
        for dimension in ("risk_level", "lifecycle_stage")
    }
    backtest = {
        (snapshot, dimension): customers
        for snapshot, dimension, customers in built.query(
            "select snapshot_date, dimension, sum(customers) from marts.rule_backtest"
            " group by snapshot_date, dimension"
        )
    }
    assert built.query("select distinct horizon_days from marts.rule_backtest") == [(horizon,)]
    assert len(expected) >= 4
    assert backtest == expected
