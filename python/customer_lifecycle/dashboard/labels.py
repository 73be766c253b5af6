"""The labels, orders and colours of every code the marts store, as marts.display_labels has them.

The dashboard holds none of its own: a stage, value segment, risk level, risk signal, RFM
segment, action or rejection reason is shown with the label, in the order and in the colour of
its row in display_labels (built from the seeds), and every amount with its currency symbol. A
code without a row (a mart newer than the seeds, or a column that is no label set) is still
shown, in a readable form of the code and a neutral colour, after the codes that have a row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

# Colour of a code that has no row (and of the "not applicable" parts of a chart).
NEUTRAL = "#8A8F98"
NO_VALUE = "n/a"
CURRENCY_SET = "currency"


def missing(value: Any) -> bool:
    """True for no value: None, NaN or pandas' NA."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array is a value
        return False


def readable(code: Any) -> str:
    """A code without a label row as people can read it: `non_product` -> `Non product`."""
    if missing(code):
        return "None"
    return str(code).replace("_", " ").capitalize()


@dataclass(frozen=True)
class Label:
    """One row of display_labels."""

    display_order: int
    display_label: str
    colour: str | None
    description: str | None


@dataclass(frozen=True)
class Labels:
    """display_labels, by label set and code."""

    sets: Mapping[str, Mapping[str, Label]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]]) -> Labels:
        """From rows with display_labels' columns (label_set, code, display_order, ...)."""
        sets: dict[str, dict[str, Label]] = {}
        for row in rows:
            sets.setdefault(str(row["label_set"]), {})[str(row["code"])] = Label(
                display_order=int(row["display_order"]),
                display_label=str(row["display_label"]),
                colour=None if missing(row.get("colour")) else str(row["colour"]),
                description=None if missing(row.get("description")) else str(row["description"]),
            )
        return cls(sets)

    def _row(self, label_set: str, code: Any) -> Label | None:
        if missing(code):
            return None
        return self.sets.get(label_set, {}).get(str(code))

    def label(self, label_set: str, code: Any) -> str:
        """The display label of `code` in `label_set`, or a readable form of the code."""
        row = self._row(label_set, code)
        return row.display_label if row else readable(code)

    def colour(self, label_set: str, code: Any) -> str:
        """The colour of `code` in `label_set`, or the neutral colour."""
        row = self._row(label_set, code)
        return row.colour if row and row.colour else NEUTRAL

    def description(self, label_set: str, code: Any) -> str:
        """What `code` means (display_labels.description), or nothing."""
        row = self._row(label_set, code)
        return row.description if row and row.description else ""

    def order(self, label_set: str) -> list[str]:
        """Every code of `label_set`, by display order (then code)."""
        rows = self.sets.get(label_set, {})
        return sorted(rows, key=lambda code: (rows[code].display_order, code))

    def ordered(self, label_set: str, values: Iterable[Any]) -> list[str]:
        """The distinct `values` in the set's display order, then any without a row by code."""
        present = {str(value) for value in values if not missing(value)}
        known = [code for code in self.order(label_set) if code in present]
        return known + sorted(present - set(known))

    @property
    def currency(self) -> str:
        """The symbol every amount is shown with (the dbt var currency_symbol)."""
        rows = self.sets.get(CURRENCY_SET, {})
        return next(iter(rows.values())).display_label if rows else ""
