"""The explanation paragraph, rendered by DuckDB from hand-built facts rows.

The SQL is the committed macro explanation_sql as dbt renders it on DuckDB (explanation_macro),
and a test checks that the committed macro is what the templates compile to now; the Spark
rendering is checked against this one in spark/test_explanation_on_spark.py. Every expected text
below was written by hand from the facts of its row, never copied from the output. The rows are built in DuckDB with the column types of int_customer_explanation_facts.
The words for each code are label rows that this module writes (`LABELS`, in the shape of the
label seeds), so the templates are tested apart from the shipped wording; the tests that are about
the shipped seeds read them from seeds/.
"""

from __future__ import annotations

import csv
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from explanation_macro import render_explanation_sql

from customer_lifecycle.explain import (
    DECISION_REASONS,
    DRIVER_PHRASE_FIELDS,
    MACRO_PATH,
    REASONS_WITH_ACTION,
    REASONS_WITHOUT_ACTION,
    REGENERATE,
    macro_file,
    main,
    sql_literal,
)
from customer_lifecycle.paths import PROJECT_ROOT

SEEDS = PROJECT_ROOT / "seeds"

# The test's own label rows, one dict per label seed: code -> the words the facts model joins
# from it (for risk signals, the phrase and the phrase when the customer has gone quiet).
Labels = dict[str, dict[str, Any]]
LABELS: Labels = {
    "lifecycle_stage": {
        "new": "new",
        "active": "active",
        "cooling": "cooling",
        "at_risk": "at-risk",
        "dormant": "dormant",
    },
    "value_segment": {"vip": "VIP", "high": "high-value", "mid": "mid-value", "low": "low-value"},
    "rfm_segment": {
        "champions": "Champions",
        "loyal_customers": "Loyal Customers",
        "potential_loyalist": "Potential Loyalist",
        "new_customers": "New Customers",
        "need_attention": "Need Attention",
        "about_to_sleep": "About To Sleep",
        "cant_lose_them": "Can't Lose Them",
        "hibernating": "Hibernating",
        "lost": "Lost",
    },
    "risk_level": {"low": "low", "medium": "medium", "high": "high", "critical": "critical"},
    "risk_signal": {
        "recency": ("it has been {recency} since their last purchase", None),
        "overdue": ("the time since their last purchase is {overdue_ratio} times {gap_kind}", None),
        "frequency_decline": (
            "they placed {orders_last_window} in the last {window} days"
            " against {orders_prev_window} in the {window} before",
            "they have placed no order in the last {both_windows} days",
        ),
        "monetary_decline": (
            "their net spend was {net_revenue_last_window} in the last {window} days"
            " against {net_revenue_prev_window} before",
            "they have spent nothing in the last {both_windows} days",
        ),
        "returns": ("{return_percent}% of what they bought was returned", None),
    },
    "action": {
        "onboarding_series": "to help a new customer settle in",
        "vip_personal_call": "to keep a top customer close",
        "retention_call": "to keep them from drifting away",
        "winback_offer": "to win them back",
        "reactivation_email": "to bring them back",
        "loyalty_reward": "to thank them and keep them loyal",
        "cross_sell_email": "to suggest more products they may like",
        "no_action": None,
    },
}

# The columns of int_customer_explanation_facts and their DuckDB types.
FACT_COLUMNS: dict[str, str] = {
    "customer_id": "varchar",
    "as_of_date": "date",
    "lifecycle_stage": "varchar",
    "lifecycle_stage_label": "varchar",
    "value_segment": "varchar",
    "value_segment_label": "varchar",
    "rfm_segment": "varchar",
    "rfm_segment_label": "varchar",
    "recency_days": "bigint",
    "tenure_days": "bigint",
    "mean_days_between_purchases": "decimal(9,2)",
    "is_one_time_buyer": "boolean",
    "expected_gap_days": "decimal(9,2)",
    "overdue_ratio": "decimal(9,2)",
    "orders": "bigint",
    "net_revenue": "decimal(18,2)",
    "net_revenue_percentile": "decimal(9,4)",
    "trend_window_days": "integer",
    "orders_last_window": "bigint",
    "orders_prev_window": "bigint",
    "net_revenue_last_window": "decimal(18,2)",
    "net_revenue_prev_window": "decimal(18,2)",
    "return_rate": "decimal(9,4)",
    "risk_score": "decimal(6,2)",
    "risk_level": "varchar",
    "risk_level_label": "varchar",
    "top_risk_driver": "varchar",
    "top_risk_points": "decimal(6,2)",
    "top_risk_driver_phrase": "varchar",
    "second_risk_driver": "varchar",
    "second_risk_points": "decimal(6,2)",
    "second_risk_driver_phrase": "varchar",
    "action_code": "varchar",
    "action_name": "varchar",
    "channel": "varchar",
    "is_contact": "boolean",
    "action_purpose": "varchar",
    "unit_cost": "decimal(10,2)",
    "expected_uplift": "decimal(6,4)",
    "value_at_stake": "decimal(18,2)",
    "expected_benefit": "decimal(18,2)",
    "net_benefit": "decimal(18,2)",
    "roi": "decimal(12,4)",
    "roi_low": "decimal(12,4)",
    "roi_high": "decimal(12,4)",
    "decision_reason": "varchar",
    "first_rule_action_code": "varchar",
    "first_rule_action_name": "varchar",
    "first_rule_roi": "decimal(12,4)",
    "min_roi": "decimal(9,4)",
    "is_in_budget": "boolean",
}

# An at-risk, high-value repeat buyer whose first proposal fell below the minimum ROI and who
# did not fit the budget. Every other row changes only what it names.
BASE: dict[str, Any] = {
    "customer_id": "13085",
    "as_of_date": "2011-12-10",
    "lifecycle_stage": "at_risk",
    "value_segment": "high",
    "rfm_segment": "cant_lose_them",
    "recency_days": 214,
    "tenure_days": 700,
    "mean_days_between_purchases": "32.00",
    "is_one_time_buyer": False,
    "expected_gap_days": "32.00",
    "overdue_ratio": "6.69",
    "orders": 14,
    "net_revenue": "4210.55",
    "net_revenue_percentile": "0.8000",
    "trend_window_days": 180,
    "orders_last_window": 2,
    "orders_prev_window": 10,
    "net_revenue_last_window": "120.00",
    "net_revenue_prev_window": "900.00",
    "return_rate": "0.0200",
    "risk_score": "72.50",
    "risk_level": "high",
    "top_risk_driver": "overdue",
    "top_risk_points": "40.00",
    "second_risk_driver": "frequency_decline",
    "second_risk_points": "20.00",
    "action_code": "retention_call",
    "action_name": "Retention call",
    "channel": "phone",
    "is_contact": True,
    "unit_cost": "12.00",
    "expected_uplift": "0.1000",
    "value_at_stake": "842.00",
    "expected_benefit": "84.20",
    "net_benefit": "72.20",
    "roi": "6.0167",
    "roi_low": "2.5100",
    "roi_high": "9.5300",
    "decision_reason": "fallback_after_low_roi",
    "first_rule_action_code": "vip_personal_call",
    "first_rule_action_name": "Personal call from the account manager",
    "first_rule_roi": "-0.4000",
    "min_roi": "0.0000",
    "is_in_budget": False,
}

NO_ACTION_FACTS: dict[str, Any] = {
    "action_code": "no_action",
    "action_name": "No action",
    "channel": "none",
    "is_contact": False,
    "unit_cost": "0.00",
    "expected_uplift": "0.0000",
    "expected_benefit": "0.00",
    "net_benefit": "0.00",
    "roi": None,
    "roi_low": None,
    "roi_high": None,
}
NO_DRIVER: dict[str, Any] = {
    "risk_score": "0.00",
    "risk_level": "low",
    "top_risk_driver": None,
    "top_risk_points": None,
    "second_risk_driver": None,
    "second_risk_points": None,
}

# (changes to BASE, the paragraph expected)
GOLDEN: list[tuple[dict[str, Any], str]] = [
    (
        # Fallback after a negative first ROI; overdue then frequency decline; not in budget.
        {},
        "Customer 13085 (Can't Lose Them) is an at-risk high-value customer: £4,210.55 net"
        " revenue over 14 orders (top 20% of customers), last purchase 214 days ago against a"
        " usual gap of 32 days. Risk is high (score 72.50 of 100), mainly because the time since"
        " their last purchase is 6.7 times their usual gap (40.00 points), and also because they"
        " placed 2 orders in the last 180 days against 10 in the 180 before (20.00 points)."
        " Personal call from the account manager would not pay back enough (ROI -0.40 is below"
        " the minimum 0.00), so the recommendation is Retention call (phone), to keep them from"
        " drifting away, at £12.00 for an expected margin of £84.20 (ROI 6.02, between 2.51 and"
        " 9.53 depending on response). It did not fit this campaign's budget.",
    ),
    (
        # A new one-time buyer with no risk driver at all.
        {
            "customer_id": "20001",
            "lifecycle_stage": "new",
            "value_segment": "low",
            "rfm_segment": "new_customers",
            "recency_days": 30,
            "tenure_days": 30,
            "mean_days_between_purchases": None,
            "is_one_time_buyer": True,
            "expected_gap_days": "90.00",
            "overdue_ratio": "0.33",
            "orders": 1,
            "net_revenue": "45.00",
            "net_revenue_percentile": "0.3000",
            "orders_last_window": 1,
            "orders_prev_window": 0,
            "net_revenue_last_window": "45.00",
            "net_revenue_prev_window": "0.00",
            "return_rate": None,
            **NO_DRIVER,
            "action_code": "onboarding_series",
            "action_name": "Welcome email series",
            "channel": "email",
            "unit_cost": "0.50",
            "expected_benefit": "3.15",
            "roi": "5.3000",
            "roi_low": "2.0000",
            "roi_high": "8.6000",
            "decision_reason": "first_matching_rule",
            "first_rule_action_code": "onboarding_series",
            "first_rule_action_name": "Welcome email series",
            "first_rule_roi": "5.3000",
            "is_in_budget": True,
        },
        "Customer 20001 (New Customers) is a new low-value customer: £45.00 net revenue over"
        " 1 order (bottom 30% of customers), one purchase day only, 30 days ago (no usual gap"
        " yet, so a gap of 90 days is assumed). Risk is low (score 0.00 of 100), with no warning"
        " sign. Recommended: Welcome email series (email), to help a new customer settle in, at"
        " £0.50 for an expected margin of £3.15 (ROI 5.30, between 2.00 and 8.60 depending on"
        " response).",
    ),
    (
        # A dormant VIP one-time buyer (two invoices on one day): recency, then overdue against
        # the assumed gap; thousands separators in money and ROI.
        {
            "customer_id": "30417",
            "lifecycle_stage": "dormant",
            "value_segment": "vip",
            "recency_days": 400,
            "tenure_days": 400,
            "mean_days_between_purchases": None,
            "is_one_time_buyer": True,
            "expected_gap_days": "90.00",
            "overdue_ratio": "4.44",
            "orders": 2,
            "net_revenue": "12345.60",
            "net_revenue_percentile": "0.9871",
            "orders_last_window": 0,
            "orders_prev_window": 0,
            "return_rate": "0.0550",
            "risk_score": "65.00",
            "risk_level": "high",
            "top_risk_driver": "recency",
            "top_risk_points": "35.00",
            "second_risk_driver": "overdue",
            "second_risk_points": "30.00",
            "action_code": "winback_offer",
            "action_name": "Win-back offer",
            "channel": "mail",
            "unit_cost": "2.75",
            "expected_benefit": "1234.50",
            "roi": "447.9091",
            "roi_low": "120.2500",
            "roi_high": "1010.1000",
            "decision_reason": "first_matching_rule",
            "first_rule_action_code": "winback_offer",
            "first_rule_action_name": "Win-back offer",
            "first_rule_roi": "447.9091",
            "is_in_budget": True,
        },
        "Customer 30417 (Can't Lose Them) is a dormant VIP customer: £12,345.60 net revenue over"
        " 2 orders (top 2% of customers), one purchase day only, 400 days ago (no usual gap yet,"
        " so a gap of 90 days is assumed). Risk is high (score 65.00 of 100), mainly because it"
        " has been 400 days since their last purchase (35.00 points), and also because the time"
        " since their last purchase is 4.4 times the assumed gap (30.00 points). Recommended:"
        " Win-back offer (mail), to win them back, at £2.75 for an expected margin of £1,234.50"
        " (ROI 447.91, between 120.25 and 1,010.10 depending on response).",
    ),
    (
        # The top customer: monetary decline to a negative net spend, then returns (12.5%
        # rounds half away from zero); a 90-day window; a usual gap of 7.25 days.
        {
            "customer_id": "14911",
            "lifecycle_stage": "active",
            "value_segment": "vip",
            "rfm_segment": "champions",
            "recency_days": 5,
            "tenure_days": 380,
            "mean_days_between_purchases": "7.25",
            "expected_gap_days": "7.25",
            "overdue_ratio": "0.69",
            "orders": 201,
            "net_revenue": "1234567.89",
            "net_revenue_percentile": "1.0000",
            "trend_window_days": 90,
            "orders_last_window": 30,
            "orders_prev_window": 32,
            "net_revenue_last_window": "-150.00",
            "net_revenue_prev_window": "25000.00",
            "return_rate": "0.1250",
            "risk_score": "30.00",
            "risk_level": "medium",
            "top_risk_driver": "monetary_decline",
            "top_risk_points": "18.00",
            "second_risk_driver": "returns",
            "second_risk_points": "12.00",
            "action_code": "vip_personal_call",
            "action_name": "Personal call from the account manager",
            "channel": "phone",
            "unit_cost": "25.00",
            "expected_benefit": "3703.70",
            "roi": "147.1480",
            "roi_low": "40.0000",
            "roi_high": "260.5000",
            "decision_reason": "first_matching_rule",
            "first_rule_action_code": "vip_personal_call",
            "first_rule_action_name": "Personal call from the account manager",
            "first_rule_roi": "147.1480",
            "is_in_budget": True,
        },
        "Customer 14911 (Champions) is an active VIP customer: £1,234,567.89 net revenue over"
        " 201 orders (top 1% of customers), last purchase 5 days ago against a usual gap of"
        " 7 days. Risk is medium (score 30.00 of 100), mainly because their net spend was -£150.00"
        " in the last 90 days against £25,000.00 before (18.00 points), and also because 12.5% of"
        " what they bought was returned (12.00 points). Recommended: Personal call from the"
        " account manager (phone), to keep a top customer close, at £25.00 for an expected"
        " margin of £3,703.70 (ROI 147.15, between 40.00 and 260.50 depending on response).",
    ),
    (
        # Frequency decline (one order), then monetary decline; decimals rounded half away
        # from zero (45.50 days, 41.25 and 18.75 points); no ROI band.
        {
            "customer_id": "15000",
            "lifecycle_stage": "cooling",
            "value_segment": "mid",
            "rfm_segment": "need_attention",
            "recency_days": 120,
            "tenure_days": 500,
            "mean_days_between_purchases": "45.50",
            "expected_gap_days": "45.50",
            "overdue_ratio": "2.64",
            "orders": 9,
            "net_revenue": "812.40",
            "net_revenue_percentile": "0.6200",
            "orders_last_window": 1,
            "orders_prev_window": 5,
            "net_revenue_last_window": "60.00",
            "net_revenue_prev_window": "400.00",
            "return_rate": "0.0000",
            "risk_score": "41.25",
            "risk_level": "medium",
            "top_risk_driver": "frequency_decline",
            "top_risk_points": "22.50",
            "second_risk_driver": "monetary_decline",
            "second_risk_points": "18.75",
            "action_code": "loyalty_reward",
            "action_name": "Loyalty voucher",
            "channel": "email",
            "unit_cost": "5.00",
            "expected_benefit": "9.50",
            "roi": "0.9000",
            "roi_low": None,
            "roi_high": None,
            "decision_reason": "first_matching_rule",
            "first_rule_action_code": "loyalty_reward",
            "first_rule_action_name": "Loyalty voucher",
            "first_rule_roi": "0.9000",
            "is_in_budget": True,
        },
        "Customer 15000 (Need Attention) is a cooling mid-value customer: £812.40 net revenue"
        " over 9 orders (top 38% of customers), last purchase 120 days ago against a usual gap of"
        " 46 days. Risk is medium (score 41.25 of 100), mainly because they placed 1 order in the"
        " last 180 days against 5 in the 180 before (22.50 points), and also because their net"
        " spend was £60.00 in the last 180 days against £400.00 before (18.75 points)."
        " Recommended: Loyalty voucher (email), to thank them and keep them loyal, at £5.00 for"
        " an expected margin of £9.50 (ROI 0.90).",
    ),
    (
        # A new repeat buyer: returns, then recency.
        {
            "customer_id": "16000",
            "lifecycle_stage": "new",
            "value_segment": "high",
            "rfm_segment": "potential_loyalist",
            "recency_days": 10,
            "tenure_days": 80,
            "mean_days_between_purchases": "35.00",
            "expected_gap_days": "35.00",
            "overdue_ratio": "0.29",
            "orders": 3,
            "net_revenue": "950.00",
            "net_revenue_percentile": "0.8500",
            "return_rate": "0.3100",
            "risk_score": "21.50",
            "risk_level": "low",
            "top_risk_driver": "returns",
            "top_risk_points": "20.00",
            "second_risk_driver": "recency",
            "second_risk_points": "1.50",
            "action_code": "cross_sell_email",
            "action_name": "Cross-sell email",
            "channel": "email",
            "unit_cost": "0.20",
            "expected_benefit": "4.00",
            "roi": "19.0000",
            "roi_low": "9.0000",
            "roi_high": "29.0000",
            "decision_reason": "first_matching_rule",
            "first_rule_action_code": "cross_sell_email",
            "first_rule_action_name": "Cross-sell email",
            "first_rule_roi": "19.0000",
            "is_in_budget": True,
        },
        "Customer 16000 (Potential Loyalist) is a new high-value customer: £950.00 net revenue"
        " over 3 orders (top 15% of customers), first purchase 80 days ago, last 10 days ago"
        " against a usual gap of 35 days. Risk is low (score 21.50 of 100), mainly because 31.0% of"
        " what they bought was returned (20.00 points), and also because it has been 10 days since"
        " their last purchase (1.50 points). Recommended: Cross-sell email (email), to suggest more"
        " products they may like, at £0.20 for an expected margin of £4.00 (ROI 19.00, between"
        " 9.00 and 29.00 depending on response).",
    ),
    (
        # One driver only; a negative ROI that still clears a negative minimum; a 1-day gap.
        {
            "customer_id": "17000",
            "value_segment": "low",
            "rfm_segment": "hibernating",
            "recency_days": 200,
            "tenure_days": 600,
            "mean_days_between_purchases": "1.00",
            "expected_gap_days": "1.00",
            "overdue_ratio": "200.00",
            "orders": 2,
            "net_revenue": "15.99",
            "net_revenue_percentile": "0.0500",
            "risk_score": "30.00",
            "risk_level": "medium",
            "top_risk_driver": "recency",
            "top_risk_points": "30.00",
            "second_risk_driver": None,
            "second_risk_points": None,
            "action_code": "reactivation_email",
            "action_name": "Reactivation email",
            "channel": "email",
            "unit_cost": "0.40",
            "expected_benefit": "0.30",
            "roi": "-0.2500",
            "roi_low": "-0.6000",
            "roi_high": "0.1000",
            "decision_reason": "first_matching_rule",
            "first_rule_action_code": "reactivation_email",
            "first_rule_action_name": "Reactivation email",
            "first_rule_roi": "-0.2500",
            "min_roi": "-0.5000",
            "is_in_budget": True,
        },
        "Customer 17000 (Hibernating) is an at-risk low-value customer: £15.99 net revenue over"
        " 2 orders (bottom 5% of customers), last purchase 200 days ago against a usual gap of"
        " 1 day. Risk is medium (score 30.00 of 100), because it has been 200 days since their"
        " last purchase (30.00 points). Recommended: Reactivation email (email), to bring them"
        " back, at £0.40 for an expected margin of £0.30 (ROI -0.25, between -0.60 and 0.10"
        " depending on response).",
    ),
    (
        # No action by rule (null ROI); out of budget is not mentioned without an action.
        {
            "customer_id": "18000",
            "lifecycle_stage": "active",
            "value_segment": "mid",
            "rfm_segment": "loyal_customers",
            "recency_days": 1,
            "tenure_days": 365,
            "mean_days_between_purchases": "20.00",
            "expected_gap_days": "20.00",
            "overdue_ratio": "0.05",
            "orders": 18,
            "net_revenue": "2400.00",
            "net_revenue_percentile": "0.7000",
            **NO_DRIVER,
            **NO_ACTION_FACTS,
            "decision_reason": "no_action_by_rule",
            "first_rule_action_code": "no_action",
            "first_rule_action_name": "No action",
            "first_rule_roi": None,
            "is_in_budget": False,
        },
        "Customer 18000 (Loyal Customers) is an active mid-value customer: £2,400.00 net revenue"
        " over 18 orders (top 30% of customers), last purchase 1 day ago against a usual gap of"
        " 20 days. Risk is low (score 0.00 of 100), with no warning sign. No action is planned for"
        " this group.",
    ),
    (
        # No action because every matching action fell below the minimum ROI.
        {
            "customer_id": "19000",
            "lifecycle_stage": "dormant",
            "value_segment": "low",
            "rfm_segment": "lost",
            "recency_days": 1500,
            "tenure_days": 1800,
            "mean_days_between_purchases": "100.00",
            "expected_gap_days": "100.00",
            "overdue_ratio": "15.00",
            "orders": 3,
            "net_revenue": "30.00",
            "net_revenue_percentile": "0.1000",
            "risk_score": "80.00",
            "risk_level": "critical",
            "top_risk_driver": "recency",
            "top_risk_points": "50.00",
            "second_risk_driver": "overdue",
            "second_risk_points": "30.00",
            **NO_ACTION_FACTS,
            "decision_reason": "no_action_low_roi",
            "first_rule_action_code": "winback_offer",
            "first_rule_action_name": "Win-back offer",
            "first_rule_roi": "-0.8500",
            "min_roi": "0.2500",
            "is_in_budget": True,
        },
        "Customer 19000 (Lost) is a dormant low-value customer: £30.00 net revenue over 3 orders"
        " (bottom 10% of customers), last purchase 1,500 days ago against a usual gap of 100 days."
        " Risk is critical (score 80.00 of 100), mainly because it has been 1,500 days since their"
        " last purchase (50.00 points), and also because the time since their last purchase is"
        " 15.0 times their usual gap (30.00 points). No action is recommended: Win-back offer"
        " would not pay back enough (ROI -0.85 is below the minimum 0.25), and neither would any"
        " other action that fits this customer.",
    ),
    (
        # The first proposal fell below the minimum and the next matching rule says no action.
        {
            "customer_id": "19500",
            "lifecycle_stage": "cooling",
            "value_segment": "low",
            "rfm_segment": "about_to_sleep",
            "recency_days": 150,
            "tenure_days": 400,
            "mean_days_between_purchases": "60.00",
            "expected_gap_days": "60.00",
            "overdue_ratio": "2.50",
            "orders": 4,
            "net_revenue": "120.00",
            "net_revenue_percentile": "0.4000",
            "risk_score": "15.00",
            "risk_level": "low",
            "top_risk_driver": "overdue",
            "top_risk_points": "15.00",
            "second_risk_driver": None,
            "second_risk_points": None,
            **NO_ACTION_FACTS,
            "decision_reason": "fallback_after_low_roi",
            "first_rule_action_code": "reactivation_email",
            "first_rule_action_name": "Reactivation email",
            "first_rule_roi": "-0.1000",
        },
        "Customer 19500 (About To Sleep) is a cooling low-value customer: £120.00 net revenue"
        " over 4 orders (bottom 40% of customers), last purchase 150 days ago against a usual gap"
        " of 60 days. Risk is low (score 15.00 of 100), because the time since their last purchase"
        " is 2.5 times their usual gap (15.00 points). Reactivation email would not pay back enough"
        " (ROI -0.10 is below the minimum 0.00), so no action is planned.",
    ),
]

# Labels outside the closed sets, and a fallback whose first proposal has no ROI.
UNKNOWN_LABELS: list[tuple[dict[str, Any], str]] = [
    (
        {
            "customer_id": "U1",
            "lifecycle_stage": "lapsed",
            "value_segment": "gold",
            "rfm_segment": "champions",
            "recency_days": 50,
            "tenure_days": 300,
            "mean_days_between_purchases": "25.00",
            "expected_gap_days": "25.00",
            "overdue_ratio": "2.00",
            "orders": 12,
            "net_revenue": "600.00",
            "net_revenue_percentile": "0.5500",
            "risk_score": "12.00",
            "risk_level": "low",
            "top_risk_driver": "web_visits",
            "top_risk_points": "12.00",
            "second_risk_driver": None,
            "second_risk_points": None,
            "action_code": "sms_nudge",
            "action_name": "Text message nudge",
            "channel": "sms",
            "unit_cost": "0.10",
            "expected_benefit": "0.90",
            "roi": "8.0000",
            "roi_low": None,
            "roi_high": None,
            "decision_reason": "manual_override",
        },
        'Customer U1 (Champions) is a customer in value segment "gold" at lifecycle stage'
        ' "lapsed": £600.00 net revenue over 12 orders (top 45% of customers), last purchase'
        " 50 days ago against a usual gap of 25 days. Risk is low (score 12.00 of 100), because"
        ' the "web_visits" warning sign applies (12.00 points). Recommended: Text message nudge'
        " (sms), at £0.10 for an expected margin of £0.90 (ROI 8.00). It did not fit this"
        " campaign's budget.",
    ),
    (
        {
            "customer_id": "U2",
            "lifecycle_stage": "lapsed",
            "value_segment": "vip",
            "risk_score": "25.00",
            "risk_level": "medium",
            "top_risk_driver": "recency",
            "top_risk_points": "20.00",
            "second_risk_driver": "web_visits",
            "second_risk_points": "5.00",
            **NO_ACTION_FACTS,
            "decision_reason": "manual_override",
        },
        'Customer U2 (Can\'t Lose Them) is a VIP customer at lifecycle stage "lapsed": £4,210.55'
        " net revenue over 14 orders (top 20% of customers), last purchase 214 days ago against a"
        " usual gap of 32 days. Risk is medium (score 25.00 of 100), mainly because it has been"
        ' 214 days since their last purchase (20.00 points), and also because the "web_visits"'
        " warning sign applies (5.00 points). No action is planned for this customer.",
    ),
    (
        {
            "customer_id": "U3",
            "lifecycle_stage": "dormant",
            "value_segment": "gold",
            "action_code": "winback_offer",
            "action_name": "Win-back offer",
            "channel": "mail",
            "unit_cost": "2.75",
            "expected_benefit": "30.00",
            "roi": "9.9091",
            "roi_low": "4.0000",
            "roi_high": "15.5000",
            "first_rule_roi": None,
            "min_roi": "0.1000",
            "is_in_budget": True,
        },
        'Customer U3 (Can\'t Lose Them) is a dormant customer in value segment "gold": £4,210.55'
        " net revenue over 14 orders (top 20% of customers), last purchase 214 days ago against a"
        " usual gap of 32 days. Risk is high (score 72.50 of 100), mainly because the time since"
        " their last purchase is 6.7 times their usual gap (40.00 points), and also because they"
        " placed 2 orders in the last 180 days against 10 in the 180 before (20.00 points)."
        " Personal call from the account manager would not pay back enough (its ROI is below the"
        " minimum 0.10), so the recommendation is Win-back offer (mail), to win them back, at"
        " £2.75 for an expected margin of £30.00 (ROI 9.91, between 4.00 and 15.50 depending on"
        " response).",
    ),
]


def _literal(value: Any, column_type: str) -> str:
    if value is None:
        return f"null::{column_type}"
    if column_type == "boolean":
        return f"{str(bool(value)).lower()}::boolean"
    if column_type.startswith("decimal"):
        return f"{Decimal(value)}::{column_type}"
    if column_type in ("bigint", "integer"):
        return f"{int(value)}::{column_type}"
    return "'" + str(value).replace("'", "''") + f"'::{column_type}"


# A facts column holding a code -> (its label set in LABELS, the facts column of its words).
CODE_WORDS: dict[str, tuple[str, str]] = {
    "lifecycle_stage": ("lifecycle_stage", "lifecycle_stage_label"),
    "value_segment": ("value_segment", "value_segment_label"),
    "rfm_segment": ("rfm_segment", "rfm_segment_label"),
    "risk_level": ("risk_level", "risk_level_label"),
    "action_code": ("action", "action_purpose"),
}


def _labelled(row: dict[str, Any], labels: Labels, quiet: tuple[str, ...]) -> dict[str, Any]:
    """`row` with the words the facts model left-joins for its codes (None for a code not there).

    `quiet` names the drivers ("top", "second") that scored a customer gone quiet, whose phrase
    is then the quiet one when the signal has one.
    """
    words = dict(row)
    for code_column, (label_set, word_column) in CODE_WORDS.items():
        words[word_column] = labels[label_set].get(row[code_column])
    for place in ("top", "second"):
        phrases = labels["risk_signal"].get(row[f"{place}_risk_driver"])
        phrase = None
        if phrases is not None:
            phrase = phrases[1] if place in quiet and phrases[1] else phrases[0]
        words[f"{place}_risk_driver_phrase"] = phrase
    return words


def _row(
    changes: dict[str, Any], labels: Labels = LABELS, quiet: tuple[str, ...] = ()
) -> dict[str, Any]:
    unknown = set(changes) - set(FACT_COLUMNS)
    assert not unknown, f"not a facts column: {unknown}"
    return _labelled({**BASE, **changes}, labels, quiet)


def _seed_rows(directory: Path, name: str) -> list[dict[str, str]]:
    with (directory / f"{name}.csv").open(newline="", encoding="utf-8") as seed:
        return list(csv.DictReader(seed))


def _seed_labels(directory: Path) -> Labels:
    """The label seeds in `directory`, read into the shape of LABELS as the facts model joins them."""

    def words(name: str, code: str, column: str) -> dict[str, str | None]:
        return {row[code]: row[column] or None for row in _seed_rows(directory, name)}

    return {
        "lifecycle_stage": words("lifecycle_stages", "lifecycle_stage", "explanation_label"),
        "value_segment": words("value_segments", "value_segment", "explanation_label"),
        "rfm_segment": words("rfm_segments", "rfm_segment", "display_label"),
        "risk_level": words("risk_levels", "risk_level", "explanation_label"),
        "risk_signal": {
            row["risk_signal"]: (
                row["explanation_phrase"],
                row["explanation_phrase_when_quiet"] or None,
            )
            for row in _seed_rows(directory, "risk_signals")
        },
        "action": words("action_catalogue", "action_code", "explanation_purpose"),
    }


def _facts_table(connection: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    values = ",\n".join(
        "(" + ", ".join(_literal(row[name], kind) for name, kind in FACT_COLUMNS.items()) + ")"
        for row in rows
    )
    columns = ", ".join(FACT_COLUMNS)
    connection.execute(
        f"create or replace table facts as select * from (values {values}) t({columns})"
    )


def _render(rows: list[dict[str, Any]], currency_symbol: str = "£") -> dict[str, str | None]:
    with duckdb.connect() as connection:
        _facts_table(connection, rows)
        result = connection.execute(
            f"select customer_id, {render_explanation_sql('duckdb', currency_symbol)} from facts"
        ).fetchall()
    return dict(result)


GOLDEN_ROWS = [_row(changes) for changes, _ in GOLDEN]


@pytest.fixture(scope="module")
def rendered() -> dict[str, str | None]:
    return _render(GOLDEN_ROWS)


@pytest.mark.parametrize(
    ("row", "expected"),
    [(row, text) for row, (_, text) in zip(GOLDEN_ROWS, GOLDEN, strict=True)],
    ids=[row["customer_id"] for row in GOLDEN_ROWS],
)
def test_golden_paragraph(rendered: dict[str, str | None], row: dict[str, Any], expected: str):
    assert rendered[row["customer_id"]] == expected


def _seed_codes(name: str, code: str) -> set[str]:
    return {row[code] for row in _seed_rows(SEEDS, name)}


def test_golden_rows_cover_every_code_of_the_seeds():
    """The hand-written cases keep covering every action, reason, driver, stage and segment."""
    # not_yet_customer is a stage of segment_migration only; `none` is no signal at all.
    stages = _seed_codes("lifecycle_stages", "lifecycle_stage") - {"not_yet_customer"}
    drivers = _seed_codes("risk_signals", "risk_signal") - {"none"}
    assert {row["action_code"] for row in GOLDEN_ROWS} == _seed_codes(
        "action_catalogue", "action_code"
    )
    assert {row["decision_reason"] for row in GOLDEN_ROWS} >= set(DECISION_REASONS)
    assert {row["top_risk_driver"] for row in GOLDEN_ROWS} - {None} == drivers
    assert {row["second_risk_driver"] for row in GOLDEN_ROWS} - {None} == drivers
    assert {row["lifecycle_stage"] for row in GOLDEN_ROWS} == stages
    assert {row["value_segment"] for row in GOLDEN_ROWS} == _seed_codes(
        "value_segments", "value_segment"
    )


def test_every_decision_reason_has_a_sentence():
    assert set(DECISION_REASONS) <= set(REASONS_WITH_ACTION) | set(REASONS_WITHOUT_ACTION)


def test_the_shipped_seeds_give_every_code_its_words():
    """Each code the explanations name has words in its seed, and a phrase names known facts."""
    labels = _seed_labels(SEEDS)
    for label_set in ("lifecycle_stage", "value_segment", "rfm_segment", "risk_level"):
        assert all(labels[label_set].values()), label_set
    contact = {
        row["action_code"]
        for row in _seed_rows(SEEDS, "action_catalogue")
        if row["is_contact"] == "true"
    }
    assert contact and all(labels["action"][code] for code in contact)
    for signal, phrases in labels["risk_signal"].items():
        for phrase in filter(None, phrases):
            named = set(re.findall(r"\{(\w+)\}", phrase))
            assert named <= set(DRIVER_PHRASE_FIELDS), (signal, named)


def test_no_paragraph_is_null_or_empty(rendered: dict[str, str | None]):
    assert len(rendered) == len(GOLDEN)
    for customer_id, text in rendered.items():
        assert text, customer_id


@pytest.mark.parametrize(
    ("changes", "expected"), UNKNOWN_LABELS, ids=[c["customer_id"] for c, _ in UNKNOWN_LABELS]
)
def test_unknown_labels_get_a_generic_true_sentence(changes: dict[str, Any], expected: str):
    assert _render([_row(changes)]) == {changes["customer_id"]: expected}


def test_a_broken_fact_makes_the_paragraph_null_not_shorter():
    """A NULL where the facts promise a value is left for the model's not_null test to catch."""
    assert _render([_row({"net_revenue": None})]) == {"13085": None}


def test_currency_symbol():
    reactivation = next(row for row in GOLDEN_ROWS if row["customer_id"] == "17000")
    assert _render([reactivation], "$") == {
        "17000": "Customer 17000 (Hibernating) is an at-risk low-value customer: $15.99 net"
        " revenue over 2 orders (bottom 5% of customers), last purchase 200 days ago against a"
        " usual gap of 1 day. Risk is medium (score 30.00 of 100), because it has been 200 days"
        " since their last purchase (30.00 points). Recommended: Reactivation email (email), to"
        " bring them back, at $0.40 for an expected margin of $0.30 (ROI -0.25, between -0.60"
        " and 0.10 depending on response)."
    }


def test_currency_symbol_is_escaped():
    top_customer = next(row for row in GOLDEN_ROWS if row["customer_id"] == "14911")
    text = _render([top_customer], "R'")["14911"]
    assert text is not None
    assert "R'1,234,567.89 net revenue" in text
    assert "-R'150.00 in the last 90 days against R'25,000.00 before" in text
    backslash = _render([top_customer], "\\")["14911"]
    assert backslash is not None
    assert "\\1,234,567.89 net revenue" in backslash


def test_a_template_may_not_hold_what_an_engine_or_dbt_would_read():
    """A backslash is an escape in Spark's SQL; a Jinja delimiter would be read by dbt."""
    assert sql_literal("campaign's budget") == "'campaign''s budget'"
    for text in ("C:\\temp", "{{ var }}", "{% if %}", "{# note #}"):
        with pytest.raises(ValueError):
            sql_literal(text)


def test_same_input_gives_the_same_text(rendered: dict[str, str | None]):
    assert _render(GOLDEN_ROWS) == rendered
    assert macro_file() == macro_file()


@pytest.mark.parametrize("adapter_type", ["duckdb", "spark"])
def test_expression_is_one_scalar_expression(adapter_type: str):
    """Speed shape: no query inside it, so the engine renders every row in one projection."""
    sql = render_explanation_sql(adapter_type)
    code = re.sub(r"'(?:[^'\\]|''|\\.)*'", "''", sql)  # the SQL outside string literals
    assert not re.search(r"\b(select|from|join|over|lateral)\b", code, re.IGNORECASE)
    assert "python" not in code.lower()
    assert "{" not in code and "}" not in code  # every Jinja call was rendered


def test_engine_specific_sql_is_only_in_the_dispatched_macros():
    """The generated expression is the same on both engines: format() is DuckDB's, format_number
    Spark's, and they come only from format_grouped."""
    generated = macro_file()
    for engine_only in ("format(", "format_number(", "printf(", "::", "varchar"):
        assert engine_only not in generated.lower(), engine_only
    assert "format(" in render_explanation_sql("duckdb")
    assert "format(" not in render_explanation_sql("spark")
    assert "format_number(" in render_explanation_sql("spark")


def test_the_committed_macro_is_what_the_templates_compile_to():
    assert MACRO_PATH.read_text(encoding="utf-8") == macro_file(), (
        f"{MACRO_PATH.relative_to(PROJECT_ROOT)} is stale: run `{REGENERATE}`"
        " (python -m customer_lifecycle.explain) and commit it"
    )
    assert main(["--check"]) == 0


def test_check_fails_on_a_stale_macro_and_passes_once_regenerated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    out = tmp_path / "explanation_sql.sql"
    out.write_text(macro_file().replace("Customer ", "Client "), encoding="utf-8")
    assert main(["--out", str(out), "--check"]) == 1
    assert REGENERATE in capsys.readouterr().err
    assert main(["--out", str(out)]) == 0
    assert main(["--out", str(out), "--check"]) == 0


def _sql_list(values: Any) -> str:
    return (
        "["
        + ", ".join("null" if value is None else _literal(value, "varchar") for value in values)
        + "]"
    )


def test_renders_200k_generated_rows():
    """Speed shape, not a timing: 200,000 synthetic customers render in one statement."""
    rows = 200_000
    stages, values = LABELS["lifecycle_stage"], LABELS["value_segment"]
    levels, signals, actions = LABELS["risk_level"], LABELS["risk_signal"], LABELS["action"]
    phrases = [phrase for phrase, _ in signals.values()]
    with duckdb.connect() as connection:
        connection.execute(
            f"""
            create table facts as
            select
                i::varchar as customer_id,
                date '2011-12-10' as as_of_date,
                {_sql_list(stages)}[1 + i % 5] as lifecycle_stage,
                {_sql_list(stages.values())}[1 + i % 5] as lifecycle_stage_label,
                {_sql_list(values)}[1 + i % 4] as value_segment,
                {_sql_list(values.values())}[1 + i % 4] as value_segment_label,
                'champions' as rfm_segment,
                'Champions' as rfm_segment_label,
                (1 + i % 700)::bigint as recency_days,
                (1 + i % 900)::bigint as tenure_days,
                case when i % 7 = 0 then null else 1 + i % 60 end::decimal(9,2)
                    as mean_days_between_purchases,
                i % 7 = 0 as is_one_time_buyer,
                case when i % 7 = 0 then 90 else 1 + i % 60 end::decimal(9,2)
                    as expected_gap_days,
                ((1 + i % 700) / case when i % 7 = 0 then 90 else 1 + i % 60 end)::decimal(9,2)
                    as overdue_ratio,
                (1 + i % 40)::bigint as orders,
                (i * 1.37)::decimal(18,2) as net_revenue,
                (i % 10000 / 10000)::decimal(9,4) as net_revenue_percentile,
                180::integer as trend_window_days,
                (i % 5)::bigint as orders_last_window,
                (i % 11)::bigint as orders_prev_window,
                (i % 900 * 1.1 - 100)::decimal(18,2) as net_revenue_last_window,
                (i % 1300 * 1.3)::decimal(18,2) as net_revenue_prev_window,
                (i % 50 / 100)::decimal(9,4) as return_rate,
                (i % 100)::decimal(6,2) as risk_score,
                {_sql_list(levels)}[1 + i % 4] as risk_level,
                {_sql_list(levels.values())}[1 + i % 4] as risk_level_label,
                case when i % 6 = 5 then null
                    else {_sql_list(signals)}[1 + i % 5] end as top_risk_driver,
                case when i % 6 = 5 then null else 1 + i % 40 end::decimal(6,2)
                    as top_risk_points,
                case when i % 6 = 5 then null
                    else {_sql_list(phrases)}[1 + i % 5] end as top_risk_driver_phrase,
                case when i % 3 = 0 or i % 6 = 5 then null
                    else {_sql_list(signals)}[1 + (i + 2) % 5] end as second_risk_driver,
                case when i % 3 = 0 or i % 6 = 5 then null else i % 20 end::decimal(6,2)
                    as second_risk_points,
                case when i % 3 = 0 or i % 6 = 5 then null
                    else {_sql_list(phrases)}[1 + (i + 2) % 5] end as second_risk_driver_phrase,
                {_sql_list(actions)}[1 + i % 8] as action_code,
                'An action' as action_name,
                'email' as channel,
                i % 8 <> 7 as is_contact,
                {_sql_list(actions.values())}[1 + i % 8] as action_purpose,
                1.50::decimal(10,2) as unit_cost,
                0.0500::decimal(6,4) as expected_uplift,
                100.00::decimal(18,2) as value_at_stake,
                5.00::decimal(18,2) as expected_benefit,
                3.50::decimal(18,2) as net_benefit,
                case when i % 8 = 7 then null else 2.3333 end::decimal(12,4) as roi,
                case when i % 8 = 7 then null else 1.1 end::decimal(12,4) as roi_low,
                case when i % 8 = 7 then null else 3.3 end::decimal(12,4) as roi_high,
                ['first_matching_rule', 'fallback_after_low_roi', 'no_action_low_roi',
                 'no_action_by_rule'][1 + i % 4] as decision_reason,
                'winback_offer' as first_rule_action_code,
                'Win-back offer' as first_rule_action_name,
                -0.2000::decimal(12,4) as first_rule_roi,
                0.0000::decimal(9,4) as min_roi,
                i % 9 <> 0 as is_in_budget
            from range({rows}) as generated(i)
            """
        )
        described = connection.execute("describe facts").fetchall()
        assert {name: kind.lower() for name, kind, *_ in described} == FACT_COLUMNS
        connection.execute(
            "create table rendered as select customer_id,"
            f" {render_explanation_sql('duckdb')} as explanation from facts"
        )
        counted = connection.execute(
            "select count(*), count(explanation), min(length(explanation)),"
            " count(distinct customer_id) from rendered"
        ).fetchall()
    [(total, not_null, shortest, customers)] = counted
    assert (total, not_null, customers) == (rows, rows, rows)
    assert shortest > 0


def quiet_row() -> dict[str, Any]:
    """A customer with no order in either trend window, scored on both declines."""
    return _row(
        {
            "customer_id": "quiet",
            "top_risk_driver": "frequency_decline",
            "second_risk_driver": "monetary_decline",
            "orders_last_window": 0,
            "orders_prev_window": 0,
            "net_revenue_last_window": "0.00",
            "net_revenue_prev_window": "0.00",
        },
        quiet=("top", "second"),
    )


def test_a_customer_gone_quiet_is_not_described_as_zero_against_zero():
    """Nothing in either trend window is a full decline; the text says so in words."""
    rendered = _render([quiet_row()])["quiet"]
    assert rendered is not None
    assert (
        "mainly because they have placed no order in the last 360 days (40.00 points), and also"
        " because they have spent nothing in the last 360 days (20.00 points)." in rendered
    )
    assert "against 0" not in rendered


def test_an_rfm_segment_or_risk_level_without_a_seed_row_is_named_by_its_code():
    text = _render([_row({"rfm_segment": "sleepers", "risk_level": "severe"})])["13085"]
    assert text is not None
    assert text.startswith("Customer 13085 (sleepers) is an at-risk high-value customer:")
    assert "Risk is severe (score 72.50 of 100), mainly because" in text


def test_renaming_labels_in_the_seeds_changes_the_paragraph_with_no_code_change(tmp_path: Path):
    """The words come from the seed rows: edit them and the same code renders new words."""
    shutil.copytree(SEEDS, tmp_path, dirs_exist_ok=True)
    renames = {
        # seed: (code column, code, word column, new word)
        "lifecycle_stages": ("lifecycle_stage", "at_risk", "explanation_label", "slipping"),
        "rfm_segments": ("rfm_segment", "cant_lose_them", "display_label", "Too Good To Lose"),
        "action_catalogue": (
            "action_code",
            "retention_call",
            "explanation_purpose",
            "to ask what went wrong",
        ),
        "risk_signals": (
            "risk_signal",
            "overdue",
            "explanation_phrase",
            "they are {overdue_ratio} times past {gap_kind}",
        ),
    }
    for seed, (code_column, code, word_column, word) in renames.items():
        rows = _seed_rows(tmp_path, seed)
        for row in rows:
            if row[code_column] == code:
                row[word_column] = word
        with (tmp_path / f"{seed}.csv").open("w", newline="", encoding="utf-8") as edited:
            writer = csv.DictWriter(edited, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)

    shipped = _render([_row({}, _seed_labels(SEEDS))])["13085"]
    renamed = _render([_row({}, _seed_labels(tmp_path))])["13085"]

    assert shipped is not None and renamed is not None
    assert renamed.startswith("Customer 13085 (Too Good To Lose) is a slipping high-value customer")
    assert "mainly because they are 6.7 times past their usual gap (40.00 points)" in renamed
    assert "Retention call (phone), to ask what went wrong, at £12.00" in renamed
    for old in ("Can't Lose Them", "at-risk", "drifting away", "the time since their last"):
        assert old in shipped
        assert old not in renamed


def test_a_null_fact_is_broken_only_where_a_driver_phrase_names_it():
    """The phrase's placeholders are filled at run time: a NULL it names nulls the paragraph."""
    named = _row({"top_risk_driver": "returns", "return_rate": None})
    unnamed = _row({"customer_id": "other", "return_rate": None})
    base_text = GOLDEN[0][1]  # the hand-written paragraph of BASE, whose drivers name no return
    assert _render([named, unnamed]) == {
        "13085": None,
        "other": base_text.replace("13085", "other", 1),
    }
