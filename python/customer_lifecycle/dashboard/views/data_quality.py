"""Data quality: how many input lines were read, accepted and rejected, and why."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from customer_lifecycle.dashboard import charts, data, filters, ui
from customer_lifecycle.dashboard.labels import Labels

REPORT_KEY = "quality_input"
REASON_KEY = "quality_reason"
ALL_REASONS = "All reasons"


# Report columns that share a prefix with the line counts but are not counts.
NOT_COUNTS = {"rejected_share"}


def _counts(report: dict[str, Any], prefix: str) -> pd.DataFrame:
    """The report's `<prefix><name>` line counts as rows of (name, lines), zeros left out."""
    rows = [
        {"name": column.removeprefix(prefix), "lines": int(value)}
        for column, value in report.items()
        if column.startswith(prefix) and column not in NOT_COUNTS and value
    ]
    return pd.DataFrame(rows, columns=["name", "lines"])


def _report(quality: pd.DataFrame) -> dict[str, Any]:
    paths = [str(path) for path in quality["transactions_path"]]
    chosen = paths[0]
    if len(paths) > 1:
        chosen = st.selectbox("Input", paths, key=REPORT_KEY)
    row = quality[quality["transactions_path"] == chosen].iloc[0]
    return {key: (None if pd.isna(value) else value) for key, value in row.items()}


def _summary(report: dict[str, Any]) -> None:
    tiles = st.columns(4)
    ui.kpi(tiles[0], "Lines read", report["lines_read"])
    ui.kpi(tiles[1], "Accepted", report["lines_accepted"])
    ui.kpi(
        tiles[2],
        "Rejected",
        report["lines_rejected"],
        delta=f"{charts.share(report['rejected_share'])} of lines "
        f"(ceiling {charts.share(report['max_rejected_share'], 0)})",
        delta_color="off",
        delta_arrow="off",
    )
    tiles[3].metric(
        "Balanced",
        "Yes" if report["is_balanced"] else "No",
        help="Lines read = accepted + rejected, and every line was classified once.",
        border=True,
    )
    first, last = report.get("first_invoiced_at"), report.get("last_invoiced_at")
    span = (
        f" Accepted invoices run from {pd.Timestamp(first):%Y-%m-%d} to "
        f"{pd.Timestamp(last):%Y-%m-%d}."
        if first is not None and last is not None
        else ""
    )
    st.caption(
        f"Input `{report['transactions_path']}` ({charts.count(report['input_files'])} "
        f"file(s)): {charts.count(report['distinct_invoices'])} invoices from "
        f"{charts.count(report['distinct_customers'])} customers were accepted.{span}"
    )
    if not report["is_balanced"]:
        st.warning(
            "The counts do not balance: some lines were not classified exactly once. The "
            "build's tests should have stopped this; rebuild and check its output.",
            icon=":material/report:",
        )


def _breakdown(report: dict[str, Any], labels: Labels) -> None:
    left, right = st.columns(2)
    with left:
        st.subheader("Rejected lines by reason")
        st.caption(
            "Each rejected line gets the first reason that applies (the order is in "
            "docs/decision_logic.md). None is dropped silently."
        )
        rejected = _counts(report, "rejected_")
        if rejected.empty:
            st.success("No line was rejected.", icon=":material/check_circle:")
        else:
            ui.chart(
                charts.quality_bars(rejected, charts.COST, labels, "rejection_reason"),
                key="quality_rejected",
            )
    with right:
        st.subheader("Accepted lines by type")
        st.caption(
            "Sales and returns make product revenue; adjustments and non-product lines "
            "(postage, fees) are kept but left out of it."
        )
        accepted = _counts(report, "accepted_")
        if accepted.empty:
            st.info("No line was accepted.")
        else:
            accepted["name"] = accepted["name"].str.removesuffix("_lines")
            ui.chart(charts.quality_bars(accepted, charts.BENEFIT, labels), key="quality_accepted")


def _sample(warehouse: data.Warehouse, labels: Labels) -> None:
    st.subheader("Sample of rejected lines")
    reasons = data.rejection_reasons(warehouse)
    if not reasons:
        st.caption("marts.rejected_transactions is empty.")
        return
    choice = st.selectbox(
        "Reason",
        [ALL_REASONS, *reasons],
        format_func=lambda reason: (
            reason if reason == ALL_REASONS else labels.label("rejection_reason", reason)
        ),
        key=REASON_KEY,
    )
    reason = None if choice == ALL_REASONS else choice
    sample = data.rejected_sample(warehouse, reason)
    st.caption(
        f"The first {len(sample)} rejected lines by file and line number "
        "(the header is line 1), with the reason in words and the raw text."
    )
    st.dataframe(
        ui.with_labels(sample, labels, rejection_reason="rejection_reason"),
        hide_index=True,
        column_config={
            "source_file": st.column_config.TextColumn("File"),
            "source_line_number": st.column_config.NumberColumn("Line", format="%d"),
            "rejection_reason": st.column_config.TextColumn("Reason"),
            "rejection_detail": st.column_config.TextColumn("Detail", width="large"),
            "invoice_id": st.column_config.TextColumn("Invoice"),
            "customer_id": st.column_config.TextColumn("Customer"),
            "raw_line": st.column_config.TextColumn("Raw line", width="large"),
        },
    )


def render() -> None:
    warehouse, selection, labels = filters.current()
    ui.page_header(
        "Data quality",
        "What happened to every line of the input of the current build: accepted, or "
        "rejected with a reason. The customer filters do not apply here.",
    )
    ui.current_build_only(selection, "The data quality report and rejected lines")
    quality = data.quality_report(warehouse)
    if quality.empty:
        st.info("marts.data_quality_report is empty in this build.")
        return
    report = _report(quality)
    _summary(report)
    st.divider()
    _breakdown(report, labels)
    st.divider()
    _sample(warehouse, labels)


render()
