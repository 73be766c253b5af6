"""Risk: how scores are spread, what drives them, and how well the levels held up."""

from __future__ import annotations

import streamlit as st

from customer_lifecycle.dashboard import charts, data, filters, ui
from customer_lifecycle.dashboard.labels import Labels

RISKIEST_ROWS = 25


def _distribution(warehouse: data.Warehouse, selection: data.Selection, labels: Labels) -> bool:
    st.subheader("Risk scores")
    st.caption(
        "How many customers have each risk score, coloured by risk level. The score adds up "
        "the points of its risk signals, 0 to 100 (below: which signal drives it)."
    )
    bins = data.risk_score_bins(warehouse, selection)
    if bins.empty:
        ui.nothing_matches(selection, labels)
        return False
    ui.chart(charts.risk_histogram(bins, labels), key="risk_histogram")
    return True


def _drivers(warehouse: data.Warehouse, selection: data.Selection, labels: Labels) -> None:
    st.subheader("What drives the risk")
    left, right = st.columns(2)
    with left:
        st.caption("Customers by the signal that adds the most points to their score.")
        drivers = data.driver_counts(warehouse, selection)
        if drivers.empty:
            ui.nothing_matches(selection, labels)
            return
        ui.chart(charts.driver_bars(drivers, labels), key="risk_drivers")
    with right:
        st.caption(
            "Average points each signal adds, per risk level: the stacked bar is the average "
            "score of that level."
        )
        points = data.signal_points(warehouse, selection)
        ui.chart(charts.signal_points_by_level(points, labels), key="risk_signal_points")
    with st.expander("Customers with the highest risk scores"):
        ui.current_build_only(selection, "The customers' risk rows")
        riskiest = data.riskiest_customers(warehouse, selection, RISKIEST_ROWS)
        st.dataframe(
            ui.with_labels(
                riskiest,
                labels,
                lifecycle_stage="lifecycle_stage",
                value_segment="value_segment",
                risk_level="risk_level",
                top_risk_driver="risk_signal",
                action_code="action",
            ),
            hide_index=True,
            column_config={
                "customer_id": st.column_config.TextColumn("Customer"),
                "country": st.column_config.TextColumn("Country"),
                "lifecycle_stage": st.column_config.TextColumn("Stage"),
                "value_segment": st.column_config.TextColumn("Value"),
                "risk_level": st.column_config.TextColumn("Risk level"),
                "risk_score": st.column_config.NumberColumn("Risk score", format="%.2f"),
                "top_risk_driver": st.column_config.TextColumn("Top risk driver"),
                "value_at_stake": st.column_config.NumberColumn(
                    f"Value at stake ({labels.currency})", format="localized"
                ),
                "action_code": st.column_config.TextColumn("Action"),
            },
        )
        st.caption("Look a customer up on the Customer lookup page for the full story.")


def _backtest(warehouse: data.Warehouse, labels: Labels) -> None:
    st.subheader("Backtest: did the risk levels separate buyers from leavers?")
    pooled = data.backtest_pooled(warehouse, "risk_level")
    if pooled.empty:
        if not data.has_history(warehouse):
            ui.history_off("There is no earlier snapshot to check.")
            return
        st.info(
            "No snapshot of this build is old enough to check: the backtest follows the "
            "snapshots at least its horizon (the var backtest_horizon_days, 90 by default) "
            "before the build's as-of date, and this input ends too soon after the first one.",
            icon=":material/history:",
        )
        return
    followed = data.backtest_snapshots(warehouse)
    horizon = ", ".join(str(days) for days in followed["horizon_days"].drop_duplicates())
    snapshots = len(followed["snapshot_date"].drop_duplicates())
    st.caption(
        f"For each of {snapshots} earlier snapshot(s) of this build, the customers of each "
        f"risk level were followed for {horizon} days: the share who bought again. Pooled over "
        "the snapshots (customers and repurchasers summed). If the levels work, critical buys "
        "again least. All customers of each snapshot, so the customer filters do not apply."
    )
    left, right = st.columns(2)
    with left:
        ui.chart(
            charts.backtest_bars(pooled, "risk_level", labels),
            key="risk_backtest_pooled",
        )
    with right:
        per_snapshot = data.backtest_per_snapshot(warehouse, "risk_level")
        ui.chart(
            charts.backtest_lines(per_snapshot, "risk_level", labels),
            key="risk_backtest_snapshots",
        )
    stages = data.backtest_pooled(warehouse, "lifecycle_stage")
    if not stages.empty:
        with st.expander("The same check by lifecycle stage"):
            ui.chart(
                charts.backtest_bars(stages, "lifecycle_stage", labels),
                key="risk_backtest_stages",
            )


def render() -> None:
    warehouse, selection, labels = filters.current()
    ui.page_header(
        "Risk",
        f"Snapshot {ui.snapshot_caption(selection)} · {filters.describe(selection, labels)}.",
    )
    if not _distribution(warehouse, selection, labels):
        return
    st.divider()
    _drivers(warehouse, selection, labels)
    st.divider()
    _backtest(warehouse, labels)


render()
