"""The dashboard's number formats and labels, without a warehouse.

KPI tiles show compact numbers (at most three significant digits and a unit: k, m, bn, tn),
so that they fit the tile at any size; the exact figure goes to the tooltip. Labels, orders
and colours come from display_labels rows, with a readable fallback for a code without one.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from customer_lifecycle.dashboard import charts
from customer_lifecycle.dashboard.labels import NEUTRAL, Labels


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (999.4, "999"),
        (999.5, "1.00k"),  # rounds to 1,000: the next unit, never "1000"
        (1_000, "1.00k"),
        (1_234, "1.23k"),
        (9_996, "10.0k"),
        (99_949, "99.9k"),
        (99_950, "100k"),
        (999_499, "999k"),
        (999_999, "1.00m"),  # never "1000k"
        (1_000_000, "1.00m"),
        (12_345_678, "12.3m"),
        (999_999_999, "1.00bn"),
        (1_000_000_000, "1.00bn"),
        (5_012_345_678_901, "5.01tn"),
        (-1, "-1"),
        (-999_999, "-1.00m"),
        (-0.2, "0"),  # no minus sign on a figure shown as zero
        (None, "n/a"),
        (math.nan, "n/a"),
        (pd.NA, "n/a"),
    ],
)
def test_a_count_is_compact_at_every_size(value: object, shown: str) -> None:
    assert charts.compact(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "£0.00"),
        (18.3, "£18.30"),  # pence below 100
        (99.994, "£99.99"),
        (99.996, "£100"),
        (999, "£999"),
        (1_000, "£1.00k"),
        (34_712.5, "£34.7k"),
        (999_999, "£1.00m"),
        (1e6, "£1.00m"),
        (1e9, "£1.00bn"),
        (5_012_345_678.9, "£5.01bn"),
        (-1_500, "-£1.50k"),
        (None, "n/a"),
    ],
)
def test_money_is_compact_at_every_size(value: object, shown: str) -> None:
    assert charts.compact_money(value, "£") == shown


def test_the_exact_figure_keeps_every_digit() -> None:
    assert charts.money(5_012_345_678.9, "£", 2) == "£5,012,345,678.90"
    assert charts.money(-1_500, "$", 2) == "-$1,500.00"
    assert charts.count(1_234_567_890) == "1,234,567,890"


LABELS = Labels.from_rows(
    [
        {"label_set": "risk_level", "code": "high", "display_order": 2, "display_label": "High",
         "colour": "#E8743B", "description": "From 60."},
        {"label_set": "risk_level", "code": "low", "display_order": 1, "display_label": "Low",
         "colour": "#2E9E5B", "description": None},
        {"label_set": "currency", "code": "symbol", "display_order": 1, "display_label": "€",
         "colour": None, "description": None},
    ]
)  # fmt: skip


def test_labels_orders_and_colours_come_from_the_rows() -> None:
    assert LABELS.label("risk_level", "high") == "High"
    assert LABELS.order("risk_level") == ["low", "high"]
    assert LABELS.colour("risk_level", "low") == "#2E9E5B"
    assert LABELS.description("risk_level", "high") == "From 60."
    assert LABELS.currency == "€"


def test_a_code_without_a_row_is_readable_and_neutral() -> None:
    assert LABELS.label("risk_level", "very_high") == "Very high"
    assert LABELS.colour("risk_level", "very_high") == NEUTRAL
    assert LABELS.label("no_such_set", "non_product") == "Non product"
    assert LABELS.ordered("risk_level", ["very_high", "high", None, "low", "high"]) == [
        "low",
        "high",
        "very_high",
    ]
    assert Labels().currency == ""
