"""The dashboard, run headless with Streamlit's AppTest against warehouses the tests write.

`write_test_warehouse` writes a tiny DuckDB file by hand: schema `marts` with the tables the
dashboard reads, their columns and types taken from models/marts/_marts__models.yml (the
marts' contracts), and six customers over three snapshots. The reporting marts
(segment_metrics, risk_score_distribution) get one row per customer and snapshot, written
from the same customer rows; display_labels gets hand-made labels. The expected numbers
below are written out from those rows, so a page that computes instead of reading shows up
as a failure.

The rows have the shape a build gives: customer_snapshot_history holds every snapshot of the
build, its own as-of date (CURRENT, whose rows equal customer_360's) included; a customer of one
snapshot is in every later one, so segment_migration has no customer leaving; rule_backtest
follows the snapshots at least its horizon old. `history=False` writes what a build with
`{snapshot_frequency: none}` gives: the current snapshot alone, no migration, no backtest.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pytest
import yaml
from conftest import run_dbt_build
from streamlit.testing.v1 import AppTest

from customer_lifecycle.dashboard import __main__ as launcher
from customer_lifecycle.dashboard import data
from customer_lifecycle.generate import generate
from customer_lifecycle.paths import PROJECT_ROOT

APP = PROJECT_ROOT / "python" / "customer_lifecycle" / "dashboard" / "app.py"
MARTS_YAML = PROJECT_ROOT / "models" / "marts" / "_marts__models.yml"
TIMEOUT = 60

PAGES = {
    "overview": "views/overview.py",
    "segments": "views/segments.py",
    "risk": "views/risk.py",
    "actions": "views/actions.py",
    "customer_lookup": "views/customer_lookup.py",
    "data_quality": "views/data_quality.py",
}
TITLES = {
    "overview": "Overview",
    "segments": "Segments",
    "risk": "Risk",
    "actions": "Actions",
    "customer_lookup": "Customer lookup",
    "data_quality": "Data quality",
}

CURRENT = dt.date(2011, 12, 10)
SEPTEMBER = dt.date(2011, 9, 1)
NOVEMBER = dt.date(2011, 11, 1)
BUDGET = 18.5
KNOWN_CUSTOMER = "12346"
KNOWN_EXPLANATION = (
    "Customer 12346 (Can't Lose Them) is an at-risk high-value customer who has gone quiet "
    "for 199 days. Recommended: Retention call (phone)."
)

# -- the tiny warehouse -----------------------------------------------------------------------

_FIELDS = [
    "customer_id",
    "country",
    "lifecycle_stage",
    "value_segment",
    "rfm_segment",
    "rfm_score",
    "risk_score",
    "risk_level",
    "top_risk_driver",
    "second_risk_driver",
    "points",
    "action_code",
    "action_name",
    "channel",
    "unit_cost",
    "value_at_stake",
    "expected_benefit",
    "roi",
    "roi_low",
    "roi_high",
    "is_in_budget",
    "net_revenue",
    "orders",
    "recency_days",
    "tenure_days",
]
_SIGNALS = ("recency", "overdue", "frequency_decline", "monetary_decline", "returns")
_WEIGHTS = (0.30, 0.25, 0.20, 0.15, 0.10)
# fmt: off
_CUSTOMERS = [
    ("12345", "United Kingdom", "active", "vip", "champions", "555", 3.50, "low", "recency", None,
     (3.50, 0, 0, 0, 0), "loyalty_reward", "Loyalty reward", "mail",
     5.00, 5200.00, 520.00, 103.0, 51.0, 155.0, True, 15000.00, 20, 5, 700),
    ("12346", "United Kingdom", "at_risk", "high", "cant_lose_them", "255", 86.70, "critical",
     "overdue", "recency", (23.82, 25.00, 20.00, 15.00, 2.88), "retention_call", "Retention call",
     "phone", 12.00, 8156.82, 815.68, 66.97, 32.99, 100.96, True, 12492.22, 8, 199, 559),
    ("12347", "Germany", "dormant", "low", "lost", "111", 59.06, "high", "recency", "overdue",
     (30.00, 25.00, 0, 0, 4.06), "no_action", "No action", "none",
     0.00, 20.28, 0.00, None, None, None, False, 20.28, 1, 457, 457),
    ("12348", "France", "new", "mid", "new_customers", "513", 4.10, "low", "recency", None,
     (4.10, 0, 0, 0, 0), "onboarding_series", "Onboarding email series", "email",
     1.00, 900.00, 90.00, 89.0, 43.0, 134.0, True, 600.00, 1, 12, 12),
    ("12349", "United Kingdom", "cooling", "mid", "about_to_sleep", "323", 30.25, "medium",
     "overdue", "recency", (10.25, 12.00, 5.00, 3.00, 0), "reactivation_email",
     "Reactivation email", "email", 0.50, 700.00, 28.00, 55.0, 20.0, 90.0, False, 1400.00, 3, 140,
     300),
    ("12350", "Germany", "active", "high", "loyal_customers", "445", 10.00, "low", "returns",
     "recency", (2.00, 0, 0, 0, 8.00), "cross_sell_email", "Cross-sell email", "email",
     0.30, 3000.00, 150.00, 499.0, 249.0, 999.0, True, 5200.00, 9, 30, 400),
]
# The snapshots before CURRENT (customer_snapshot_history also gets CURRENT's rows, from
# _CUSTOMERS): as_of, customer, country, stage, value, rfm segment, risk score, level,
# net revenue, recency days, orders. 12348 first bought after NOVEMBER.
_HISTORY = [
    (SEPTEMBER, "12345", "United Kingdom", "active", "vip", "champions", 2.00, "low", 11000.00, 10, 15),
    (SEPTEMBER, "12346", "United Kingdom", "active", "high", "loyal_customers", 12.00, "low", 12400.00, 60, 7),
    (SEPTEMBER, "12347", "Germany", "at_risk", "low", "hibernating", 55.00, "high", 20.28, 357, 1),
    (SEPTEMBER, "12349", "United Kingdom", "active", "mid", "potential_loyalist", 8.00, "low", 1200.00, 20, 2),
    (SEPTEMBER, "12350", "Germany", "new", "high", "new_customers", 3.00, "low", 3000.00, 15, 4),
    (NOVEMBER, "12345", "United Kingdom", "active", "vip", "champions", 2.50, "low", 14000.00, 12, 19),
    (NOVEMBER, "12346", "United Kingdom", "cooling", "high", "at_risk", 48.00, "medium", 12492.22, 160, 8),
    (NOVEMBER, "12347", "Germany", "dormant", "low", "lost", 58.00, "high", 20.28, 418, 1),
    (NOVEMBER, "12349", "United Kingdom", "cooling", "mid", "about_to_sleep", 26.00, "medium", 1400.00, 101, 3),
    (NOVEMBER, "12350", "Germany", "active", "high", "loyal_customers", 6.00, "low", 4800.00, 20, 8),
]
_MIGRATION = [
    (SEPTEMBER, NOVEMBER, "active", "active", 1, 14000.00, 3000.00),
    (SEPTEMBER, NOVEMBER, "active", "cooling", 2, 13892.22, 292.22),
    (SEPTEMBER, NOVEMBER, "at_risk", "dormant", 1, 20.28, 0.00),
    (SEPTEMBER, NOVEMBER, "new", "active", 1, 4800.00, 1800.00),
    (NOVEMBER, CURRENT, "active", "active", 2, 20200.00, 1400.00),
    (NOVEMBER, CURRENT, "cooling", "at_risk", 1, 12492.22, 0.00),
    (NOVEMBER, CURRENT, "cooling", "cooling", 1, 1400.00, 0.00),
    (NOVEMBER, CURRENT, "dormant", "dormant", 1, 20.28, 0.00),
    (NOVEMBER, CURRENT, "not_yet_customer", "new", 1, 600.00, 600.00),
]
# marts.display_labels: label set, code, display order, label, colour. The labels of the
# seeds, in their order, but written here: the dashboard must show whatever this mart says.
_LABELS = [
    ("lifecycle_stage", "not_yet_customer", 0, "Not yet a customer", "#BFD3E6"),
    ("lifecycle_stage", "new", 1, "New", "#4C9BE8"),
    ("lifecycle_stage", "active", 2, "Active", "#2E9E5B"),
    ("lifecycle_stage", "cooling", 3, "Cooling", "#E9B949"),
    ("lifecycle_stage", "at_risk", 4, "At risk", "#E8743B"),
    ("lifecycle_stage", "dormant", 5, "Dormant", "#8A8F98"),
    ("value_segment", "vip", 1, "VIP", "#5B3A96"),
    ("value_segment", "high", 2, "High", "#3C6FB6"),
    ("value_segment", "mid", 3, "Mid", "#8FB3DE"),
    ("value_segment", "low", 4, "Low", "#C9D3DF"),
    ("risk_level", "low", 1, "Low", "#2E9E5B"),
    ("risk_level", "medium", 2, "Medium", "#E9B949"),
    ("risk_level", "high", 3, "High", "#E8743B"),
    ("risk_level", "critical", 4, "Critical", "#C0392B"),
    ("risk_signal", "recency", 1, "Recency", "#3C6FB6"),
    ("risk_signal", "overdue", 2, "Overdue", "#E8743B"),
    ("risk_signal", "frequency_decline", 3, "Frequency decline", "#9B59B6"),
    ("risk_signal", "monetary_decline", 4, "Monetary decline", "#C0392B"),
    ("risk_signal", "returns", 5, "Returns", "#8A8F98"),
    ("risk_signal", "none", 6, "No warning sign", "#D5D8DC"),
    ("rfm_segment", "champions", 1, "Champions", "#1E7B45"),
    ("rfm_segment", "loyal_customers", 2, "Loyal Customers", "#2E9E5B"),
    ("rfm_segment", "potential_loyalist", 3, "Potential Loyalist", "#3C6FB6"),
    ("rfm_segment", "new_customers", 4, "New Customers", "#4C9BE8"),
    ("rfm_segment", "about_to_sleep", 7, "About To Sleep", "#F0CF7E"),
    ("rfm_segment", "cant_lose_them", 8, "Can't Lose Them", "#C0392B"),
    ("rfm_segment", "at_risk", 9, "At Risk", "#E8743B"),
    ("rfm_segment", "hibernating", 10, "Hibernating", "#A5AAB2"),
    ("rfm_segment", "lost", 11, "Lost", "#8A8F98"),
    ("action", "retention_call", 2, "Retention call", "#C0392B"),
    ("action", "loyalty_reward", 4, "Loyalty reward", "#2E9E5B"),
    ("action", "onboarding_series", 5, "Onboarding email series", "#4C9BE8"),
    ("action", "reactivation_email", 6, "Reactivation email", "#E9B949"),
    ("action", "cross_sell_email", 7, "Cross-sell email", "#3C6FB6"),
    ("action", "no_action", 8, "No action", "#A5AAB2"),
    ("rejection_reason", "missing_customer_id", 8, "Missing customer ID", "#8A8F98"),
    ("rejection_reason", "duplicate_line", 12, "Duplicate line", "#3C6FB6"),
    ("currency", "symbol", 1, "£", None),
]
# The risk levels seeds/risk_levels.csv flags is_at_risk, and the width of the risk-score bins
# (the var risk_score_bin_width), as the reporting marts apply them.
_AT_RISK_LEVELS = ("high", "critical")
_BIN_WIDTH = 5
# fmt: on


def mart_contract(mart: str) -> list[tuple[str, str]]:
    """(column, data type) of a mart, in order, from its contract in the marts' YAML."""
    models = yaml.safe_load(MARTS_YAML.read_text(encoding="utf-8"))["models"]
    (model,) = (model for model in models if model["name"] == mart)
    columns = [(column["name"], column["data_type"]) for column in model["columns"]]
    assert all(data_type for _, data_type in columns), f"untyped columns in {mart}"
    return columns


def _customer_rows(campaign_budget: float | None) -> list[dict[str, Any]]:
    rows = []
    for values in _CUSTOMERS:
        row = dict(zip(_FIELDS, values, strict=True))
        if campaign_budget is None and row["action_code"] != "no_action":
            row["is_in_budget"] = True  # without a budget everyone with an action is in
        row["net_benefit"] = round(row["expected_benefit"] - row["unit_cost"], 2)
        row["explanation"] = (
            KNOWN_EXPLANATION
            if row["customer_id"] == KNOWN_CUSTOMER
            else f"Customer {row['customer_id']} is {row['lifecycle_stage']} (test paragraph)."
        )
        rows.append(row)
    return rows


def _bin(score: float) -> tuple[float, float]:
    """The risk-score bin [start, end) of `score`; the last bin holds 100 too."""
    start = min(int(score // _BIN_WIDTH) * _BIN_WIDTH, 100 - _BIN_WIDTH)
    return float(start), float(start + _BIN_WIDTH)


def _reporting_rows(
    snapshot: dict[str, Any], points: tuple[float, ...], decided: dict[str, Any] | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """One customer at one snapshot as a segment_metrics and a risk_score_distribution row.

    `snapshot` has the history's columns; `decided` the current build's action columns (None
    on an earlier snapshot, where they are null).
    """
    cell = {
        "as_of_date": snapshot["as_of_date"],
        "is_current": snapshot["as_of_date"] == CURRENT,
        "country": snapshot["country"],
        "lifecycle_stage": snapshot["lifecycle_stage"],
        "value_segment": snapshot["value_segment"],
        "risk_level": snapshot["risk_level"],
    }
    at_risk = snapshot["risk_level"] in _AT_RISK_LEVELS
    metrics = cell | {
        "rfm_segment": snapshot["rfm_segment"],
        "top_risk_driver": snapshot["top_risk_driver"] or "none",
        "customers": 1,
        "net_revenue": snapshot["net_revenue"],
        "risk_score_total": snapshot["risk_score"],
        "customers_at_risk": int(at_risk),
    }
    metrics |= {
        f"{signal}_points_total": value for signal, value in zip(_SIGNALS, points, strict=True)
    }
    if decided is not None:
        cost = decided["unit_cost"]
        # The band's net benefit is its ROI times the cost (none without an ROI: no cost).
        low, high = (
            0.0 if decided[roi] is None else round(decided[roi] * cost, 2)
            for roi in ("roi_low", "roi_high")
        )
        metrics |= {
            "action_code": decided["action_code"],
            "is_in_budget": decided["is_in_budget"],
            "value_at_stake": decided["value_at_stake"],
            "revenue_at_risk": decided["value_at_stake"] if at_risk else 0.0,
            "action_cost": cost,
            "expected_benefit": decided["expected_benefit"],
            "expected_benefit_low": round(low + cost, 2),
            "expected_benefit_high": round(high + cost, 2),
            "net_benefit": decided["net_benefit"],
            "net_benefit_low": low,
            "net_benefit_high": high,
        }
    start, end = _bin(snapshot["risk_score"])
    distribution = cell | {"risk_score_bin_start": start, "risk_score_bin_end": end, "customers": 1}
    return metrics, distribution


def _tables(campaign_budget: float | None, history_on: bool) -> dict[str, list[dict[str, Any]]]:
    customers = _customer_rows(campaign_budget)
    customer_360, risk, history = [], [], []
    segment_metrics: list[dict[str, Any]] = []
    risk_distribution: list[dict[str, Any]] = []
    for row in customers:
        points = dict(zip(_SIGNALS, row["points"], strict=True))
        common = {"customer_id": row["customer_id"], "as_of_date": CURRENT}
        customer_360.append(
            common
            | {key: row[key] for key in _FIELDS if key != "points"}
            | {
                "first_purchase_date": CURRENT - dt.timedelta(days=row["tenure_days"]),
                "last_purchase_date": CURRENT - dt.timedelta(days=row["recency_days"]),
                "top_risk_points": max(points.values()),
                "net_benefit": row["net_benefit"],
                "decision_reason": "no_action_low_roi"
                if row["action_code"] == "no_action"
                else "first_matching_rule",
                "historical_lifetime_value": row["net_revenue"],
                "is_at_risk": row["risk_level"] in _AT_RISK_LEVELS,
                "explanation": row["explanation"],
            }
        )
        risk.append(
            common
            | {
                "risk_score": row["risk_score"],
                "risk_level": row["risk_level"],
                "top_risk_driver": row["top_risk_driver"],
                "second_risk_driver": row["second_risk_driver"],
                "recency_days": row["recency_days"],
            }
            | {f"{signal}_points": value for signal, value in points.items()}
            | {
                f"{signal}_signal": round(value / (weight * 100), 6)
                for (signal, value), weight in zip(points.items(), _WEIGHTS, strict=True)
            }
        )
        history.append(
            common
            | {
                key: row[key]
                for key in (
                    "country",
                    "lifecycle_stage",
                    "value_segment",
                    "rfm_segment",
                    "risk_score",
                    "risk_level",
                    "net_revenue",
                    "recency_days",
                    "orders",
                )
            }
        )
        metrics, distribution = _reporting_rows(history[-1] | row, row["points"], row)
        segment_metrics.append(metrics)
        risk_distribution.append(distribution)
    for (
        as_of,
        customer,
        country,
        stage,
        value,
        rfm,
        score,
        level,
        revenue,
        recency,
        orders,
    ) in _HISTORY if history_on else ():
        snapshot = {
            "as_of_date": as_of,
            "customer_id": customer,
            "country": country,
            "lifecycle_stage": stage,
            "value_segment": value,
            "rfm_segment": rfm,
            "risk_score": score,
            "risk_level": level,
            "net_revenue": revenue,
            "recency_days": recency,
            "orders": orders,
        }
        history.append(snapshot)
        # Earlier snapshots put every point of the score on recency, its top driver.
        metrics, distribution = _reporting_rows(
            snapshot | {"top_risk_driver": "recency"}, (score, 0, 0, 0, 0), None
        )
        segment_metrics.append(metrics)
        risk_distribution.append(distribution)
    plan = []
    for row in customers:
        in_budget = bool(row["is_in_budget"])
        plan.append(
            {
                "as_of_date": CURRENT,
                "action_code": row["action_code"],
                "action_name": row["action_name"],
                "channel": row["channel"],
                "customers": 1,
                "total_cost": row["unit_cost"],
                "total_expected_benefit": row["expected_benefit"],
                "total_net_benefit": row["net_benefit"],
                "roi": row["roi"],
                "roi_low": row["roi_low"],
                "roi_high": row["roi_high"],
                "customers_in_budget": int(in_budget),
                "cost_in_budget": row["unit_cost"] if in_budget else 0,
                "expected_benefit_in_budget": row["expected_benefit"] if in_budget else 0,
                "campaign_budget": campaign_budget,
            }
        )
    return {
        "customer_360": customer_360,
        "customer_risk": risk,
        "customer_snapshot_history": history,
        "segment_metrics": segment_metrics,
        "risk_score_distribution": risk_distribution,
        "display_labels": [
            dict(
                zip(
                    ("label_set", "code", "display_order", "display_label", "colour"),
                    label,
                    strict=True,
                )
            )
            | {"description": f"What {label[1]} means."}
            for label in _LABELS
        ],
        "action_plan": plan,
        "segment_migration": [
            dict(
                zip(
                    (
                        "from_as_of_date",
                        "to_as_of_date",
                        "from_stage",
                        "to_stage",
                        "customers",
                        "net_revenue",
                        "net_revenue_change",
                    ),
                    move,
                    strict=True,
                )
            )
            for move in (_MIGRATION if history_on else ())
        ],
        "cohort_retention": [
            {
                "as_of_date": CURRENT,
                "acquisition_month": month,
                "months_since_acquisition": since,
                "activity_month": activity,
                "cohort_customers": size,
                "active_customers": active,
                "active_share": round(active / size, 4),
                "net_revenue": revenue,
            }
            for month, since, activity, size, active, revenue in (
                (dt.date(2010, 1, 1), 0, dt.date(2010, 1, 1), 4, 4, 2000.00),
                (dt.date(2010, 1, 1), 1, dt.date(2010, 2, 1), 4, 2, 900.00),
                (dt.date(2010, 1, 1), 2, dt.date(2010, 3, 1), 4, 3, 1200.00),
                (dt.date(2011, 12, 1), 0, dt.date(2011, 12, 1), 1, 1, 600.00),
            )
        ],
        "rule_backtest": [
            {
                "as_of_date": CURRENT,
                "snapshot_date": SEPTEMBER,
                "horizon_end_date": SEPTEMBER + dt.timedelta(days=90),
                "horizon_days": 90,
                "dimension": dimension,
                "segment": segment,
                "customers": size,
                "repurchasing_customers": bought,
                "repurchase_share": round(bought / size, 4),
                "horizon_net_revenue": revenue,
                "net_revenue_per_customer": round(revenue / size, 2),
            }
            for dimension, segment, size, bought, revenue in (
                ("risk_level", "low", 4, 3, 4600.00),
                ("risk_level", "high", 1, 0, 0.00),
                ("lifecycle_stage", "active", 3, 3, 4000.00),
                ("lifecycle_stage", "at_risk", 1, 0, 0.00),
                ("lifecycle_stage", "new", 1, 0, 600.00),
            )
            if history_on
        ],
        "data_quality_report": [
            {
                "transactions_path": "/data/online_retail_ii.csv",
                "input_files": 1,
                "lines_read": 100,
                "lines_accepted": 97,
                "lines_rejected": 3,
                "rejected_share": 0.03,
                "max_rejected_share": 0.5,
                "is_balanced": True,
                "accepted_sale_lines": 90,
                "accepted_return_lines": 5,
                "accepted_adjustment_lines": 1,
                "accepted_non_product_lines": 1,
                "rejected_blank_line": 0,
                "rejected_malformed_line": 0,
                "rejected_missing_invoice_id": 0,
                "rejected_missing_stock_code": 0,
                "rejected_unparseable_date": 0,
                "rejected_unparseable_number": 0,
                "rejected_missing_customer_id": 2,
                "rejected_zero_quantity": 0,
                "rejected_non_positive_price": 0,
                "rejected_quantity_sign_mismatch": 0,
                "rejected_duplicate_line": 1,
                "first_invoiced_at": dt.datetime(2009, 12, 1, 8, 39),
                "last_invoiced_at": dt.datetime(2011, 12, 9, 19, 11),
                "distinct_invoices": 40,
                "distinct_customers": 6,
            }
        ],
        "rejected_transactions": [
            {
                "source_file": "/data/online_retail_ii.csv",
                "source_line_number": line,
                "rejection_reason": reason,
                "rejection_detail": detail,
                "raw_line": raw,
                "invoice_id": raw.split(",")[0],
                "customer_id": None,
            }
            for line, reason, detail, raw in (
                (
                    12,
                    "missing_customer_id",
                    "no customer id",
                    "489464,21733,RED HANGING HEART,6,2009-12-02 10:08:00,2.95,,United Kingdom",
                ),
                (
                    5,
                    "missing_customer_id",
                    "no customer id",
                    "489440,22111,HOT WATER BOTTLE,4,2009-12-01 10:00:00,4.25,NA,United Kingdom",
                ),
                (
                    9,
                    "duplicate_line",
                    "same text as an earlier line",
                    "489434,21718B,LOVE TISSUE PAPER GREY,60,2009-12-01 08:39:00,1.55,13598.0,UK",
                ),
            )
        ],
    }


def write_test_warehouse(
    path: Path,
    campaign_budget: float | None = BUDGET,
    marts: tuple[str, ...] | None = None,
    history: bool = True,
) -> Path:
    """Writes the tiny warehouse to `path` (replacing it) and returns the path.

    `history=False`: as built with `{snapshot_frequency: none}`, the current snapshot alone.
    """
    path.unlink(missing_ok=True)
    tables = _tables(campaign_budget, history_on=history)
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema marts")
        for name, rows in tables.items():
            if marts is not None and name not in marts:
                continue
            contract = mart_contract(name)
            connection.execute(
                f"create table marts.{name} ("
                + ", ".join(f"{column} {data_type}" for column, data_type in contract)
                + ")"
            )
            columns = [column for column, _ in contract]
            unknown = {key for row in rows for key in row} - set(columns)
            assert not unknown, f"{name} has no column(s) {unknown}"
            if not rows:
                continue
            connection.executemany(
                f"insert into marts.{name} ({', '.join(columns)})"
                f" values ({', '.join('?' for _ in columns)})",
                [[row.get(column) for column in columns] for row in rows],
            )
    return path


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = write_test_warehouse(tmp_path / "warehouse.duckdb")
    monkeypatch.setenv("CUSTOMER_LIFECYCLE_DB", str(path))
    yield path


# -- helpers ----------------------------------------------------------------------------------


def open_app(page: str | None = None) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    if page is not None:
        app.switch_page(PAGES[page]).run()
    return app


def assert_clean(app: AppTest) -> None:
    assert not app.exception, [element.value for element in app.exception]
    assert not app.error, [element.value for element in app.error]


def charts(app: AppTest) -> int:
    return len(app.get("plotly_chart"))


def traces(app: AppTest) -> list[dict[str, Any]]:
    """Every Plotly trace the page drew, as the figure specs sent to the browser hold them."""
    return [
        trace
        for chart in app.get("plotly_chart")
        for trace in json.loads(chart.proto.spec).get("data", [])
    ]


def values(array: Any) -> list[Any]:
    """A trace's array as a list: Plotly sends numeric arrays as base64 typed arrays."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def sankey_customers(app: AppTest) -> int:
    """Customers the stage-migration Sankey shows moving (summed over its links)."""
    return sum(sum(values(t["link"]["value"])) for t in traces(app) if t.get("type") == "sankey")


def backtest_segments(app: AppTest) -> list[str]:
    """The segments of the first pooled backtest chart (by risk level), in drawn order."""
    bars = [t for t in traces(app) if "customer-snapshots" in t.get("hovertemplate", "")]
    return values(bars[0]["x"]) if bars else []


def timeline_points(app: AppTest) -> int:
    """Points of the customer timeline's net-revenue line."""
    lines = [t for t in traces(app) if t.get("name") == "Net revenue"]
    assert len(lines) == 1, [t.get("name") for t in traces(app)]
    return len(values(lines[0]["x"]))


def metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def tooltips(app: AppTest) -> dict[str, str]:
    """Each KPI tile's tooltip, markdown escapes removed."""
    return {metric.label: metric.proto.help.replace("\\", "") for metric in app.metric}


def texts(elements: Any) -> str:
    return "\n".join(str(element.value) for element in elements)


def table_counts(path: Path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as connection:
        names = [
            name
            for (name,) in connection.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
                " order by 1"
            ).fetchall()
        ]
        return {
            name: connection.execute(f"select count(*) from marts.{name}").fetchall()[0][0]
            for name in names
        }


# -- every page -------------------------------------------------------------------------------

# page -> (plotly charts, metrics) at least, with default filters on the tiny warehouse
EXPECTED = {
    "overview": (2, 5),
    "segments": (4, 0),  # treemap, sankey, matrix, cohorts
    "risk": (6, 0),  # histogram, drivers, signal points, backtest x2, backtest by stage
    "actions": (3, 6),  # budget, cost/benefit, ROI band; 4 KPIs + 2 budget tiles
    "customer_lookup": (0, 0),
    "data_quality": (2, 4),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_with_default_filters(warehouse: Path, page: str) -> None:
    app = open_app(page)
    assert_clean(app)
    assert [title.value for title in app.title] == [TITLES[page]]
    least_charts, least_metrics = EXPECTED[page]
    assert charts(app) >= least_charts
    assert len(app.metric) >= least_metrics
    # The shared filters are in the sidebar on every page.
    assert [box.key for box in app.sidebar.selectbox] == ["filter_snapshot"]
    assert len(app.sidebar.multiselect) == 4
    assert "No customers match" not in texts(app.info)


def test_filter_options_come_from_the_marts(warehouse: Path) -> None:
    app = open_app()
    assert app.multiselect(key="filter_countries").options == [
        "France",
        "Germany",
        "United Kingdom",
    ]
    assert app.selectbox(key="filter_snapshot").options == [
        "2011-12-10 (current build)",
        "2011-11-01",
        "2011-09-01",
    ]


def test_overview_reads_its_numbers_from_the_marts(warehouse: Path) -> None:
    app = open_app("overview")
    # Compact in the tile, exact in its tooltip.
    assert metrics(app) == {
        "Customers": "6",
        "Net revenue": "£34.7k",  # 15,000 + 12,492.22 + 20.28 + 600 + 1,400 + 5,200
        "Revenue at risk": "£8.18k",  # 12346 (critical) 8,156.82 + 12347 (high) 20.28
        "Planned spend": "£18.30",  # 12 + 5 + 1 + 0.30 in budget
        "Expected margin": "£1.58k",  # 815.68 + 520 + 90 + 150
    }
    helps = tooltips(app)
    assert "Exact figure: £34,712.50." in helps["Net revenue"]
    assert "Exact figure: £8,177.10." in helps["Revenue at risk"]
    assert "2 customers" in helps["Revenue at risk"]
    assert "Exact figure: 6." in helps["Customers"]
    app.multiselect(key="filter_countries").set_value(["Germany"]).run()
    assert_clean(app)
    shown = metrics(app)
    assert shown["Customers"] == "2"
    assert shown["Net revenue"] == "£5.22k"  # 20.28 + 5,200
    assert shown["Revenue at risk"] == "£20.28"  # 12347 is high risk with 20.28 at stake
    assert shown["Expected margin"] == "£150"  # 12350's cross-sell email
    app.multiselect(key="filter_risk_levels").set_value(["low"]).run()
    assert_clean(app)
    shown = metrics(app)
    assert (shown["Customers"], shown["Revenue at risk"]) == ("1", "£0.00")


def test_the_risk_page_sums_the_reporting_marts(warehouse: Path) -> None:
    app = open_app("risk")
    drawn = traces(app)
    # The histogram: customers per 5-point bin (drawn at its middle), stacked by level.
    histogram = {
        t["name"]: sorted(zip(values(t["x"]), values(t["y"]), strict=True))
        for t in drawn
        if "with a score from" in t.get("hovertemplate", "")
    }
    assert histogram == {
        "Low": [(2.5, 2), (12.5, 1)],  # 3.50 and 4.10 in [0, 5), 10.00 in [10, 15)
        "Medium": [(32.5, 1)],  # 30.25
        "High": [(57.5, 1)],  # 59.06
        "Critical": [(87.5, 1)],  # 86.70
    }
    # Average points per level: the sum of the points over the customers of the level.
    (recency,) = (
        t for t in drawn if t.get("name") == "Recency" and "on average" in t["hovertemplate"]
    )
    by_level = dict(zip(values(recency["x"]), values(recency["y"]), strict=True))
    assert by_level["Low"] == pytest.approx((3.50 + 4.10 + 2.00) / 3)
    assert by_level["Critical"] == pytest.approx(23.82)
    (drivers,) = (t for t in drawn if t.get("hovertemplate", "").startswith("%{y}: %{x:,} cust"))
    assert dict(zip(values(drivers["y"]), values(drivers["x"]), strict=True)) == {
        "Recency": 3,
        "Overdue": 2,
        "Returns": 1,
    }
    # The pooled backtest: repurchasers over customers, summed over the snapshots.
    pooled = next(t for t in drawn if "customer-snapshots" in t.get("hovertemplate", ""))
    assert values(pooled["y"]) == pytest.approx([3 / 4, 0 / 1])


def test_renaming_a_label_in_display_labels_renames_it_on_the_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_test_warehouse(tmp_path / "relabelled.duckdb")
    with duckdb.connect(str(path)) as connection:
        for label_set, code, label, colour in (
            ("rfm_segment", "champions", "Best of the best", "#123456"),
            ("lifecycle_stage", "active", "Buying", None),
            ("risk_level", "critical", "Red alert", None),
            ("currency", "symbol", "€", None),
        ):
            connection.execute(
                "update marts.display_labels set display_label = ?,"
                " colour = coalesce(?, colour) where label_set = ? and code = ?",
                [label, colour, label_set, code],
            )
        # Critical first: the order comes from the mart too.
        connection.execute(
            "update marts.display_labels set display_order = 0"
            " where label_set = 'risk_level' and code = 'critical'"
        )
    monkeypatch.setenv("CUSTOMER_LIFECYCLE_DB", str(path))
    app = open_app("segments")
    assert_clean(app)
    (treemap,) = (t for t in traces(app) if t.get("type") == "treemap")
    labels = list(treemap["labels"])
    assert "Best of the best" in labels and "Champions" not in labels
    assert treemap["marker"]["colors"][labels.index("Best of the best")] == "#123456"
    assert "Buying" in app.multiselect(key="filter_stages").options
    assert "Active" not in app.multiselect(key="filter_stages").options
    assert app.multiselect(key="filter_risk_levels").options[0] == "Red alert"
    app.switch_page(PAGES["overview"]).run()
    assert_clean(app)
    assert metrics(app)["Net revenue"] == "€34.7k"
    app.switch_page(PAGES["customer_lookup"]).run()
    app.text_input(key="lookup_customer_id").set_value("12345").run()
    assert_clean(app)
    assert metrics(app)["Lifecycle stage"] == "Buying"
    assert "Best of the best" in texts(app.markdown)


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("overview", "No customers match these filters"),
        ("segments", "No customers match these filters"),
        ("risk", "No customers match these filters"),
        ("actions", "No customers match these filters"),
    ],
)
def test_filters_that_leave_nothing_say_so(warehouse: Path, page: str, message: str) -> None:
    app = open_app(page)
    app.multiselect(key="filter_countries").set_value(["France"]).run()
    app.multiselect(key="filter_stages").set_value(["dormant"]).run()
    assert_clean(app)
    assert message in texts(app.info)
    if page == "overview":
        assert charts(app) == 0
        assert not app.metric


def test_clear_filters_resets_every_filter(warehouse: Path) -> None:
    app = open_app("risk")
    assert not app.sidebar.button  # nothing to clear yet
    app.multiselect(key="filter_countries").set_value(["Germany"]).run()
    app.selectbox(key="filter_snapshot").set_value(NOVEMBER).run()
    assert app.sidebar.button[0].label == "Clear filters"
    app.sidebar.button[0].click().run()
    assert_clean(app)
    assert app.multiselect(key="filter_countries").value == []
    assert app.selectbox(key="filter_snapshot").value == CURRENT
    assert not app.sidebar.button


def test_an_earlier_snapshot_reads_the_history(warehouse: Path) -> None:
    app = open_app("overview")
    app.selectbox(key="filter_snapshot").set_value(SEPTEMBER).run()
    assert_clean(app)
    shown = metrics(app)
    assert shown["Customers"] == "5"
    assert shown["Net revenue"] == "£27.6k"  # 11,000 + 12,400 + 20.28 + 1,200 + 3,000
    assert shown["Revenue at risk"] == "n/a"
    assert charts(app) == 2

    app.switch_page(PAGES["actions"]).run()
    assert_clean(app)
    assert "exist for the current build only" in texts(app.info)

    # The migration pair defaults to the one that ends at the chosen snapshot.
    app.selectbox(key="filter_snapshot").set_value(NOVEMBER).run()
    app.switch_page(PAGES["segments"]).run()
    assert_clean(app)
    assert app.selectbox(key="segments_migration_pair").value == (SEPTEMBER, NOVEMBER)


def test_the_history_panels_read_their_marts(warehouse: Path) -> None:
    app = open_app("segments")
    assert app.selectbox(key="segments_migration_pair").value == (NOVEMBER, CURRENT)
    # Every customer of CURRENT: five from NOVEMBER, 12348 from 'not yet a customer'.
    assert sankey_customers(app) == 6
    (sankey,) = (t for t in traces(app) if t.get("type") == "sankey")
    assert [label for label in sankey["node"]["label"] if label.endswith("(after)")] == [
        f"{stage} (after)" for stage in ("New", "Active", "Cooling", "At risk", "Dormant")
    ]
    assert "Not yet a customer (before)" in sankey["node"]["label"]

    app.switch_page(PAGES["risk"]).run()
    assert_clean(app)
    assert backtest_segments(app) == ["Low", "High"]  # SEPTEMBER, the one snapshot 90 days old
    assert "For each of 1 earlier snapshot(s) of this build" in texts(app.caption)


def test_the_budget_is_shown_against_the_plan(warehouse: Path) -> None:
    app = open_app("actions")
    shown = metrics(app)
    assert shown["Campaign budget"] == "£18.50"
    assert shown["Used by the plan"] == "£18.30"
    assert shown["Customers to contact"] == "4"
    assert [button.label for button in app.get("download_button")] == [
        "Download the contact list (CSV)"
    ]


def test_without_a_budget_the_page_says_none_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_test_warehouse(tmp_path / "no_budget.duckdb", campaign_budget=None)
    monkeypatch.setenv("CUSTOMER_LIFECYCLE_DB", str(path))
    app = open_app("actions")
    assert_clean(app)
    assert "No campaign budget is set" in texts(app.info)
    assert metrics(app)["Customers to contact"] == "5"
    assert "Campaign budget" not in metrics(app)


def test_the_contact_list_holds_the_customers_in_the_plan(warehouse: Path) -> None:
    status = data.warehouse_status()
    assert status.ready and status.warehouse is not None
    everyone = data.Selection(snapshot=CURRENT, current_as_of=CURRENT)
    contacts = data.contact_list(status.warehouse, everyone)
    # In budget and with an action, best net benefit first: 12349 is over budget, 12347 has none.
    assert list(contacts["customer_id"]) == ["12346", "12345", "12350", "12348"]
    assert KNOWN_EXPLANATION in set(contacts["explanation"])
    germany = data.Selection(snapshot=CURRENT, current_as_of=CURRENT, countries=("Germany",))
    assert list(data.contact_list(status.warehouse, germany)["customer_id"]) == ["12350"]


def test_lookup_shows_the_card_explanation_and_timeline(warehouse: Path) -> None:
    app = open_app("customer_lookup")
    app.text_input(key="lookup_customer_id").set_value(f"  {KNOWN_CUSTOMER} ").run()
    assert_clean(app)
    assert KNOWN_EXPLANATION in texts(app.markdown)
    shown = metrics(app)
    assert shown["Lifecycle stage"] == "At risk"
    assert shown["Risk"] == "Critical"
    assert shown["Value at stake"] == "£8.16k"
    assert "Exact figure: £8,156.82." in tooltips(app)["Value at stake"]
    assert charts(app) == 2  # risk contributions and the timeline over three snapshots
    assert "each of the 3 snapshots of this build" in texts(app.caption)
    assert timeline_points(app) == 3

    # An earlier snapshot is marked on the timeline; the card stays the current build's.
    app.selectbox(key="filter_snapshot").set_value(NOVEMBER).run()
    assert_clean(app)
    assert "exist for the current build only" in texts(app.info)
    assert KNOWN_EXPLANATION in texts(app.markdown)
    assert charts(app) == 2


@pytest.mark.parametrize(
    "typed",
    [
        "99999",
        "1' OR '1'='1",
        "12346' --",
        "12346'; drop table marts.customer_360; --",
        '12346" or "1"="1',
    ],
)
def test_lookup_of_an_unknown_id_or_an_injection_is_not_found(warehouse: Path, typed: str) -> None:
    before = table_counts(warehouse)
    app = open_app("customer_lookup")
    app.text_input(key="lookup_customer_id").set_value(typed).run()
    assert_clean(app)
    assert "was not found" in texts(app.warning)
    assert charts(app) == 0
    assert not app.metric
    assert table_counts(warehouse) == before
    assert before["customer_360"] == 6


def test_no_warehouse_says_to_run_make_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUSTOMER_LIFECYCLE_DB", str(tmp_path / "missing.duckdb"))
    for page in (None, "risk"):
        app = open_app(page)
        assert_clean(app)
        assert "There is no warehouse yet" in texts(app.warning)
        assert [code.value for code in app.code] == ["make build"]
        assert not app.sidebar.multiselect
    assert not (tmp_path / "missing.duckdb").exists()


def test_a_warehouse_without_the_marts_names_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_test_warehouse(tmp_path / "partial.duckdb", marts=("customer_360",))
    monkeypatch.setenv("CUSTOMER_LIFECYCLE_DB", str(path))
    app = open_app()
    assert_clean(app)
    warning = texts(app.warning)
    assert "marts.segment_metrics" in warning
    assert "marts.display_labels" in warning
    assert "marts.customer_360" not in warning
    assert [code.value for code in app.code] == ["make build"]


def test_a_newly_published_warehouse_shows_up(warehouse: Path) -> None:
    app = open_app("overview")
    assert metrics(app)["Customers"] == "6"
    # Publish the way a build does: write beside the file, then rename over it. The next
    # build's as-of date replaces the last one's in the history, which was no month start.
    staged = warehouse.with_name("staged.duckdb")
    shutil.copyfile(warehouse, staged)
    later = CURRENT + dt.timedelta(days=10)
    with duckdb.connect(str(staged)) as connection:
        for mart in ("customer_360", "customer_snapshot_history"):
            connection.execute(
                f"delete from marts.{mart} where customer_id = ? and as_of_date = ?",
                ["12350", CURRENT],
            )
        # 12350 is the only customer of Germany with a low risk level at CURRENT.
        for mart in ("segment_metrics", "risk_score_distribution"):
            connection.execute(
                f"delete from marts.{mart} where country = ? and risk_level = ? and as_of_date = ?",
                ["Germany", "low", CURRENT],
            )
        for mart in (
            "customer_360",
            "customer_snapshot_history",
            "segment_metrics",
            "risk_score_distribution",
        ):
            connection.execute(
                f"update marts.{mart} set as_of_date = ? where as_of_date = ?", [later, CURRENT]
            )
    os.replace(staged, warehouse)
    app.run()
    assert_clean(app)
    assert metrics(app)["Customers"] == "5"
    # Whoever looked at the current build now looks at the new one.
    snapshot = app.selectbox(key="filter_snapshot")
    assert snapshot.value == later
    assert snapshot.options == [f"{later} (current build)", f"{NOVEMBER}", f"{SEPTEMBER}"]


def test_without_history_the_pages_say_how_to_turn_it_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_test_warehouse(tmp_path / "no_history.duckdb", history=False)
    monkeypatch.setenv("CUSTOMER_LIFECYCLE_DB", str(path))
    app = open_app("segments")
    assert_clean(app)
    assert app.selectbox(key="filter_snapshot").options == ["2011-12-10 (current build)"]
    for page, missing in (
        ("segments", "There is no pair of snapshots to compare."),
        ("risk", "There is no earlier snapshot to check."),
        ("customer_lookup", "This customer's timeline has a single point."),
    ):
        app.switch_page(PAGES[page]).run()
        if page == "customer_lookup":
            app.text_input(key="lookup_customer_id").set_value(KNOWN_CUSTOMER).run()
        assert_clean(app)
        notice = texts(app.info)
        assert f"{missing} The snapshot history is off for this build" in notice, notice
        assert "snapshot_frequency: none" in notice
        assert "snapshot_frequency: month" in notice
        assert "stored" not in notice
    assert timeline_points(app) == 1


def test_the_launcher_listens_on_localhost_unless_told_otherwise() -> None:
    command = launcher.streamlit_command([], environ={})
    assert command[:5] == [launcher.sys.executable, "-m", "streamlit", "run", str(APP)]
    flags = dict(zip(command[5::2], command[6::2], strict=True))
    assert flags["--server.address"] == "127.0.0.1"
    assert flags["--server.headless"] == "true"
    assert flags["--browser.gatherUsageStats"] == "false"
    assert "--server.port" not in flags  # Streamlit reads STREAMLIT_SERVER_PORT itself

    chosen = launcher.streamlit_command(
        ["--server.port", "9000"], environ={"STREAMLIT_SERVER_ADDRESS": "0.0.0.0"}
    )
    assert "--server.address" not in chosen
    assert chosen[-2:] == ["--server.port", "9000"]


def test_data_quality_shows_the_report_and_the_rejected_lines(warehouse: Path) -> None:
    app = open_app("data_quality")
    shown = metrics(app)
    assert (shown["Lines read"], shown["Accepted"], shown["Rejected"]) == ("100", "97", "3")
    sample = app.dataframe[0].value
    assert list(sample["source_line_number"]) == [5, 9, 12]  # by file, then line number
    app.selectbox(key="quality_reason").set_value("duplicate_line").run()
    assert_clean(app)
    assert list(app.dataframe[0].value["rejection_reason"]) == ["Duplicate line"]  # its label


# -- a real build -----------------------------------------------------------------------------


def test_every_page_on_a_real_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages against marts built by dbt from a generated file, with its snapshot history:
    the first build already shows the migration, the backtest and timelines."""
    source = tmp_path / "online_retail_ii.csv"
    generate(20_000, 11, source, progress=False)
    result = run_dbt_build(tmp_path, source)
    assert result.returncode == 0, result.output
    monkeypatch.setenv("CUSTOMER_LIFECYCLE_DB", str(result.db))
    # The customer in the most snapshots, the most valuable of them.
    customer, snapshots = result.query(
        "select customer_id, count(*) as snapshots from marts.customer_snapshot_history"
        " join marts.customer_360 using (customer_id)"
        " group by customer_id, customer_360.value_at_stake"
        " order by snapshots desc, customer_360.value_at_stake desc, customer_id limit 1"
    )[0]
    assert snapshots > 1
    pairs = result.scalar(
        "select count(*) from (select distinct from_as_of_date, to_as_of_date"
        " from marts.segment_migration)"
    )
    assert pairs > 1
    # The pair shown first: the latest, into the current build's snapshot.
    customers_moving = result.scalar(
        "select sum(customers) from marts.segment_migration"
        " where to_as_of_date = (select max(to_as_of_date) from marts.segment_migration)"
    )
    app = open_app()
    for page in PAGES:
        app.switch_page(PAGES[page]).run()
        assert_clean(app)
        assert [title.value for title in app.title] == [TITLES[page]]
        assert "snapshot history is off" not in texts(app.info)
        if page == "segments":
            assert len(app.selectbox(key="segments_migration_pair").options) == pairs
            assert sankey_customers(app) == customers_moving
        if page == "risk":
            assert backtest_segments(app) == ["Low", "Medium", "High", "Critical"]
    assert charts(app) == 2  # data quality: rejected and accepted lines
    app.switch_page(PAGES["customer_lookup"]).run()
    app.text_input(key="lookup_customer_id").set_value(customer).run()
    assert_clean(app)
    explanation = result.query(
        "select explanation from marts.customer_360 where customer_id = ?", [customer]
    )[0][0]
    assert f"Customer {customer}" in texts(app.markdown)
    assert explanation.split(":")[0] in texts(app.markdown)
    assert timeline_points(app) == snapshots
