"""Segments: RFM segments, how customers moved between stages, and cohort retention."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from customer_lifecycle.dashboard import charts, data, filters, ui
from customer_lifecycle.dashboard.labels import Labels

PAIR_KEY = "segments_migration_pair"


def _rfm(warehouse: data.Warehouse, selection: data.Selection, labels: Labels) -> None:
    st.subheader("RFM segments")
    examples = ", ".join(labels.label("rfm_segment", code) for code in labels.order("rfm_segment"))
    st.caption(
        "Customers grouped by their recency, frequency and monetary scores into named segments "
        f"({examples}). Tile size is the number of customers."
    )
    segments = data.rfm_segments(warehouse, selection)
    if segments.empty:
        ui.nothing_matches(selection, labels)
        return
    left, right = st.columns([3, 2])
    with left:
        ui.chart(charts.rfm_treemap(segments, labels), key="segments_treemap")
    with right:
        table = segments.assign(
            rfm_segment=[labels.label("rfm_segment", code) for code in segments["rfm_segment"]]
        )
        st.dataframe(
            table[["rfm_segment", "customers", "share", "net_revenue"]],
            hide_index=True,
            column_config={
                "rfm_segment": st.column_config.TextColumn("Segment"),
                "customers": st.column_config.NumberColumn("Customers", format="localized"),
                "share": st.column_config.NumberColumn("Share", format="percent"),
                "net_revenue": st.column_config.NumberColumn(
                    f"Net revenue ({labels.currency})", format="localized"
                ),
            },
        )


def _pair_label(pair: tuple[dt.date, dt.date]) -> str:
    return f"{pair[0]:%Y-%m-%d} → {pair[1]:%Y-%m-%d}"


def _migration(warehouse: data.Warehouse, selection: data.Selection, labels: Labels) -> None:
    st.subheader("Stage migration between snapshots")
    st.caption(
        "How customers moved between lifecycle stages from one snapshot of the build to the "
        "next. New customers enter from the stage before their first purchase; every customer "
        "of a snapshot is in the next one. This mart counts all customers, so the customer "
        "filters do not apply."
    )
    pairs = data.migration_pairs(warehouse)
    if not pairs:
        ui.history_off("There is no pair of snapshots to compare.")
        return
    if PAIR_KEY in st.session_state and st.session_state[PAIR_KEY] not in pairs:
        del st.session_state[PAIR_KEY]
    ending_at_snapshot = [
        index for index, pair in enumerate(pairs) if pair[1] == selection.snapshot
    ]
    pair = st.selectbox(
        "Snapshot pair (before → after)",
        pairs,
        index=ending_at_snapshot[0] if ending_at_snapshot else 0,
        format_func=_pair_label,
        key=PAIR_KEY,
        help="Consecutive snapshot dates of the build, as in customer_snapshot_history.",
    )
    moves = data.migration(warehouse, pair[0], pair[1])
    if moves.empty:
        st.info("No customers moved between these snapshots.")
        return
    flow, matrix = st.tabs(["Flow", "Matrix"])
    with flow:
        ui.chart(charts.migration_sankey(moves, labels), key="segments_sankey")
    with matrix:
        ui.chart(charts.migration_matrix(moves, labels), key="segments_matrix")


def _cohorts(warehouse: data.Warehouse, selection: data.Selection) -> None:
    st.subheader("Cohort retention")
    st.caption(
        "Customers grouped by the month of their first purchase (rows, with cohort size); each "
        "cell is the share of the cohort that bought in a later month. Built for the current "
        "build over all customers, so the customer filters do not apply."
    )
    ui.current_build_only(selection, "Cohort retention figures")
    cohorts = data.cohort_retention(warehouse)
    if cohorts.empty:
        st.info("The cohort retention mart is empty in this build.")
        return
    ui.chart(charts.cohort_heatmap(cohorts), key="segments_cohorts")


def render() -> None:
    warehouse, selection, labels = filters.current()
    ui.page_header(
        "Segments",
        f"Snapshot {ui.snapshot_caption(selection)} · {filters.describe(selection, labels)}.",
    )
    _rfm(warehouse, selection, labels)
    st.divider()
    _migration(warehouse, selection, labels)
    st.divider()
    _cohorts(warehouse, selection)


render()
