"""Every query the dashboard runs, and nothing else.

- Read-only and short-lived: each query opens the warehouse with
  `duckdb.connect(path, read_only=True)`, reads, and closes it at once, so a build can publish
  a new file (an atomic rename) at any moment and no lock is held between queries.
- Parameterised: every value a user chooses (filters, a customer ID, a snapshot) is bound with
  `?`. The only text put into SQL is this module's own constants (column names, fragments).
- Cached per warehouse version: results are cached with `st.cache_data` under the file's
  inode, size and modification time, so a newly published warehouse shows up on the next rerun
  and an old one is never mixed with it.
- Read from schema `marts` only, and only filtered, sorted or summed: every number comes from
  a mart column. Where a mart is already aggregated (segment_summary, action_plan,
  segment_migration, cohort_retention, rule_backtest, data_quality_report) the customer filters
  cannot apply, and the pages say so.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from customer_lifecycle.paths import warehouse_path

BUILD_COMMAND = "make build"
CACHE_TTL_SECONDS = 600
RISK_SCORE_BIN_WIDTH = 5
REJECTED_SAMPLE_SIZE = 50

# The marts the dashboard reads. A warehouse without one of them is not ready.
MARTS_READ = (
    "customer_360",
    "customer_segments",
    "customer_risk",
    "segment_summary",
    "action_plan",
    "cohort_retention",
    "customer_snapshot_history",
    "segment_migration",
    "rule_backtest",
    "data_quality_report",
    "rejected_transactions",
)

# segment_summary.revenue_at_risk is the value at stake of the customers flagged is_at_risk.
# The Overview reads that column; only when a country or risk-level filter is on, which
# segment_summary cannot break down, does it sum value_at_stake over customer_360.is_at_risk,
# the same flag, instead.
SIGNALS = ("recency", "overdue", "frequency_decline", "monetary_decline", "returns")


class WarehouseError(Exception):
    """The warehouse exists but cannot be read (locked, corrupt, or not the expected marts)."""


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

    @property
    def splits_cells(self) -> bool:
        """True when a filter cuts across segment_summary's stage x value cells."""
        return bool(self.countries or self.risk_levels)


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


def _customer_filter(
    selection: Selection, *, cell_filters: bool = True, other_filters: bool = True
) -> tuple[str, list[Any]]:
    """`where` conditions for the customer filters (always true when none is set)."""
    conditions: list[str] = ["true"]
    params: list[Any] = []
    chosen: list[tuple[str, tuple[str, ...]]] = []
    if cell_filters:
        chosen += [
            ("lifecycle_stage", selection.stages),
            ("value_segment", selection.value_segments),
        ]
    if other_filters:
        chosen += [("country", selection.countries), ("risk_level", selection.risk_levels)]
    for column, values in chosen:
        if values:
            condition, values_params = _in(column, values)
            conditions.append(condition)
            params += values_params
    return " and ".join(conditions), params


def _customers(selection: Selection) -> tuple[str, list[Any]]:
    """The selected snapshot's customers, filtered: a subquery and its parameters.

    The current build's snapshot reads customer_360; an earlier one reads its rows of
    customer_snapshot_history, which has the same stage, value, RFM and risk columns.
    """
    condition, params = _customer_filter(selection)
    if selection.is_current:
        return f"(select * from marts.customer_360 where {condition})", params
    return (
        f"(select * from marts.customer_snapshot_history where as_of_date = ? and {condition})",
        [selection.snapshot, *params],
    )


def _current_customer_ids(selection: Selection) -> tuple[str, list[Any]]:
    condition, params = _customer_filter(selection)
    return f"(select customer_id from marts.customer_360 where {condition})", params


def _scalar_row(frame: pd.DataFrame) -> dict[str, Any]:
    return {key: _plain(value) for key, value in frame.iloc[0].items()} if len(frame) else {}


def _plain(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def _as_date(value: Any) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


# -- sidebar ----------------------------------------------------------------------------------


def current_as_of(warehouse: Warehouse) -> dt.date | None:
    """The as-of date of the current build's customer marts."""
    frame = _query(warehouse, "select max(as_of_date) as as_of_date from marts.customer_360")
    return _as_date(frame["as_of_date"].iloc[0])


def snapshot_dates(warehouse: Warehouse) -> list[dt.date]:
    """Every snapshot date of the build, newest first: the dates of customer_snapshot_history.

    The history holds the build's own as-of date too (its rows are the current marts'), so
    this is the current date alone when the build computed no history
    (`snapshot_frequency: none`).
    """
    frame = _query(
        warehouse,
        "select distinct as_of_date from marts.customer_snapshot_history order by as_of_date desc",
    )
    return [date for date in (_as_date(value) for value in frame["as_of_date"]) if date]


def has_history(warehouse: Warehouse) -> bool:
    """True when the build computed snapshots before its own as-of date."""
    return len(snapshot_dates(warehouse)) > 1


def filter_options(warehouse: Warehouse) -> dict[str, list[str]]:
    """Distinct countries, stages, value segments and risk levels over every snapshot.

    customer_snapshot_history holds the current build's customers too, so its values are
    those of customer_360 and of every earlier snapshot.
    """
    options: dict[str, list[str]] = {}
    for column in ("country", "lifecycle_stage", "value_segment", "risk_level"):
        frame = _query(
            warehouse,
            f"select distinct {column} as option from marts.customer_snapshot_history"
            f" where {column} is not null order by 1",
        )
        options[column] = [str(value) for value in frame["option"]]
    return options


# -- overview ---------------------------------------------------------------------------------


def customer_totals(warehouse: Warehouse, selection: Selection) -> dict[str, Any]:
    source, params = _customers(selection)
    frame = _query(
        warehouse,
        f"select count(*) as customers, coalesce(sum(net_revenue), 0) as net_revenue from {source}",
        params,
    )
    return _scalar_row(frame)


def revenue_at_risk(warehouse: Warehouse, selection: Selection) -> dict[str, Any]:
    """Revenue at risk of the current build: segment_summary, or customer_360 when split."""
    if not selection.splits_cells:
        condition, params = _customer_filter(selection, other_filters=False)
        frame = _query(
            warehouse,
            "select coalesce(sum(revenue_at_risk), 0) as revenue_at_risk,"
            " coalesce(sum(customers_at_risk), 0) as customers_at_risk"
            f" from marts.segment_summary where {condition}",
            params,
        )
        return _scalar_row(frame) | {"source": "segment_summary"}
    condition, params = _customer_filter(selection)
    frame = _query(
        warehouse,
        "select coalesce(sum(value_at_stake), 0) as revenue_at_risk,"
        " count(*) as customers_at_risk"
        f" from marts.customer_360 where {condition} and is_at_risk",
        params,
    )
    return _scalar_row(frame) | {"source": "customer_360"}


def planned_contacts(warehouse: Warehouse, selection: Selection) -> dict[str, Any]:
    """Customers in the plan (within budget) of the current build, and their cost and benefit."""
    condition, params = _customer_filter(selection)
    frame = _query(
        warehouse,
        "select count(*) as contacts, coalesce(sum(unit_cost), 0) as planned_spend,"
        " coalesce(sum(expected_benefit), 0) as expected_benefit,"
        " coalesce(sum(net_benefit), 0) as net_benefit"
        " from marts.customer_360"
        f" where is_in_budget and action_code <> ? and {condition}",
        ["no_action", *params],
    )
    return _scalar_row(frame)


def stage_value_grid(warehouse: Warehouse, selection: Selection) -> pd.DataFrame:
    """Customers and net revenue per lifecycle stage x value segment.

    segment_summary for the current build; summed from customer rows when a filter splits its
    cells (country, risk level) or for an earlier snapshot.
    """
    if selection.is_current and not selection.splits_cells:
        condition, params = _customer_filter(selection, other_filters=False)
        return _query(
            warehouse,
            "select lifecycle_stage, value_segment, customers, net_revenue"
            f" from marts.segment_summary where {condition} and customers > 0",
            params,
        )
    source, params = _customers(selection)
    return _query(
        warehouse,
        "select lifecycle_stage, value_segment, count(*) as customers,"
        f" sum(net_revenue) as net_revenue from {source} group by all",
        params,
    )


def risk_level_counts(warehouse: Warehouse, selection: Selection) -> pd.DataFrame:
    source, params = _customers(selection)
    return _query(
        warehouse,
        "select risk_level, count(*) as customers, sum(net_revenue) as net_revenue"
        f" from {source} group by all",
        params,
    )


# -- segments ---------------------------------------------------------------------------------


def rfm_segments(warehouse: Warehouse, selection: Selection) -> pd.DataFrame:
    """Customers and net revenue per named RFM segment (customer_segments, or the history)."""
    if selection.is_current:
        ids, params = _current_customer_ids(selection)
        source = f"(select * from marts.customer_segments where customer_id in {ids})"
    else:
        source, params = _customers(selection)
    return _query(
        warehouse,
        "select rfm_segment, count(*) as customers, sum(net_revenue) as net_revenue"
        f" from {source} group by all order by customers desc, rfm_segment",
        params,
    )


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
    return _query(
        warehouse,
        "select as_of_date, acquisition_month, months_since_acquisition, activity_month,"
        " cohort_customers, active_customers, active_share, net_revenue"
        " from marts.cohort_retention"
        " where as_of_date = (select max(as_of_date) from marts.cohort_retention)"
        " order by acquisition_month, months_since_acquisition",
    )


# -- risk -------------------------------------------------------------------------------------


def risk_score_bins(warehouse: Warehouse, selection: Selection) -> pd.DataFrame:
    """Customers per risk-score bin (RISK_SCORE_BIN_WIDTH points wide) and risk level."""
    source, params = _customers(selection)
    return _query(
        warehouse,
        "select least(floor(risk_score / ?) * ?, 100 - ?) as bin_start, risk_level,"
        f" count(*) as customers from {source} where risk_score is not null"
        " group by all order by bin_start",
        [RISK_SCORE_BIN_WIDTH, RISK_SCORE_BIN_WIDTH, RISK_SCORE_BIN_WIDTH, *params],
    )


def driver_counts(warehouse: Warehouse, selection: Selection) -> pd.DataFrame:
    """Customers of the current build by top risk driver (`none` when no signal has points)."""
    condition, params = _customer_filter(selection)
    return _query(
        warehouse,
        "select coalesce(top_risk_driver, 'none') as driver, count(*) as customers"
        f" from marts.customer_360 where {condition} group by all",
        params,
    )


def signal_points(warehouse: Warehouse, selection: Selection) -> pd.DataFrame:
    """Average points of each signal per risk level (customer_risk, current build)."""
    ids, params = _current_customer_ids(selection)
    averages = ", ".join(f"avg({signal}_points) as {signal}_points" for signal in SIGNALS)
    return _query(
        warehouse,
        f"select risk_level, count(*) as customers, {averages}"
        f" from marts.customer_risk where customer_id in {ids} group by all",
        params,
    )


def riskiest_customers(warehouse: Warehouse, selection: Selection, limit: int) -> pd.DataFrame:
    condition, params = _customer_filter(selection)
    return _query(
        warehouse,
        "select customer_id, country, lifecycle_stage, value_segment, risk_level, risk_score,"
        " top_risk_driver, value_at_stake, action_name"
        f" from marts.customer_360 where {condition}"
        " order by risk_score desc, value_at_stake desc, customer_id limit ?",
        [*params, limit],
    )


def backtest_pooled(warehouse: Warehouse, dimension: str) -> pd.DataFrame:
    """rule_backtest pooled over its snapshots: summed customers and repurchasers."""
    return _query(
        warehouse,
        "select segment, count(distinct snapshot_date) as snapshots,"
        " sum(customers) as customers, sum(repurchasing_customers) as repurchasing_customers,"
        " sum(repurchasing_customers) / nullif(sum(customers), 0) as repurchase_share,"
        " sum(horizon_net_revenue) / nullif(sum(customers), 0) as net_revenue_per_customer,"
        " max(horizon_days) as horizon_days"
        " from marts.rule_backtest where dimension = ?"
        " and as_of_date = (select max(as_of_date) from marts.rule_backtest)"
        " group by segment",
        [dimension],
    )


def backtest_per_snapshot(warehouse: Warehouse, dimension: str) -> pd.DataFrame:
    return _query(
        warehouse,
        "select snapshot_date, segment, customers, repurchasing_customers, repurchase_share,"
        " net_revenue_per_customer from marts.rule_backtest where dimension = ?"
        " and as_of_date = (select max(as_of_date) from marts.rule_backtest)"
        " order by snapshot_date, segment",
        [dimension],
    )


# -- actions ----------------------------------------------------------------------------------


def action_plan(warehouse: Warehouse) -> pd.DataFrame:
    return _query(
        warehouse,
        "select action_code, action_name, channel, customers, total_cost,"
        " total_expected_benefit, total_net_benefit, roi, roi_low, roi_high,"
        " customers_in_budget, cost_in_budget, expected_benefit_in_budget, campaign_budget"
        " from marts.action_plan"
        " where as_of_date = (select max(as_of_date) from marts.action_plan)"
        " order by total_net_benefit desc, action_code",
    )


def filtered_plan(warehouse: Warehouse, selection: Selection) -> pd.DataFrame:
    """The plan per action for the filtered customers of the current build (customer_360)."""
    condition, params = _customer_filter(selection)
    return _query(
        warehouse,
        "select action_code, action_name, channel, count(*) as customers,"
        " count(*) filter (where is_in_budget) as customers_in_budget,"
        " coalesce(sum(unit_cost) filter (where is_in_budget), 0) as cost_in_budget,"
        " coalesce(sum(expected_benefit) filter (where is_in_budget), 0)"
        " as expected_benefit_in_budget"
        f" from marts.customer_360 where {condition} and action_code <> ?"
        " group by all order by expected_benefit_in_budget desc, action_code",
        [*params, "no_action"],
    )


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
    """customer_360 rows to contact: in budget, with an action, under the current filters."""
    condition, params = _customer_filter(selection)
    return _query(
        warehouse,
        f"select {', '.join(CONTACT_COLUMNS)} from marts.customer_360"
        f" where is_in_budget and action_code <> ? and {condition}"
        " order by net_benefit desc, customer_id",
        ["no_action", *params],
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
