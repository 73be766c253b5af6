"""Actions: the plan per action, its economics, the budget, and the contact list to download."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from customer_lifecycle.dashboard import charts, data, filters, ui
from customer_lifecycle.dashboard.labels import Labels

CONTACT_PREVIEW_ROWS = 200


def _money_column(title: str, currency: str) -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(f"{title} ({currency})", format="localized")


def _kpis(warehouse: data.Warehouse, selection: data.Selection, labels: Labels) -> None:
    plan = data.planned_contacts(warehouse, selection)
    currency = labels.currency
    tiles = st.columns(4)
    ui.kpi(
        tiles[0],
        "Customers to contact",
        plan["customers"],
        help="Customers with an action that fit the campaign budget (all of them without one).",
    )
    ui.kpi(
        tiles[1],
        "Planned spend",
        plan["action_cost"],
        currency=currency,
        help="The actions' unit costs, summed.",
    )
    ui.kpi(
        tiles[2],
        "Expected margin",
        plan["expected_benefit"],
        currency=currency,
        help="Each customer's value at stake x expected uplift x gross_margin_rate, summed.",
    )
    ui.kpi(
        tiles[3],
        "Expected net benefit",
        plan["net_benefit"],
        currency=currency,
        help="Expected margin minus cost, summed.",
    )


def _budget(warehouse: data.Warehouse, labels: Labels) -> bool:
    """The budget against the whole plan; True when a budget is set."""
    st.subheader("Budget")
    plan = data.campaign_budget(warehouse)
    budget = plan["campaign_budget"]
    if budget is None:
        st.info(
            "No campaign budget is set (the dbt var `campaign_budget`), so every customer with "
            "a paying action is in the plan. Build with "
            "`--vars '{campaign_budget: 5000}'` to keep only the best customers that fit.",
            icon=":material/savings:",
        )
        return False
    currency = labels.currency
    budget, used = float(budget), float(plan["cost_in_budget"] or 0)
    st.caption(
        "Customers with an action are ranked by net benefit and taken in that order while the "
        "running cost stays within the budget (whole plan, customer filters do not apply)."
    )
    left, right = st.columns([1, 2])
    ui.kpi(left, "Campaign budget", budget, currency=currency)
    ui.kpi(
        left,
        "Used by the plan",
        used,
        currency=currency,
        help="The cost of the customers in the plan, summed.",
    )
    with right:
        ui.chart(
            charts.budget_bar(budget, used, float(plan["total_cost"] or 0), currency),
            key="actions_budget",
        )
    return True


def _plan_table(
    selection: data.Selection, labels: Labels, plan: pd.DataFrame, has_budget: bool
) -> None:
    st.subheader("Plan per action")
    scope = (
        f"the customers matching the filters ({filters.describe(selection, labels)})"
        if selection.has_customer_filters
        else "every customer"
    )
    st.caption(
        f"One row per action chosen for {scope}: customers, total cost, expected margin and "
        "ROI (net benefit over cost, with its band at the low and high uplift)"
        + (", and the part in the plan (within the budget)." if has_budget else ".")
    )
    currency = labels.currency
    budget_columns = ["customers_in_budget", "cost_in_budget", "expected_benefit_in_budget"]
    columns = [
        "action",
        "channel",
        "customers",
        "action_cost",
        "expected_benefit",
        "net_benefit",
        "roi",
        "roi_low",
        "roi_high",
        *(budget_columns if has_budget else []),
    ]
    table = plan.assign(action=[labels.label("action", code) for code in plan["action_code"]])
    st.dataframe(
        table[columns],
        hide_index=True,
        column_config={
            "action": st.column_config.TextColumn("Action"),
            "channel": st.column_config.TextColumn("Channel"),
            "customers": st.column_config.NumberColumn("Customers", format="localized"),
            "action_cost": _money_column("Cost", currency),
            "expected_benefit": _money_column("Expected margin", currency),
            "net_benefit": _money_column("Net benefit", currency),
            "roi": st.column_config.NumberColumn("ROI", format="%.1f"),
            "roi_low": st.column_config.NumberColumn("ROI low", format="%.1f"),
            "roi_high": st.column_config.NumberColumn("ROI high", format="%.1f"),
            "customers_in_budget": st.column_config.NumberColumn("In the plan", format="localized"),
            "cost_in_budget": _money_column("Cost in the plan", currency),
            "expected_benefit_in_budget": _money_column("Benefit in the plan", currency),
        },
    )


def _economics(plan: pd.DataFrame, labels: Labels) -> None:
    paid = plan[plan["action_cost"] > 0]
    if paid.empty:
        st.info("No action with a cost was chosen for these customers.")
        return
    left, right = st.columns(2)
    with left:
        st.subheader("Cost against benefit")
        st.caption(
            "Each action's total cost beside the benefit it is expected to bring, on a log "
            "scale: every step on the axis is ten times the one before."
        )
        ui.chart(charts.cost_benefit(paid, labels), key="actions_cost_benefit")
    with right:
        st.subheader("ROI band")
        st.caption(
            "ROI per action at the expected uplift (dot), and at the pessimistic and optimistic "
            "uplift (whiskers): how sure the return is if customers respond less or more."
        )
        ui.chart(charts.roi_band(paid, labels), key="actions_roi_band")


def _contacts(warehouse: data.Warehouse, selection: data.Selection, labels: Labels) -> None:
    st.subheader("Contact list")
    contacts = data.contact_list(warehouse, selection)
    if contacts.empty:
        st.info(
            f"Nobody in the plan matches these filters ({filters.describe(selection, labels)}). "
            "Widen "
            "or clear the filters in the sidebar.",
            icon=":material/filter_alt_off:",
        )
        return
    st.caption(
        f"{charts.count(len(contacts))} customers to contact "
        f"({filters.describe(selection, labels)}), "
        "best net benefit first, with their action and the reason in words. The download holds "
        f"every row; the preview shows the first {CONTACT_PREVIEW_ROWS}."
    )
    as_of = selection.current_as_of
    st.download_button(
        "Download the contact list (CSV)",
        data=contacts.to_csv(index=False).encode("utf-8"),
        file_name=f"contact_list_{as_of:%Y-%m-%d}.csv" if as_of else "contact_list.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        type="primary",
        key="actions_download",
    )
    st.dataframe(
        ui.with_labels(
            contacts.head(CONTACT_PREVIEW_ROWS),
            labels,
            lifecycle_stage="lifecycle_stage",
            value_segment="value_segment",
            rfm_segment="rfm_segment",
            risk_level="risk_level",
        ),
        hide_index=True,
        column_config={
            "customer_id": st.column_config.TextColumn("Customer"),
            "country": st.column_config.TextColumn("Country"),
            "lifecycle_stage": st.column_config.TextColumn("Stage"),
            "value_segment": st.column_config.TextColumn("Value"),
            "rfm_segment": st.column_config.TextColumn("RFM segment"),
            "risk_level": st.column_config.TextColumn("Risk level"),
            "action_code": None,
            "action_name": st.column_config.TextColumn("Action"),
            "channel": st.column_config.TextColumn("Channel"),
            "unit_cost": _money_column("Cost", labels.currency),
            "value_at_stake": _money_column("Value at stake", labels.currency),
            "expected_benefit": _money_column("Expected margin", labels.currency),
            "net_benefit": _money_column("Net benefit", labels.currency),
            "risk_score": st.column_config.NumberColumn("Risk score", format="%.2f"),
            "roi": st.column_config.NumberColumn("ROI", format="%.1f"),
            "roi_low": st.column_config.NumberColumn("ROI low", format="%.1f"),
            "roi_high": st.column_config.NumberColumn("ROI high", format="%.1f"),
            "explanation": st.column_config.TextColumn("Explanation", width="large"),
        },
    )


def render() -> None:
    warehouse, selection, labels = filters.current()
    ui.page_header(
        "Actions",
        "What to do for whom, what it costs and what it should bring back. "
        f"Current build · {filters.describe(selection, labels)}.",
    )
    ui.current_build_only(selection, "Actions, their costs and the budget")
    plan = data.action_plan(warehouse, selection)
    if plan.empty:
        ui.nothing_matches(selection.current(), labels)
        return
    _kpis(warehouse, selection, labels)
    has_budget = _budget(warehouse, labels)
    st.divider()
    _plan_table(selection, labels, plan, has_budget)
    _economics(plan, labels)
    st.divider()
    _contacts(warehouse, selection, labels)


render()
