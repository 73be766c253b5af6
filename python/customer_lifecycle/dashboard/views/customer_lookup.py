"""Customer lookup: one customer's 360 card, explanation, risk contributions and timeline."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from customer_lifecycle.dashboard import charts, data, filters, ui
from customer_lifecycle.dashboard.labels import Labels, readable

LOOKUP_KEY = "lookup_customer_id"
EXAMPLES = 5


def _rfm_score(score: Any) -> str:
    """`255` -> `R2 F5 M5`."""
    text = str(score or "")
    if len(text) == 3 and text.isdigit():
        return f"R{text[0]} F{text[1]} M{text[2]}"
    return f"score {text}" if text else "no score"


def _card(customer: dict[str, Any], labels: Labels) -> None:
    st.subheader(f"Customer {customer['customer_id']} · {customer.get('country') or 'Unknown'}")
    st.caption(
        f"As of {pd.Timestamp(customer['as_of_date']):%Y-%m-%d} (current build). First purchase "
        f"{pd.Timestamp(customer['first_purchase_date']):%Y-%m-%d}, last "
        f"{pd.Timestamp(customer['last_purchase_date']):%Y-%m-%d}."
    )
    currency = labels.currency
    profile = st.columns(4)
    profile[0].metric(
        "Lifecycle stage",
        labels.label("lifecycle_stage", customer["lifecycle_stage"]),
        border=True,
    )
    profile[1].metric(
        "Value segment", labels.label("value_segment", customer["value_segment"]), border=True
    )
    profile[2].metric(
        "Risk",
        labels.label("risk_level", customer["risk_level"]),
        delta=f"score {float(customer['risk_score']):.2f} of 100",
        delta_color="off",
        delta_arrow="off",
        border=True,
    )
    ui.kpi(
        profile[3],
        "Net revenue",
        customer["net_revenue"],
        currency=currency,
        delta=f"{charts.count(customer['orders'])} orders, last "
        f"{charts.count(customer['recency_days'])} days ago",
        delta_color="off",
        delta_arrow="off",
    )
    economics = st.columns(4)
    ui.kpi(
        economics[0],
        "Value at stake",
        customer["value_at_stake"],
        currency=currency,
        help="The yearly value the customer has shown.",
    )
    ui.kpi(
        economics[1],
        "Action cost",
        customer["unit_cost"],
        currency=currency,
        help="Cost of the recommended action for this customer.",
    )
    ui.kpi(
        economics[2],
        "Expected margin",
        customer["expected_benefit"],
        currency=currency,
        delta=f"net {charts.compact_money(customer['net_benefit'], currency)}",
        delta_color="off",
        delta_arrow="off",
        help="Value at stake x expected uplift x gross_margin_rate (net: minus the cost).",
    )
    roi = customer.get("roi")
    economics[3].metric(
        "ROI",
        charts.NO_VALUE if roi is None else f"{float(roi):.2f}",
        delta=None
        if roi is None
        else f"{float(customer['roi_low']):.2f} to {float(customer['roi_high']):.2f}",
        delta_color="off",
        delta_arrow="off",
        help="Net benefit per unit of cost at the expected uplift, and its low to high band.",
        border=True,
    )
    st.markdown(
        f"**RFM segment:** {ui.plain(labels.label('rfm_segment', customer['rfm_segment']))} "
        f"({ui.plain(_rfm_score(customer.get('rfm_score')))}) · "
        f"**Action:** {ui.plain(labels.label('action', customer['action_code']))} "
        f"({ui.plain(customer.get('channel'))}) · "
        f"**Decision:** {ui.plain(readable(customer.get('decision_reason')))}"
    )
    in_budget = "in the plan" if customer.get("is_in_budget") else "not in the plan"
    st.caption(f"This customer is {in_budget}.")
    with st.container(border=True):
        st.markdown("**Why**")
        st.markdown(ui.plain(customer["explanation"]))


def _risk(risk: dict[str, Any] | None, labels: Labels) -> None:
    st.subheader("Risk contributions")
    if risk is None:
        st.info("No risk row for this customer in marts.customer_risk.")
        return
    st.caption(
        f"The risk score of {float(risk['risk_score']):.2f} is the sum of these points: each "
        "signal (0 to 1) times its weight. Hover for what each signal measures."
    )
    ui.chart(charts.risk_contributions(pd.Series(risk), labels), key="lookup_risk_points")


def _timeline(
    warehouse: data.Warehouse, history: pd.DataFrame, selection: data.Selection, labels: Labels
) -> None:
    st.subheader("Purchase timeline")
    if len(history) > 1:
        st.caption(
            f"The customer at each of the {len(history)} snapshots of this build that hold them: "
            "net revenue to date (dots coloured by lifecycle stage) and days since the last "
            "purchase."
        )
    elif data.has_history(warehouse):
        st.caption(
            "Only the build's own snapshot holds this customer: their first purchase came after "
            "the latest earlier snapshot."
        )
    else:
        ui.history_off("This customer's timeline has a single point.")
    highlight = None if selection.is_current else selection.snapshot
    ui.chart(charts.customer_timeline(history, labels, highlight), key="lookup_timeline")
    with st.expander("Snapshot rows"):
        st.dataframe(
            ui.with_labels(
                history,
                labels,
                lifecycle_stage="lifecycle_stage",
                value_segment="value_segment",
                rfm_segment="rfm_segment",
                risk_level="risk_level",
            ),
            hide_index=True,
            column_config={
                "as_of_date": st.column_config.DateColumn("As of"),
                "net_revenue": st.column_config.NumberColumn(
                    f"Net revenue ({labels.currency})", format="localized"
                ),
                "net_revenue_last_365d": st.column_config.NumberColumn(
                    f"Last 365 days ({labels.currency})", format="localized"
                ),
            },
        )


def render() -> None:
    warehouse, selection, labels = filters.current()
    ui.page_header(
        "Customer lookup",
        "Everything the marts know about one customer: the 360 card, the reasons in plain "
        "words, the risk score's parts and how the customer moved over the snapshots.",
    )
    typed = st.text_input(
        "Customer ID",
        key=LOOKUP_KEY,
        placeholder="e.g. 12400",
        help="The customer identifier as in the export (13085, not 13085.0).",
    )
    customer_id = typed.strip()
    if not customer_id:
        examples = data.example_customer_ids(warehouse, selection, EXAMPLES)
        if examples:
            st.caption(
                "Customers with the most value at stake under the current filters: "
                + ", ".join(f"`{example}`" for example in examples)
            )
        return
    customer = data.customer_card(warehouse, customer_id)
    if customer is None:
        st.warning(
            f"Customer `{customer_id.replace('`', '')}` was not found in this warehouse. Check "
            "the ID (the export's customer ID, without a trailing .0).",
            icon=":material/person_off:",
        )
        return
    ui.current_build_only(selection, "The 360 card, explanation and risk contributions")
    _card(customer, labels)
    _risk(data.customer_risk(warehouse, customer_id), labels)
    _timeline(warehouse, data.customer_history(warehouse, customer_id), selection, labels)


render()
