"""The whole build on a generated Online Retail II file: balances, BTYD, determinism, history.

One generated file (60,000 lines, a few hundred customers) is built once per
module; each test then reads the warehouse or builds again beside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
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
    result = run_dbt_build(
        tmp_path_factory.mktemp("build"), generated_csv, {"csv_range_min_bytes": 100_000}
    )
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
        " or (action_code <> 'no_action' and not contains(explanation, action_name))"
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
        " count(*) filter (where action_code <> 'no_action')"
        " from marts.customer_actions"
    )[0]
    assert 0 < spent <= budget
    assert 0 < contacted < with_action
    # Whoever is left out brings less net benefit than everyone taken.
    worst_in, best_out = result.query(
        "select min(net_benefit) filter (where is_in_budget),"
        " max(net_benefit) filter (where not is_in_budget and action_code <> 'no_action')"
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
