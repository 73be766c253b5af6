"""Actions: the plan per action, its economics, the budget, and the contact list to download."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from customer_lifecycle.dashboard import charts, data, filters, ui

CONTACT_PREVIEW_ROWS = 200


def _money_column(title: str) -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(f"{title} ({charts.CURRENCY})", format="localized")


def _kpis(warehouse: data.Warehouse, selection: data.Selection) -> None:
    plan = data.planned_contacts(warehouse, selection)
    tiles = st.columns(4)
    tiles[0].metric(
        "Customers to contact",
        charts.count(plan["contacts"]),
        help="Customers with an action that fit the campaign budget (all of them without one).",
        border=True,
    )
    tiles[1].metric(
        "Planned spend",
        charts.money_auto(plan["planned_spend"]),
        help="The actions' unit costs, summed.",
        border=True,
    )
    tiles[2].metric(
        "Expected benefit",
        charts.money_auto(plan["expected_benefit"]),
        help="Each customer's value at stake times the action's expected uplift, summed.",
        border=True,
    )
    tiles[3].metric(
        "Expected net benefit",
        charts.money_auto(plan["net_benefit"]),
        help="Expected benefit minus cost, summed.",
        border=True,
    )


def _budget(plan: pd.DataFrame) -> None:
    st.subheader("Budget")
    budgets = plan["campaign_budget"].dropna()
    if budgets.empty:
        st.info(
            "No campaign budget is set (the dbt var `campaign_budget`), so every customer with "
            "a paying action is in the plan. Build with "
            "`--vars '{campaign_budget: 5000}'` to keep only the best customers that fit.",
            icon=":material/savings:",
        )
        return
    budget = float(budgets.max())
    cost_in_budget = float(plan["cost_in_budget"].sum())
    st.caption(
        "Customers with an action are ranked by net benefit and taken in that order while the "
        "running cost stays within the budget (whole plan, customer filters do not apply)."
    )
    left, right = st.columns([1, 2])
    left.metric("Campaign budget", charts.money(budget, 2), border=True)
    left.metric(
        "Used by the plan",
        charts.money(cost_in_budget, 2),
        delta=f"{charts.money(budget - cost_in_budget, 2)} left",
        delta_color="off",
        delta_arrow="off",
        border=True,
    )
    with right:
        ui.chart(
            charts.budget_bar(budget, cost_in_budget, float(plan["total_cost"].sum())),
            key="actions_budget",
        )


def _plan_table(warehouse: data.Warehouse, selection: data.Selection, plan: pd.DataFrame) -> None:
    st.subheader("Plan per action")
    if selection.has_customer_filters:
        st.caption(
            f"The customers matching the filters ({filters.describe(selection)}), summed from "
            "customer_360. ROI is given per action for the whole plan in the charts below."
        )
        rows = data.filtered_plan(warehouse, selection)
        if rows.empty:
            st.info("None of the filtered customers has an action.", icon=":material/campaign:")
            return
        st.dataframe(
            rows,
            hide_index=True,
            column_config={
                "action_code": None,
                "action_name": st.column_config.TextColumn("Action"),
                "channel": st.column_config.TextColumn("Channel"),
                "customers": st.column_config.NumberColumn("Customers", format="localized"),
                "customers_in_budget": st.column_config.NumberColumn(
                    "In the plan", format="localized"
                ),
                "cost_in_budget": _money_column("Cost in plan"),
                "expected_benefit_in_budget": _money_column("Expected benefit in plan"),
            },
        )
        return
    has_budget = plan["campaign_budget"].notna().any()
    st.caption(
        "One row per action from marts.action_plan: customers it was chosen for, total cost, "
        "expected benefit and ROI" + (", and the part that fits the budget." if has_budget else ".")
    )
    budget_columns = ["customers_in_budget", "cost_in_budget", "expected_benefit_in_budget"]
    st.dataframe(
        plan.drop(columns=["campaign_budget"] + ([] if has_budget else budget_columns)),
        hide_index=True,
        column_config={
            "action_code": None,
            "action_name": st.column_config.TextColumn("Action"),
            "channel": st.column_config.TextColumn("Channel"),
            "customers": st.column_config.NumberColumn("Customers", format="localized"),
            "total_cost": _money_column("Cost"),
            "total_expected_benefit": _money_column("Expected benefit"),
            "total_net_benefit": _money_column("Net benefit"),
            "roi": st.column_config.NumberColumn("ROI", format="%.1f"),
            "roi_low": st.column_config.NumberColumn("ROI low", format="%.1f"),
            "roi_high": st.column_config.NumberColumn("ROI high", format="%.1f"),
            "customers_in_budget": st.column_config.NumberColumn("In budget", format="localized"),
            "cost_in_budget": _money_column("Cost in budget"),
            "expected_benefit_in_budget": _money_column("Benefit in budget"),
        },
    )


def _economics(plan: pd.DataFrame) -> None:
    paid = plan[plan["total_cost"] > 0]
    if paid.empty:
        st.info("No action with a cost was chosen for anyone in this build.")
        return
    left, right = st.columns(2)
    with left:
        st.subheader("Cost against benefit")
        st.caption(
            "Each action's total cost beside the benefit it is expected to bring, on a log "
            "scale: every step on the axis is ten times the one before."
        )
        ui.chart(charts.cost_benefit(paid), key="actions_cost_benefit")
    with right:
        st.subheader("ROI band")
        st.caption(
            "ROI per action at the expected uplift (dot), and at the pessimistic and optimistic "
            "uplift (whiskers): how sure the return is if customers respond less or more."
        )
        ui.chart(charts.roi_band(paid), key="actions_roi_band")


def _contacts(warehouse: data.Warehouse, selection: data.Selection) -> None:
    st.subheader("Contact list")
    contacts = data.contact_list(warehouse, selection)
    if contacts.empty:
        st.info(
            f"Nobody in the plan matches these filters ({filters.describe(selection)}). Widen "
            "or clear the filters in the sidebar.",
            icon=":material/filter_alt_off:",
        )
        return
    st.caption(
        f"{charts.count(len(contacts))} customers to contact ({filters.describe(selection)}), "
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
        contacts.head(CONTACT_PREVIEW_ROWS),
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
            "unit_cost": _money_column("Cost"),
            "value_at_stake": _money_column("Value at stake"),
            "expected_benefit": _money_column("Expected benefit"),
            "net_benefit": _money_column("Net benefit"),
            "risk_score": st.column_config.NumberColumn("Risk score", format="%.2f"),
            "roi": st.column_config.NumberColumn("ROI", format="%.1f"),
            "roi_low": st.column_config.NumberColumn("ROI low", format="%.1f"),
            "roi_high": st.column_config.NumberColumn("ROI high", format="%.1f"),
            "explanation": st.column_config.TextColumn("Explanation", width="large"),
        },
    )


def render() -> None:
    warehouse, selection = filters.current()
    ui.page_header(
        "Actions",
        "What to do for whom, what it costs and what it should bring back. "
        f"Current build · {filters.describe(selection)}.",
    )
    ui.current_build_only(selection, "Actions, their costs and the budget")
    plan = data.action_plan(warehouse)
    if plan.empty:
        st.info("The action plan is empty in this build.", icon=":material/campaign:")
        return
    _kpis(warehouse, selection)
    _budget(plan)
    st.divider()
    _plan_table(warehouse, selection, plan)
    _economics(plan)
    st.divider()
    _contacts(warehouse, selection)


render()
