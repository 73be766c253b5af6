"""Small pieces of layout the pages share: headers, notices, safe text."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from customer_lifecycle.dashboard import charts, data, filters
from customer_lifecycle.dashboard.labels import Labels

_MARKDOWN_SPECIALS = "\\`*_[]<>#|~$"


def plain(text: object) -> str:
    """Text from a mart, escaped so that markdown shows it as written (`$` is not maths)."""
    return "".join(f"\\{char}" if char in _MARKDOWN_SPECIALS else char for char in str(text))


def page_header(title: str, caption: str) -> None:
    st.title(title)
    st.caption(caption)


def snapshot_caption(selection: data.Selection) -> str:
    if selection.snapshot is None:
        return "no snapshot"
    suffix = " (current build)" if selection.is_current else " (earlier snapshot)"
    return f"{selection.snapshot:%Y-%m-%d}{suffix}"


def nothing_matches(selection: data.Selection, labels: Labels) -> None:
    """The friendly message for filters that leave no customer."""
    st.info(
        f"No customers match these filters ({filters.describe(selection, labels)}) in the "
        "snapshot of "
        f"{snapshot_caption(selection)}. Widen or clear the filters in the sidebar.",
        icon=":material/filter_alt_off:",
    )


def current_build_only(selection: data.Selection, what: str) -> None:
    """A note that `what` exists for the current build only, when an earlier one is selected."""
    if selection.is_current or selection.current_as_of is None:
        return
    st.info(
        f"{what} exist for the current build only, so this shows the current build "
        f"({selection.current_as_of:%Y-%m-%d}), not the selected snapshot "
        f"({selection.snapshot:%Y-%m-%d}).",
        icon=":material/history:",
    )


HISTORY_OFF = (
    "The snapshot history is off for this build: it holds one snapshot, its own as-of date. "
    "It was built with `--vars '{snapshot_frequency: none}'`, or its input is too short for a "
    "history (the first snapshot is the first month start at least `snapshot_min_history_days`, "
    "180 by default, after the first transaction). To turn the history on, build without that "
    "var: by default (`snapshot_frequency: month`) every build also computes a snapshot at the "
    "start of each month, from the same input."
)


def history_off(missing: str) -> None:
    """Why something is missing (`missing`, a sentence) when the build has one snapshot."""
    st.info(f"{missing} {HISTORY_OFF}", icon=":material/history:")


def kpi(
    tile: DeltaGenerator,
    label: str,
    value: Any,
    *,
    currency: str | None = None,
    help: str = "",
    **extra: Any,
) -> None:
    """A KPI tile: the value in compact units (`£5.01bn`, `1.23m`), so it fits the tile at any
    size, and the exact figure in its tooltip. `currency`: the value is money."""
    if currency is None:
        shown, exact = charts.compact(value), charts.count(value)
    else:
        shown, exact = charts.compact_money(value, currency), charts.money(value, currency, 2)
    tooltip = f"{help} Exact figure: {exact}." if help else f"Exact figure: {exact}."
    tile.metric(label, shown, help=plain(tooltip), border=True, **extra)


def with_labels(rows: pd.DataFrame, labels: Labels, **label_sets: str) -> pd.DataFrame:
    """`rows` with the codes of each column named in `label_sets` replaced by their labels
    (column=label_set), for tables people read."""
    return rows.assign(
        **{
            column: [labels.label(label_set, code) for code in rows[column]]
            for column, label_set in label_sets.items()
        }
    )


def chart(figure: go.Figure, key: str) -> None:
    st.plotly_chart(figure, key=key, config={"displaylogo": False})


def no_warehouse(status: data.WarehouseStatus) -> None:
    """What to run when there is no warehouse, or it lacks marts the dashboard reads."""
    st.title("Customer lifecycle dashboard")
    where = data.display_path(status.path)
    if status.warehouse is None:
        st.warning(
            f"There is no warehouse yet at `{where}`. Build it from the project root, then "
            "reload this page:",
            icon=":material/database:",
        )
    else:
        st.warning(
            f"The warehouse at `{where}` lacks the mart(s) "
            f"{', '.join(f'`marts.{name}`' for name in status.missing_marts)}. Build it again "
            "from the project root, then reload this page:",
            icon=":material/database:",
        )
    st.code(data.BUILD_COMMAND, language="bash")
    st.caption(
        "The dashboard reads the DuckDB file named by the env var CUSTOMER_LIFECYCLE_DB "
        "(default warehouse/customer_lifecycle.duckdb, relative to the project root)."
    )
