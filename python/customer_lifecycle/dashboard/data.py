"""Every query the dashboard runs, and nothing else.

- Read-only and short-lived: each query opens the warehouse with
  `duckdb.connect(path, read_only=True)`, reads, and closes it at once, so a build can publish
  a new file (an atomic rename) at any moment and no lock is held between queries.
- Parameterised: every value a user chooses (filters, a customer ID, a snapshot) is bound with
  `?`. The only text put into SQL is this module's own constants (column names, fragments) and
  the measure columns the mart itself lists.
- Cached per warehouse version: results are cached with `st.cache_data` under the file's
  inode, size and modification time, so a newly published warehouse shows up on the next rerun
  and an old one is never mixed with it.
- Read from schema `marts` only, the marts the exposure `marketing_dashboard` lists
  (models/marts/_marts__exposures.yml). Every number is a filtered `sum()` of a mart's additive
  measures (segment_metrics, risk_score_distribution, rule_backtest, action_plan), or a mart's
  own rows; a ratio is the division of two such sums, in Python (`_ratio`). No other aggregate,
  expression or metric formula is written here: python/tests/test_dashboard_sql.py scans
  this module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from customer_lifecycle.dashboard import exposure
from customer_lifecycle.dashboard.labels import Labels
from customer_lifecycle.paths import warehouse_path

BUILD_COMMAND = "make build"
CACHE_TTL_SECONDS = 600
REJECTED_SAMPLE_SIZE = 50

# The additive measures of segment_metrics the pages sum (the risk signals' points are found
# in the mart itself: every column ending in SIGNAL_POINTS).
CUSTOMER_MEASURES = ("customers", "net_revenue")
SIGNAL_POINTS = "_points_total"
PLAN_MEASURES = (
    "customers",
    "action_cost",
    "expected_benefit",
    "net_benefit",
    "net_benefit_low",
    "net_benefit_high",
)


class WarehouseError(Exception):
    """The warehouse exists but cannot be read (locked, corrupt, or not the expected marts)."""


# The marts the dashboard reads, as its dbt exposure lists them: without one, not ready.
MARTS_READ = exposure.marts_read()


@dataclass(frozen=True)
class Warehouse:
    """A published warehouse file and the version of it a run reads."""

    path: str
    version: tuple[int, int, int]  # inode, size, mtime in ns: a publish changes them


@dataclass(frozen=True)
class WarehouseStatus:
    path: Path
    warehouse: Warehouse | None
    missing_marts: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return self.warehouse is not None and not self.missing_marts


@dataclass(frozen=True)
class Selection:
    """What the sidebar filters select: a snapshot and customer attributes (empty = all)."""

    snapshot: dt.date | None
    current_as_of: dt.date | None
    countries: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    value_segments: tuple[str, ...] = ()
    risk_levels: tuple[str, ...] = ()

    @property
    def is_current(self) -> bool:
        """True when the selected snapshot is the one the current build's marts describe."""
        return self.snapshot is None or self.snapshot == self.current_as_of

    @property
    def has_customer_filters(self) -> bool:
        return bool(self.countries or self.stages or self.value_segments or self.risk_levels)

    def current(self) -> Selection:
        """The same customer filters on the current build's snapshot."""
        return dataclasses.replace(self, snapshot=self.current_as_of)


# -- connection and cache ---------------------------------------------------------------------


def warehouse_status() -> WarehouseStatus:
    """Where the warehouse is, which version, and which marts it lacks."""
    path = warehouse_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return WarehouseStatus(path, None, MARTS_READ)
    warehouse = Warehouse(str(path), (stat.st_ino, stat.st_size, stat.st_mtime_ns))
    tables = _query(
        warehouse,
        "select table_name from information_schema.tables where table_schema = ?",
        ["marts"],
    )
    present = set(tables["table_name"])
    return WarehouseStatus(path, warehouse, tuple(m for m in MARTS_READ if m not in present))


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=512, show_spinner=False)
def _cached_query(
    path: str, version: tuple[int, int, int], sql: str, params: tuple[Any, ...]
) -> pd.DataFrame:
    # `version` is only part of the cache key: a newly published file is a new key.
    del version
    try:
        connection = duckdb.connect(path, read_only=True)
    except duckdb.Error as error:
        raise WarehouseError(
            f"Cannot open the warehouse {path} read-only: {error}. If a build is writing it "
            f"right now, wait for it to finish; otherwise run `{BUILD_COMMAND}` again."
        ) from error
    try:
        return connection.execute(sql, list(params)).df()
    except duckdb.Error as error:
        raise WarehouseError(
            f"The warehouse {path} does not answer as expected ({error}). It may come from an "
            f"older version of the project: run `{BUILD_COMMAND}` to rebuild it."
        ) from error
    finally:
        connection.close()


def _query(warehouse: Warehouse, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    return _cached_query(warehouse.path, warehouse.version, sql, tuple(params))


def _in(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    return f"{column} in ({', '.join('?' for _ in values)})", list(values)


def _customer_filter(selection: Selection) -> tuple[str, list[Any]]:
    """`where` conditions for the customer filters (always true when none is set)."""
    conditions: list[str] = ["true"]
    params: list[Any] = []
    for column, values in (
        ("country", selection.countries),
        ("lifecycle_stage", selection.stages),
        ("value_segment", selection.value_segments),
        ("risk_level", selection.risk_levels),
    ):
        if values:
            condition, values_params = _in(column, values)
            conditions.append(condition)
            params += values_params
    return " and ".join(conditions), params


def _sums(
    warehouse: Warehouse,
    mart: str,
    measures: Sequence[str],
    selection: Selection,
    by: Sequence[str] = (),
    where: str = "true",
) -> pd.DataFrame:
    """sum() of `measures` over the mart's rows of the selected snapshot and filters, by `by`.

    `mart` has the customer filter columns and as_of_date (segment_metrics,
    risk_score_distribution); `where` is one more condition, a constant of this module.
    """
    condition, params = _customer_filter(selection)
    columns = [*by, *(f"sum({measure}) as {measure}" for measure in measures)]
    grouping = f" group by {', '.join(by)}" if by else ""
    return _query(
        warehouse,
        f"select {', '.join(columns)} from marts.{mart}"
        f" where as_of_date = ? and {where} and {condition}{grouping}",
        [selection.snapshot, *params],
    )


def _ratio(numerator: Any, denominator: Any) -> Any:
    """numerator / denominator, None (or NaN in a column) where the denominator is 0 or none."""
    if isinstance(denominator, pd.Series):
        return numerator.astype(float) / denominator.astype(float).where(denominator != 0)
    if numerator is None or denominator is None or pd.isna(denominator) or denominator == 0:
        return None
    return float(numerator) / float(denominator)


def _scalar_row(frame: pd.DataFrame) -> dict[str, Any]:
    return {key: _plain(value) for key, value in frame.iloc[0].items()} if len(frame) else {}


def _plain(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def _as_date(value: Any) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _columns(warehouse: Warehouse, mart: str) -> list[str]:
    """The columns of a mart, in order."""
    frame = _query(
        warehouse,
        "select column_name from information_schema.columns"
        " where table_schema = ? and table_name = ? order by ordinal_position",
        ["marts", mart],
    )
    return [str(name) for name in frame["column_name"]]


# -- labels -----------------------------------------------------------------------------------


def display_labels(warehouse: Warehouse) -> Labels:
    """Every label, order and colour, and the currency symbol: marts.display_labels."""
    frame = _query(
        warehouse,
        "select label_set, code, display_order, display_label, colour, description"
        " from marts.display_labels",
    )
    return Labels.from_rows(frame.to_dict("records"))


# -- sidebar ---------------------------------------------------------------------------------


def current_as_of(warehouse: Warehouse) -> dt.date | None:
    """The as-of date of the current build (segment_metrics' is_current rows)."""
    frame = _query(
        warehouse, "select distinct as_of_date from marts.segment_metrics where is_current"
    )
    return _as_date(frame["as_of_date"].iloc[0]) if len(frame) else None


def snapshot_dates(warehouse: Warehouse) -> list[dt.date]:
    """Every snapshot date of the build, newest first: the dates of segment_metrics.

    It covers every snapshot of customer_snapshot_history, the build's own as-of date
    included, so this is the current date alone when the build computed no history
    (`snapshot_frequency: none`).
    """
    frame = _query(
        warehouse,
        "select distinct as_of_date from marts.segment_metrics order by as_of_date desc",
    )
    return [date for date in (_as_date(value) for value in frame["as_of_date"]) if date]


def has_history(warehouse: Warehouse) -> bool:
    """True when the build computed snapshots before its own as-of date."""
    return len(snapshot_dates(warehouse)) > 1


def filter_options(warehouse: Warehouse) -> dict[str, list[str]]:
    """Distinct countries, stages, value segments and risk levels over every snapshot."""
    options: dict[str, list[str]] = {}
    for column in ("country", "lifecycle_stage", "value_segment", "risk_level"):
        frame = _query(
            warehouse,
            f"select distinct {column} as option from marts.segment_metrics"
            f" where {column} is not null order by option",
        )
        options[column] = [str(value) for value in frame["option"]]
    return options


# -- overview ---------------------------------------------------------------------------------


def customer_totals(warehouse: Warehouse, selection: Selection) -> dict[str, Any]:
    """Customers and net revenue of the selected snapshot and filters."""
    return _scalar_row(_sums(warehouse, "segment_metrics", CUSTOMER_MEASURES, selection))


def revenue_at_risk(warehouse: Warehouse, selection: Selection) -> dict[str, Any]:
    """Revenue at risk and the customers at risk (none on earlier snapshots)."""
    return _scalar_row(
        _sums(warehouse, "segment_metrics", ("revenue_at_risk", "customers_at_risk"), selection)
    )


def planned_contacts(warehouse: Warehouse, selection: Selection) -> dict[str, Any]:
    """Customers in the plan (within budget) of the current build, their cost and benefit."""
    row = _scalar_row(
        _sums(
            warehouse,
            "segment_metrics",
            ("customers", "action_cost", "expected_benefit", "net_benefit"),
            selection.current(),
            where="is_in_budget",
        )
    )
    return row | {"roi": _ratio(row.get("net_benefit"), row.get("action_cost"))}


def stage_value_grid(warehouse: Warehouse, selection: Selection) -> pd.DataFrame:
    """Customers and net revenue per lifecycle stage x value segment."""
    return _sums(
        warehouse,
        "segment_metrics",
        CUSTOMER_MEASURES,
        selection,
        by=("lifecycle_stage", "value_segment"),
    )


def risk_level_counts(warehouse: Warehouse, selection: Selection) -> pd.DataFrame:
    """Customers and net revenue per risk level."""
    return _sums(warehouse, "segment_metrics", CUSTOMER_MEASURES, selection, by=("risk_level",))


# -- segments ---------------------------------------------------------------------------------


def rfm_segments(warehouse: Warehouse, selection: Selection) -> pd.DataFrame:
    """Customers, net revenue and share of the customers shown per RFM segment, largest first."""
    frame = _sums(warehouse, "segment_metrics", CUSTOMER_MEASURES, selection, by=("rfm_segment",))
    total = customer_totals(warehouse, selection).get("customers")
    frame["share"] = _ratio(frame["customers"], pd.Series(total, index=frame.index))
    return frame.sort_values(["customers", "rfm_segment"], ascending=[False, True])


def migration_pairs(warehouse: Warehouse) -> list[tuple[dt.date, dt.date]]:
    """The consecutive snapshot pairs segment_migration holds, latest first."""
    frame = _query(
        warehouse,
        "select distinct from_as_of_date, to_as_of_date from marts.segment_migration"
        " order by to_as_of_date desc, from_as_of_date desc",
    )
    pairs = []
    for start, end in zip(frame["from_as_of_date"], frame["to_as_of_date"], strict=True):
        start_date, end_date = _as_date(start), _as_date(end)
        if start_date and end_date:
            pairs.append((start_date, end_date))
    return pairs


def migration(warehouse: Warehouse, start: dt.date, end: dt.date) -> pd.DataFrame:
    return _query(
        warehouse,
        "select from_stage, to_stage, customers, net_revenue, net_revenue_change"
        " from marts.segment_migration where from_as_of_date = ? and to_as_of_date = ?"
        " order by from_stage, to_stage",
        [start, end],
    )


def cohort_retention(warehouse: Warehouse) -> pd.DataFrame:
    """The rows of cohort_retention (the current build's only)."""
    return _query(
        warehouse,
        "select as_of_date, acquisition_month, months_since_acquisition, activity_month,"
        " cohort_customers, active_customers, active_share, net_revenue"
        " from marts.cohort_retention order by acquisition_month, months_since_acquisition",
    )


# -- risk -------------------------------------------------------------------------------------


def risk_score_bins(warehouse: Warehouse, selection: Selection) -> pd.DataFrame:
    """Customers per risk-score bin and risk level (risk_score_distribution)."""
    return _sums(
        warehouse,
        "risk_score_distribution",
        ("customers",),
        selection,
        by=("risk_score_bin_start", "risk_score_bin_end", "risk_level"),
    ).sort_values(["risk_score_bin_start", "risk_level"])


def driver_counts(warehouse: Warehouse, selection: Selection) -> pd.DataFrame:
    """Customers by top risk driver (`none` when no signal gives points)."""
    return _sums(warehouse, "segment_metrics", ("customers",), selection, by=("top_risk_driver",))


def signal_points(warehouse: Warehouse, selection: Selection) -> pd.DataFrame:
    """Average points of each signal per risk level: `<signal>_points` = total / customers.

    The signals are the mart's `<signal>_points_total` columns.
    """
    columns = _columns(warehouse, "segment_metrics")
    totals = [column for column in columns if column.endswith(SIGNAL_POINTS)]
    frame = _sums(
        warehouse, "segment_metrics", ("customers", *totals), selection, by=("risk_level",)
    )
    for column in totals:
        frame[column.removesuffix("_total")] = _ratio(frame[column], frame["customers"])
    return frame.drop(columns=totals)


def riskiest_customers(warehouse: Warehouse, selection: Selection, limit: int) -> pd.DataFrame:
    """The current build's customers with the highest risk scores (customer_360 rows)."""
    condition, params = _customer_filter(selection)
    return _query(
        warehouse,
        "select customer_id, country, lifecycle_stage, value_segment, risk_level, risk_score,"
        " top_risk_driver, value_at_stake, action_code"
        f" from marts.customer_360 where {condition}"
        " order by risk_score desc, value_at_stake desc, customer_id limit ?",
        [*params, limit],
    )


def backtest_pooled(warehouse: Warehouse, dimension: str) -> pd.DataFrame:
    """rule_backtest pooled over its snapshots: customers, repurchasers and revenue summed.

    repurchase_share and net_revenue_per_customer are the pooled sums divided by the customers.
    """
    frame = _query(
        warehouse,
        "select segment, sum(customers) as customers,"
        " sum(repurchasing_customers) as repurchasing_customers,"
        " sum(horizon_net_revenue) as horizon_net_revenue"
        " from marts.rule_backtest where dimension = ? group by segment",
        [dimension],
    )
    frame["repurchase_share"] = _ratio(frame["repurchasing_customers"], frame["customers"])
    frame["net_revenue_per_customer"] = _ratio(frame["horizon_net_revenue"], frame["customers"])
    return frame


def backtest_snapshots(warehouse: Warehouse) -> pd.DataFrame:
    """The snapshots rule_backtest followed, and the horizon it followed them for."""
    return _query(
        warehouse,
        "select distinct snapshot_date, horizon_days from marts.rule_backtest"
        " order by snapshot_date",
    )


def backtest_per_snapshot(warehouse: Warehouse, dimension: str) -> pd.DataFrame:
    return _query(
        warehouse,
        "select snapshot_date, segment, customers, repurchasing_customers, repurchase_share,"
        " net_revenue_per_customer from marts.rule_backtest where dimension = ?"
        " order by snapshot_date, segment",
        [dimension],
    )


# -- actions ----------------------------------------------------------------------------------


def action_plan(warehouse: Warehouse, selection: Selection) -> pd.DataFrame:
    """The current build's plan per action for the filtered customers (segment_metrics).

    Totals over every customer an action was chosen for, the part in the plan (is_in_budget),
    ROI = net benefit / cost with its band (low and high net benefit / cost), and the channel
    from action_plan.
    """
    current = selection.current()
    plan = _sums(warehouse, "segment_metrics", PLAN_MEASURES, current, by=("action_code",))
    in_budget = _sums(
        warehouse,
        "segment_metrics",
        ("customers", "action_cost", "expected_benefit"),
        current,
        by=("action_code",),
        where="is_in_budget",
    ).rename(
        columns={
            "customers": "customers_in_budget",
            "action_cost": "cost_in_budget",
            "expected_benefit": "expected_benefit_in_budget",
        }
    )
    channels = _query(warehouse, "select action_code, channel from marts.action_plan")
    plan = plan.merge(in_budget, on="action_code", how="left").merge(
        channels, on="action_code", how="left"
    )
    # An action with nobody in the plan has no in-budget row: none of its customers is in it.
    budget_columns = ["customers_in_budget", "cost_in_budget", "expected_benefit_in_budget"]
    plan[budget_columns] = plan[budget_columns].astype(float).fillna(0)
    for roi, net_benefit in (
        ("roi", "net_benefit"),
        ("roi_low", "net_benefit_low"),
        ("roi_high", "net_benefit_high"),
    ):
        plan[roi] = _ratio(plan[net_benefit], plan["action_cost"])
    return plan.sort_values(["net_benefit", "action_code"], ascending=[False, True])


def campaign_budget(warehouse: Warehouse) -> dict[str, Any]:
    """The campaign budget (none when unset) and the cost of the whole plan, within it and not."""
    budget = _query(warehouse, "select distinct campaign_budget from marts.action_plan")
    costs = _query(
        warehouse,
        "select sum(cost_in_budget) as cost_in_budget, sum(total_cost) as total_cost"
        " from marts.action_plan",
    )
    budgets = [_plain(value) for value in budget["campaign_budget"]]
    return _scalar_row(costs) | {"campaign_budget": budgets[0] if budgets else None}


CONTACT_COLUMNS = (
    "customer_id",
    "country",
    "lifecycle_stage",
    "value_segment",
    "rfm_segment",
    "risk_level",
    "risk_score",
    "action_code",
    "action_name",
    "channel",
    "unit_cost",
    "value_at_stake",
    "expected_benefit",
    "net_benefit",
    "roi",
    "roi_low",
    "roi_high",
    "explanation",
)


def contact_list(warehouse: Warehouse, selection: Selection) -> pd.DataFrame:
    """customer_360 rows in the plan (is_in_budget, which no contactless action is), filtered."""
    condition, params = _customer_filter(selection)
    return _query(
        warehouse,
        f"select {', '.join(CONTACT_COLUMNS)} from marts.customer_360"
        f" where is_in_budget and {condition}"
        " order by net_benefit desc, customer_id",
        params,
    )


# -- customer lookup --------------------------------------------------------------------------


def customer_card(warehouse: Warehouse, customer_id: str) -> dict[str, Any] | None:
    """The customer's customer_360 row, or None."""
    frame = _query(
        warehouse, "select * from marts.customer_360 where customer_id = ?", [customer_id]
    )
    return _scalar_row(frame) or None


def customer_risk(warehouse: Warehouse, customer_id: str) -> dict[str, Any] | None:
    frame = _query(
        warehouse, "select * from marts.customer_risk where customer_id = ?", [customer_id]
    )
    return _scalar_row(frame) or None


def customer_history(warehouse: Warehouse, customer_id: str) -> pd.DataFrame:
    return _query(
        warehouse,
        "select as_of_date, lifecycle_stage, value_segment, rfm_segment, risk_level, risk_score,"
        " recency_days, orders, net_revenue, net_revenue_last_365d"
        " from marts.customer_snapshot_history where customer_id = ? order by as_of_date",
        [customer_id],
    )


def example_customer_ids(warehouse: Warehouse, selection: Selection, limit: int) -> list[str]:
    """A few customer IDs to try: the filtered customers with the most value at stake."""
    condition, params = _customer_filter(selection)
    frame = _query(
        warehouse,
        f"select customer_id from marts.customer_360 where {condition}"
        " order by value_at_stake desc, customer_id limit ?",
        [*params, limit],
    )
    return [str(value) for value in frame["customer_id"]]


# -- data quality -----------------------------------------------------------------------------


def quality_report(warehouse: Warehouse) -> pd.DataFrame:
    return _query(warehouse, "select * from marts.data_quality_report order by transactions_path")


def rejection_reasons(warehouse: Warehouse) -> list[str]:
    frame = _query(
        warehouse,
        "select distinct rejection_reason from marts.rejected_transactions"
        " where rejection_reason is not null order by 1",
    )
    return [str(value) for value in frame["rejection_reason"]]


def rejected_sample(
    warehouse: Warehouse, reason: str | None, limit: int = REJECTED_SAMPLE_SIZE
) -> pd.DataFrame:
    """The first rejected lines by file and line number, of one reason or of all."""
    return _query(
        warehouse,
        "select source_file, source_line_number, rejection_reason, rejection_detail,"
        " invoice_id, customer_id, raw_line from marts.rejected_transactions"
        " where (? is null or rejection_reason = ?)"
        " order by source_file, source_line_number limit ?",
        [reason, reason, limit],
    )


def display_path(path: str | os.PathLike[str]) -> str:
    """A path for messages: relative to the working directory when it is below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
