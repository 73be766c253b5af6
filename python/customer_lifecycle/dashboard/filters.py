"""The sidebar filters every page shares, held in `st.session_state`.

The app renders them on every run, before the page, so the widgets (and their keys in session
state) survive page switches. Their options come from the marts. An empty multiselect means
"all". The selection of this run is stored under SELECTION_KEY for the page to read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import streamlit as st

from customer_lifecycle.dashboard import data
from customer_lifecycle.dashboard.labels import Labels

SNAPSHOT_KEY = "filter_snapshot"
COUNTRY_KEY = "filter_countries"
STAGE_KEY = "filter_stages"
VALUE_KEY = "filter_value_segments"
RISK_KEY = "filter_risk_levels"
MULTISELECT_KEYS = (COUNTRY_KEY, STAGE_KEY, VALUE_KEY, RISK_KEY)

SELECTION_KEY = "dashboard_selection"
WAREHOUSE_KEY = "dashboard_warehouse"
SEEN_CURRENT_KEY = "dashboard_seen_current"

SNAPSHOT_HELP = (
    "The as-of date the customer pages describe. The newest is the current build: every mart "
    "has it. The earlier dates are the build's snapshot history, computed from the same input "
    "at the start of every month (the var snapshot_frequency; none turns it off): "
    "customer_snapshot_history has each customer's stage, value segment, RFM segment, risk "
    "score and revenue at each of them. Actions, risk drivers, explanations, cohorts and data "
    "quality exist for the current build only, and those pages say so."
)


def _keep_known(key: str, options: Sequence[object]) -> None:
    """Drops remembered choices a newly published warehouse no longer offers."""
    if key not in st.session_state:
        return
    chosen = st.session_state[key]
    if isinstance(chosen, list):
        known = [value for value in chosen if value in options]
        if known != chosen:
            st.session_state[key] = known
    elif chosen not in options:
        del st.session_state[key]


def _clear() -> None:
    for key in MULTISELECT_KEYS:
        st.session_state[key] = []
    st.session_state.pop(SNAPSHOT_KEY, None)


def render_sidebar(warehouse: data.Warehouse) -> data.Selection:
    """Draws the filters in the sidebar and returns (and stores) what they select."""
    options = data.filter_options(warehouse)
    labels = data.display_labels(warehouse)
    snapshots = data.snapshot_dates(warehouse)
    current = data.current_as_of(warehouse)
    # Someone looking at the current build keeps looking at the current build when a newer
    # one is published, even if the old date is still a snapshot of the new one.
    if st.session_state.get(SEEN_CURRENT_KEY) != current:
        if st.session_state.get(SNAPSHOT_KEY) == st.session_state.get(SEEN_CURRENT_KEY):
            st.session_state.pop(SNAPSHOT_KEY, None)
        st.session_state[SEEN_CURRENT_KEY] = current
    for key, values in (
        (SNAPSHOT_KEY, snapshots),
        (COUNTRY_KEY, options["country"]),
        (STAGE_KEY, options["lifecycle_stage"]),
        (VALUE_KEY, options["value_segment"]),
        (RISK_KEY, options["risk_level"]),
    ):
        _keep_known(key, values)

    def snapshot_label(date: dt.date) -> str:
        return f"{date:%Y-%m-%d} (current build)" if date == current else f"{date:%Y-%m-%d}"

    with st.sidebar:
        st.header("Filters")
        snapshot = st.selectbox(
            "Snapshot (as-of date)",
            snapshots,
            index=snapshots.index(current) if current in snapshots else 0,
            format_func=snapshot_label,
            key=SNAPSHOT_KEY,
            help=SNAPSHOT_HELP,
        )
        countries = st.multiselect(
            "Country", options["country"], key=COUNTRY_KEY, placeholder="All countries"
        )
        stages = st.multiselect(
            "Lifecycle stage",
            labels.ordered("lifecycle_stage", options["lifecycle_stage"]),
            format_func=lambda code: labels.label("lifecycle_stage", code),
            key=STAGE_KEY,
            placeholder="All stages",
        )
        value_segments = st.multiselect(
            "Value segment",
            labels.ordered("value_segment", options["value_segment"]),
            format_func=lambda code: labels.label("value_segment", code),
            key=VALUE_KEY,
            placeholder="All value segments",
        )
        risk_levels = st.multiselect(
            "Risk level",
            labels.ordered("risk_level", options["risk_level"]),
            format_func=lambda code: labels.label("risk_level", code),
            key=RISK_KEY,
            placeholder="All risk levels",
        )
        selection = data.Selection(
            snapshot=snapshot,
            current_as_of=current,
            countries=tuple(countries),
            stages=tuple(stages),
            value_segments=tuple(value_segments),
            risk_levels=tuple(risk_levels),
        )
        if selection.has_customer_filters or not selection.is_current:
            st.button("Clear filters", on_click=_clear, icon=":material/filter_alt_off:")
        if not selection.is_current:
            st.caption(
                f"Showing the snapshot of {snapshot:%Y-%m-%d}. Pages that exist only for the "
                f"current build ({current:%Y-%m-%d}) say so."
                if snapshot and current
                else "Showing an earlier snapshot."
            )
        published = dt.datetime.fromtimestamp(warehouse.version[2] / 1e9)
        st.caption(
            f"Warehouse `{data.display_path(warehouse.path)}`, written {published:%Y-%m-%d %H:%M}."
        )
    st.session_state[SELECTION_KEY] = selection
    st.session_state[WAREHOUSE_KEY] = warehouse
    return selection


def current() -> tuple[data.Warehouse, data.Selection, Labels]:
    """The warehouse, the filters of this run (as the app stored them before the page) and the
    warehouse's labels."""
    try:
        warehouse = st.session_state[WAREHOUSE_KEY]
        return warehouse, st.session_state[SELECTION_KEY], data.display_labels(warehouse)
    except KeyError as error:
        raise RuntimeError(
            "The dashboard pages run inside the app: start it with "
            "`python -m customer_lifecycle.dashboard`."
        ) from error


def describe(selection: data.Selection, labels: Labels) -> str:
    """The active customer filters in words, for captions."""
    parts = []
    for name, values in (
        ("country", selection.countries),
        ("stage", tuple(labels.label("lifecycle_stage", code) for code in selection.stages)),
        ("value", tuple(labels.label("value_segment", code) for code in selection.value_segments)),
        ("risk", tuple(labels.label("risk_level", code) for code in selection.risk_levels)),
    ):
        if values:
            parts.append(f"{name} {', '.join(values)}")
    return "; ".join(parts) if parts else "all customers"
