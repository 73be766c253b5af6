"""Overview: the headline numbers, where customers sit by stage and value, and their risk."""

from __future__ import annotations

import streamlit as st

from customer_lifecycle.dashboard import charts, data, filters, ui


def render() -> None:
    warehouse, selection = filters.current()
    ui.page_header(
        "Overview",
        f"Snapshot {ui.snapshot_caption(selection)} · {filters.describe(selection)}. "
        "Every number is read from the marts; the filters in the sidebar narrow them.",
    )
    totals = data.customer_totals(warehouse, selection)
    if not totals.get("customers"):
        ui.nothing_matches(selection)
        return

    tiles = st.columns(5)
    tiles[0].metric(
        "Customers",
        charts.count(totals["customers"]),
        help="Customers with a product sale before the as-of date.",
        border=True,
    )
    tiles[1].metric(
        "Net revenue",
        charts.money_short(totals["net_revenue"]),
        help="Product sales minus returns to date, summed over the customers shown.",
        border=True,
    )
    if selection.is_current:
        at_risk = data.revenue_at_risk(warehouse, selection)
        plan = data.planned_contacts(warehouse, selection)
        tiles[2].metric(
            "Revenue at risk",
            charts.money_short(at_risk["revenue_at_risk"]),
            help=(
                "Yearly value at stake of the customers whose risk level is high or critical "
                f"({charts.count(at_risk['customers_at_risk'])} customers), from "
                f"marts.{at_risk['source']}."
            ),
            border=True,
        )
        tiles[3].metric(
            "Planned spend",
            charts.money_short(plan["planned_spend"]),
            help=(
                f"Cost of the actions for the {charts.count(plan['contacts'])} customers in "
                "the plan (within the campaign budget, if one is set)."
            ),
            border=True,
        )
        tiles[4].metric(
            "Expected benefit",
            charts.money_short(plan["expected_benefit"]),
            help="Value at stake times the expected uplift, summed over the customers in the plan.",
            border=True,
        )
    else:
        note = "Kept for the current build only: pick its snapshot to see this."
        for tile, name in zip(
            tiles[2:], ("Revenue at risk", "Planned spend", "Expected benefit"), strict=True
        ):
            tile.metric(name, charts.NO_VALUE, help=note, border=True)
        st.caption(
            "Revenue at risk, planned spend and expected benefit come from the action plan, "
            "which exists for the current build only; pick the current snapshot to see them."
        )

    left, right = st.columns([3, 2])
    with left:
        st.subheader("Customers by lifecycle stage and value segment")
        st.caption(
            "Each cell counts the customers in one lifecycle stage (rows: how recently they "
            "bought) and value segment (columns: their rank by net revenue). Hover for revenue."
        )
        grid = data.stage_value_grid(warehouse, selection)
        ui.chart(charts.stage_value_heatmap(grid), key="overview_heatmap")
    with right:
        st.subheader("Risk distribution")
        st.caption(
            "Customers per risk level, from the risk score's thresholds (see "
            "docs/decision_logic.md). Hover for their net revenue."
        )
        levels = data.risk_level_counts(warehouse, selection)
        ui.chart(charts.risk_level_bars(levels), key="overview_risk_levels")


render()
