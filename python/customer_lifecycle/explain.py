"""One plain-English paragraph per customer, compiled to a single SQL expression.

Usage: python -m customer_lifecycle.explain [--out PATH] [--check]   (make explanation-macro)

The grammar lives here: the sentence templates, as Python constants that pytest checks, and
`explanation_sql`, which compiles them into one SQL expression evaluated for every row of
`int_customer_explanation_facts`. The words for each code do not: the facts model left-joins the
label seeds (seeds/lifecycle_stages.csv, value_segments.csv, rfm_segments.csv, risk_levels.csv,
risk_signals.csv, action_catalogue.csv) and carries their wording as columns, so renaming a label
in a seed changes the paragraphs with no code change. A risk driver's phrase comes with
`{placeholders}` in it, which the SQL fills at run time with nested `replace()` calls over the
known placeholders (`DRIVER_PHRASE_FIELDS`); a or an is chosen in SQL from the word that follows.
The SQL is the only renderer: there is no Python per-row path to keep in step with it.

`main` writes the expression as the dbt macro explanation_sql to macros/explanation_sql.sql,
which the SQL model int_customer_explanations_rendered calls on DuckDB and Spark alike; `--check`
exits 1 while the committed file is not what the templates compile to. The expression is the
same text on every engine: number formatting, the one step the engines spell differently, is a
call to the dispatched macro format_grouped (macros/explanation_formats.sql), and the currency
symbol is quoted by another.

Templates use `{name}` placeholders. Each name is a fact formatted in SQL (see `_formatted_facts`)
or a clause chosen by a CASE (see `explanation_sql`). Number formats are the same everywhere:
money with two decimals, thousands separators and the currency symbol; ROI, risk scores and
points with two (as stored, so the points add up to the score); ratios and the return percentage
with one; days, orders and customer shares as whole numbers. Every number is rounded as a DECIMAL
(half away from zero, as DuckDB and Spark both do) before it is formatted.

A code with no row in its seed (the left join leaves its words NULL) gets a generic sentence
that is still true (an unknown action is named by its `action_name`, an unknown RFM segment or
risk level by its code), never a NULL. Columns that the facts model may leave NULL (the mean gap
of a one-time buyer, the return rate, the risk drivers and their points, the ROIs, the words of
an unknown code) are handled explicitly. Any other NULL is a broken fact and makes the whole
paragraph NULL, so that a `not_null` test on the explanation fails loudly instead of a sentence
going missing; that includes a fact that a driver's phrase names.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from string import Formatter

from customer_lifecycle.paths import PROJECT_ROOT

# The decision reasons of int_customer_actions_decided; they have no seed, since each has its
# own sentence below.
DECISION_REASONS = (
    "first_matching_rule",
    "fallback_after_low_roi",
    "no_action_low_roi",
    "no_action_by_rule",
)
# The lifecycle stage code (a key, not a word) whose timing also says when they first bought.
NEW_CUSTOMER_STAGE = "new"

# --- Templates --------------------------------------------------------------------------------

# Who: "Customer 13085 (Can't Lose Them) is an at-risk high-value customer: ..."
PROFILE_VALUE = "{value_segment_label} customer"
UNKNOWN_VALUE_SEGMENT = 'customer in value segment "{value_segment}"'
UNKNOWN_LIFECYCLE_STAGE = ' at lifecycle stage "{lifecycle_stage}"'
# A customer below the median is described from the bottom, every other from the top.
REVENUE_RANK_LOW = "bottom {bottom_share}%"
REVENUE_RANK = "top {top_share}%"
TIMING_ONE_TIME_BUYER = (
    "one purchase day only, {recency} ago (no usual gap yet, so a gap of {expected_gap} is assumed)"
)
TIMING_NEW = "first purchase {tenure} ago, last {recency} ago against a usual gap of {expected_gap}"
TIMING = "last purchase {recency} ago against a usual gap of {expected_gap}"
WHO = (
    "Customer {customer_id} ({rfm_segment}) is {profile}: {net_revenue} net revenue over {orders}"
    " ({revenue_rank} of customers), {timing}."
)

# Risk: the level, the score, and the one or two largest contributions with their numbers.
# A driver phrase (seeds/risk_signals.csv) is a clause that follows "because"; these are the
# placeholders it may use.
DRIVER_PHRASE_FIELDS = (
    "recency",
    "tenure",
    "expected_gap",
    "overdue_ratio",
    "gap_kind",
    "orders",
    "net_revenue",
    "window",
    "both_windows",
    "orders_last_window",
    "orders_prev_window",
    "net_revenue_last_window",
    "net_revenue_prev_window",
    "return_percent",
)
UNKNOWN_DRIVER = 'the "{driver}" warning sign applies'
GAP_KIND_ONE_TIME_BUYER = "the assumed gap"
GAP_KIND = "their usual gap"
RISK_NO_DRIVER = "Risk is {risk_level} (score {risk_score} of 100), with no warning sign."
RISK_ONE_DRIVER = (
    "Risk is {risk_level} (score {risk_score} of 100), because {top_driver} ({top_points} points)."
)
RISK_TWO_DRIVERS = (
    "Risk is {risk_level} (score {risk_score} of 100), mainly because {top_driver}"
    " ({top_points} points), and also because {second_driver} ({second_points} points)."
)

# Action: what is recommended and what it should return, or why nothing is. The purpose is the
# catalogue's explanation_purpose, after a comma when there is one.
PURPOSE = ", {action_purpose}"
ACTION = (
    "{action_name} ({channel}){purpose}, at {unit_cost} for an expected margin of"
    " {expected_benefit}{roi_clause}"
)
ROI_WITH_BAND = " (ROI {roi}, between {roi_low} and {roi_high} depending on response)"
ROI_WITHOUT_BAND = " (ROI {roi})"
SHORTFALL = "ROI {first_rule_roi} is below the minimum {min_roi}"
SHORTFALL_WITHOUT_ROI = "its ROI is below the minimum {min_roi}"
# Keyed by decision_reason. A reason missing from a dict gets that dict's default. "Without
# action" is an action that contacts nobody (is_contact false in the catalogue).
REASONS_WITH_ACTION: dict[str, str] = {
    "first_matching_rule": "Recommended: {action}.",
    "fallback_after_low_roi": (
        "{first_rule_action_name} would not pay back enough ({shortfall}),"
        " so the recommendation is {action}."
    ),
}
REASON_WITH_ACTION_DEFAULT = "Recommended: {action}."
REASONS_WITHOUT_ACTION: dict[str, str] = {
    "no_action_by_rule": "No action is planned for this group.",
    "no_action_low_roi": (
        "No action is recommended: {first_rule_action_name} would not pay back enough"
        " ({shortfall}), and neither would any other action that fits this customer."
    ),
    "fallback_after_low_roi": (
        "{first_rule_action_name} would not pay back enough ({shortfall}), so no action is planned."
    ),
}
REASON_WITHOUT_ACTION_DEFAULT = "No action is planned for this customer."
NOT_IN_BUDGET = "It did not fit this campaign's budget."

# --- Compiling the wording to SQL -------------------------------------------------------------

# Where the compiled expression is written: a dbt macro, so that the model that renders the
# paragraphs is plain SQL on DuckDB and on Spark alike (dbt-spark has no Python models).
MACRO_PATH = PROJECT_ROOT / "macros" / "explanation_sql.sql"
REGENERATE = "make explanation-macro"
# The Jinja variable of the macro that holds the currency symbol as a SQL string literal.
_CURRENCY = "{{ currency }}"


def sql_literal(text: str) -> str:
    """`text` as a SQL string literal that DuckDB and Spark read alike.

    Both read a doubled quote as one quote; Spark reads a backslash as an escape and DuckDB does
    not, so a template may not have one (text that may, such as the currency symbol, is quoted
    at run time by the dispatched macro explanation_string_literal).
    """
    if "\\" in text:
        raise ValueError(f"a backslash is an escape in Spark's SQL, not text: {text!r}")
    if re.search(r"\{[{%#]|[}%#]\}", text):
        raise ValueError(f"a Jinja delimiter would be read by dbt, not shown: {text!r}")
    return "'" + text.replace("'", "''") + "'"


def _fill(template: str, fields: Mapping[str, str]) -> str:
    """`template` as a SQL concatenation, each `{name}` replaced by the SQL in `fields[name]`."""
    parts: list[str] = []
    for literal, name, spec, conversion in Formatter().parse(template):
        if literal:
            parts.append(sql_literal(literal))
        if name is None:
            continue
        if spec or conversion or name not in fields:
            raise ValueError(f"template placeholder {{{name}}} is not a known field: {template!r}")
        parts.append(f"({fields[name]})")
    return " || ".join(parts) if parts else "''"


def _case(subject: str, branches: Mapping[str, str], default: str) -> str:
    """A CASE on the value of `subject`; `branches` maps labels to SQL."""
    whens = " ".join(f"when {sql_literal(label)} then {sql}" for label, sql in branches.items())
    return f"case {subject} {whens} else {default} end"


def _grouped(expression: str, places: int) -> str:
    """The number `expression` (already rounded) with thousands separators and `places` decimals.

    The one engine-specific step, so it is a call to the dispatched macro format_grouped
    (macros/explanation_formats.sql), which adds no rounding of its own.
    """
    if re.search(r"[\"'{}\\]", expression):
        raise ValueError(f"not a plain column expression: {expression!r}")
    return f'{{{{ format_grouped("{expression}", {places}) }}}}'


def _money(column: str) -> str:
    """-£1,234.50: two decimals, thousands separators, the sign before the symbol."""
    rounded = f"round({column}, 2)"
    return (
        f"case when {rounded} < 0 then '-' else '' end || {_CURRENCY}"
        f" || {_grouped(f'abs({rounded})', 2)}"
    )


def _decimal(column: str, places: int) -> str:
    """A number with `places` decimals and thousands separators."""
    return _grouped(f"round({column}, {places})", places)


def _whole(column: str) -> str:
    """A whole number with thousands separators."""
    return _grouped(f"cast(round({column}) as bigint)", 0)


def _count(column: str, noun: str) -> str:
    """'1 day', '214 days': a whole number and its noun, plural unless it is one."""
    return (
        f"{_whole(column)} || case when round({column}) = 1 then {sql_literal(' ' + noun)}"
        f" else {sql_literal(' ' + noun + 's')} end"
    )


def _share_percent(share: str) -> str:
    """A share of customers as a whole percentage rounded up, at least 1: 'top 19%' for 0.1877."""
    return (
        f"cast(cast(greatest(1, ceil(({share}) * 100)) as bigint) as {{{{ dbt.type_string() }}}})"
    )


def _formatted_facts() -> dict[str, str]:
    """The facts a template may name, each as SQL returning text."""
    return {
        "customer_id": "customer_id",
        # A code without a row in its seed is shown as the code.
        "rfm_segment": "coalesce(rfm_segment_label, rfm_segment)",
        "lifecycle_stage": "lifecycle_stage",
        "value_segment": "value_segment",
        "value_segment_label": "value_segment_label",
        "net_revenue": _money("net_revenue"),
        "orders": _count("orders", "order"),
        "top_share": _share_percent("1 - net_revenue_percentile"),
        "bottom_share": _share_percent("net_revenue_percentile"),
        "recency": _count("recency_days", "day"),
        "tenure": _count("tenure_days", "day"),
        "expected_gap": _count("expected_gap_days", "day"),
        "overdue_ratio": _decimal("overdue_ratio", 1),
        "window": _whole("trend_window_days"),
        "both_windows": _whole("2 * trend_window_days"),
        "orders_last_window": _count("orders_last_window", "order"),
        "orders_prev_window": _whole("orders_prev_window"),
        "net_revenue_last_window": _money("net_revenue_last_window"),
        "net_revenue_prev_window": _money("net_revenue_prev_window"),
        "return_percent": _decimal("return_rate * 100", 1),
        "risk_level": "coalesce(risk_level_label, risk_level)",
        # Two decimals, as stored: the points then visibly add up to the score.
        "risk_score": _decimal("risk_score", 2),
        "top_points": _decimal("top_risk_points", 2),
        "second_points": _decimal("second_risk_points", 2),
        "action_name": "action_name",
        "action_purpose": "action_purpose",
        "channel": "channel",
        "unit_cost": _money("unit_cost"),
        "expected_benefit": _money("expected_benefit"),
        "roi": _decimal("roi", 2),
        "roi_low": _decimal("roi_low", 2),
        "roi_high": _decimal("roi_high", 2),
        "first_rule_action_name": "first_rule_action_name",
        "first_rule_roi": _decimal("first_rule_roi", 2),
        "min_roi": _decimal("min_roi", 2),
    }


def _article(word: str) -> str:
    """'a' or 'an' (SQL text) for the word in SQL `word`, by its first letter: an at-risk, a VIP."""
    return (
        f"case when lower(substr({word}, 1, 1)) in ('a', 'e', 'i', 'o', 'u') then 'an' else 'a' end"
    )


def _profile_sql(fields: Mapping[str, str]) -> str:
    """'an at-risk high-value customer', with a generic but true phrase for unknown codes."""
    stage_prefix = (
        "case when lifecycle_stage_label is not null"
        f" then {_article('lifecycle_stage_label')} || ' ' || lifecycle_stage_label || ' '"
        # Unknown stage: the article belongs to the value word.
        f" when value_segment_label is not null then {_article('value_segment_label')} || ' '"
        " else 'a ' end"
    )
    value_noun = (
        f"case when value_segment_label is not null then {_fill(PROFILE_VALUE, fields)}"
        f" else {_fill(UNKNOWN_VALUE_SEGMENT, fields)} end"
    )
    stage_suffix = (
        "case when lifecycle_stage_label is not null then ''"
        f" else {_fill(UNKNOWN_LIFECYCLE_STAGE, fields)} end"
    )
    return f"({stage_prefix}) || ({value_noun}) || ({stage_suffix})"


def _driver_sql(driver: str, phrase: str, fields: Mapping[str, str]) -> str:
    """The 'because' clause: the seed's phrase in column `phrase` with its placeholders filled.

    Each known placeholder is replaced at run time, so a phrase edited in the seed needs no code
    change. A fact that the phrase names and that is NULL makes the clause NULL (a broken fact);
    a NULL fact that it does not name is left alone. A driver with no seed row (a NULL phrase)
    is named by its code.
    """
    filled = phrase
    for name in DRIVER_PHRASE_FIELDS:
        token = sql_literal("{" + name + "}")
        filled = (
            f"replace({filled}, {token},"
            f" coalesce({fields[name]}, case when instr({phrase}, {token}) > 0 then null else ''"
            " end))"
        )
    return (
        f"case when {phrase} is null then {_fill(UNKNOWN_DRIVER, {'driver': driver})}"
        f" else {filled} end"
    )


def explanation_sql() -> str:
    """One SQL expression, with Jinja calls in it: the explanation paragraph of a facts row.

    It reads the columns of `int_customer_explanation_facts` by name, has no subquery, and can be
    used in any select list over that relation. Numbers are formatted by calls to the dispatched
    macro format_grouped, and `{{ currency }}` is the currency symbol as a SQL string literal:
    the macro that `macro_file` writes around it sets both.
    """
    fields: dict[str, str] = _formatted_facts()
    fields["profile"] = _profile_sql(fields)
    fields["revenue_rank"] = (
        f"case when net_revenue_percentile < 0.5 then {_fill(REVENUE_RANK_LOW, fields)}"
        f" else {_fill(REVENUE_RANK, fields)} end"
    )
    fields["timing"] = (
        f"case when is_one_time_buyer then {_fill(TIMING_ONE_TIME_BUYER, fields)}"
        f" when lifecycle_stage = {sql_literal(NEW_CUSTOMER_STAGE)}"
        f" then {_fill(TIMING_NEW, fields)}"
        f" else {_fill(TIMING, fields)} end"
    )
    fields["gap_kind"] = (
        f"case when is_one_time_buyer then {sql_literal(GAP_KIND_ONE_TIME_BUYER)}"
        f" else {sql_literal(GAP_KIND)} end"
    )
    fields["top_driver"] = _driver_sql("top_risk_driver", "top_risk_driver_phrase", fields)
    fields["second_driver"] = _driver_sql("second_risk_driver", "second_risk_driver_phrase", fields)
    fields["purpose"] = (
        f"case when coalesce(action_purpose, '') = '' then '' else {_fill(PURPOSE, fields)} end"
    )
    fields["roi_clause"] = (
        "case when roi is null then ''"
        f" when roi_low is null or roi_high is null then {_fill(ROI_WITHOUT_BAND, fields)}"
        f" else {_fill(ROI_WITH_BAND, fields)} end"
    )
    fields["shortfall"] = (
        f"case when first_rule_roi is null then {_fill(SHORTFALL_WITHOUT_ROI, fields)}"
        f" else {_fill(SHORTFALL, fields)} end"
    )
    fields["action"] = _fill(ACTION, fields)

    who = _fill(WHO, fields)
    risk = (
        "case when top_risk_driver is null and second_risk_driver is null"
        f" then {_fill(RISK_NO_DRIVER, fields)}"
        f" when second_risk_driver is null then {_fill(RISK_ONE_DRIVER, fields)}"
        f" else {_fill(RISK_TWO_DRIVERS, fields)} end"
    )
    with_action = _case(
        "decision_reason",
        {reason: _fill(text, fields) for reason, text in REASONS_WITH_ACTION.items()},
        _fill(REASON_WITH_ACTION_DEFAULT, fields),
    )
    without_action = _case(
        "decision_reason",
        {reason: _fill(text, fields) for reason, text in REASONS_WITHOUT_ACTION.items()},
        _fill(REASON_WITHOUT_ACTION_DEFAULT, fields),
    )
    # An action missing from the catalogue (is_contact NULL) is described as an action.
    contacts = "coalesce(is_contact, true)"
    action = f"case when not {contacts} then {without_action} else {with_action} end"
    budget = (
        f"case when {contacts} and is_in_budget = false then {sql_literal(' ' + NOT_IN_BUDGET)}"
        " else '' end"
    )
    return f"(({who}) || ' ' || ({risk}) || ' ' || ({action}) || ({budget}))"


_TOKENS = re.compile(r"'(?:[^']|'')*'|\{\{.*?\}\}|\w+|\s+|.", re.DOTALL)


def _layout(expression: str) -> str:
    """`expression` with each WHEN, ELSE and END of its CASEs on a line of its own, indented.

    Only the whitespace between tokens changes (never inside a string literal or a Jinja call),
    so the SQL means the same; the generated file is then readable and its diffs are local.
    """
    lines: list[str] = []
    line: list[str] = []
    depth = 0

    def new_line(indent: int) -> None:
        text = "".join(line).rstrip()
        if text.strip():
            lines.append(text)
        line.clear()
        line.append("    " * indent)

    new_line(1)
    for token in _TOKENS.findall(expression):
        word = token.lower()
        if word in ("when", "else"):
            new_line(depth + 1)
        elif word == "end":
            new_line(depth)
            depth -= 1
        elif token.isspace():
            if line and not line[-1].isspace():
                line.append(" ")
            continue
        line.append(token)
        if word == "case":
            depth += 1
    new_line(0)
    if depth:
        raise ValueError("unbalanced CASE in the compiled expression")
    return "\n".join(lines)


def macro_file() -> str:
    """The text of macros/explanation_sql.sql: the macro explanation_sql(currency_symbol)."""
    return (
        "{#-\n"
        "    GENERATED by `python -m customer_lifecycle.explain` (`" + REGENERATE + "`) from the\n"
        "    templates in python/customer_lifecycle/explain.py. Do not edit by hand: edit the\n"
        "    templates and regenerate; a pytest fails while this file is stale.\n"
        "\n"
        "    The explanation paragraph of a row of int_customer_explanation_facts, as one SQL\n"
        "    expression over its columns, with the money in `currency_symbol`. The only\n"
        "    engine-specific SQL is in the dispatched macros of macros/explanation_formats.sql.\n"
        "-#}\n"
        "{% macro explanation_sql(currency_symbol) -%}\n"
        "{%- set currency = explanation_string_literal(currency_symbol) -%}\n"
        "(\n" + _layout(explanation_sql()) + "\n)\n"
        "{%- endmacro %}\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m customer_lifecycle.explain",
        description=f"Write the templates, compiled to SQL, to {MACRO_PATH.name} (a dbt macro).",
    )
    parser.add_argument("--out", type=Path, default=MACRO_PATH, help="macro file to write or check")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when the file differs from what the templates compile to",
    )
    args = parser.parse_args(argv)
    generated = macro_file()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        if current == generated:
            return 0
        print(
            f"{args.out} is out of date with the templates of customer_lifecycle.explain:"
            f" run `{REGENERATE}` (python -m customer_lifecycle.explain) and commit the result.",
            file=sys.stderr,
        )
        return 1
    args.out.write_text(generated, encoding="utf-8")
    print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
