"""Overview: the headline numbers, where customers sit by stage and value, and their risk."""

from __future__ import annotations

import streamlit as st

from customer_lifecycle.dashboard import charts, data, filters, ui


def render() -> None:
    warehouse, selection, labels = filters.current()
    ui.page_header(
        "Overview",
        f"Snapshot {ui.snapshot_caption(selection)} · {filters.describe(selection, labels)}. "
        "Every number is read from the marts; the filters in the sidebar narrow them.",
    )
    totals = data.customer_totals(warehouse, selection)
    if not totals.get("customers"):
        ui.nothing_matches(selection, labels)
        return

    currency = labels.currency
    tiles = st.columns(5)
    ui.kpi(
        tiles[0],
        "Customers",
        totals["customers"],
        help="Customers with a product sale before the as-of date.",
    )
    ui.kpi(
        tiles[1],
        "Net revenue",
        totals["net_revenue"],
        currency=currency,
        help="Product sales minus returns to date, summed over the customers shown.",
    )
    if selection.is_current:
        at_risk = data.revenue_at_risk(warehouse, selection)
        plan = data.planned_contacts(warehouse, selection)
        ui.kpi(
            tiles[2],
            "Revenue at risk",
            at_risk["revenue_at_risk"],
            currency=currency,
            help=(
                "Yearly value at stake of the customers whose risk level counts as at risk "
                "(is_at_risk in seeds/risk_levels.csv): "
                f"{charts.count(at_risk['customers_at_risk'])} customers."
            ),
        )
        ui.kpi(
            tiles[3],
            "Planned spend",
            plan["action_cost"],
            currency=currency,
            help=(
                f"Cost of the actions for the {charts.count(plan['customers'])} customers in "
                "the plan (within the campaign budget, if one is set)."
            ),
        )
        ui.kpi(
            tiles[4],
            "Expected margin",
            plan["expected_benefit"],
            currency=currency,
            help=(
                "Value at stake x expected uplift x gross_margin_rate: the contribution the plan"
                " is expected to bring back, summed over its customers."
            ),
        )
    else:
        note = "Kept for the current build only: pick its snapshot to see this."
        for tile, name in zip(
            tiles[2:], ("Revenue at risk", "Planned spend", "Expected margin"), strict=True
        ):
            tile.metric(name, charts.NO_VALUE, help=note, border=True)
        st.caption(
            "Revenue at risk, planned spend and expected margin come from the action plan, "
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
        ui.chart(charts.stage_value_heatmap(grid, labels), key="overview_heatmap")
    with right:
        st.subheader("Risk distribution")
        st.caption(
            "Customers per risk level, from the risk score's thresholds (see "
            "docs/decision_logic.md). Hover for their net revenue."
        )
        levels = data.risk_level_counts(warehouse, selection)
        ui.chart(charts.risk_level_bars(levels, labels), key="overview_risk_levels")


render()
