"""One plain-English paragraph per customer, compiled to a single DuckDB SQL expression.

The wording lives here, as Python constants, so that pytest can check it; `explanation_sql`
compiles it into one SQL expression that DuckDB evaluates for every row of
`int_customer_explanation_facts`. The SQL is the only renderer: there is no Python per-row
path to keep in step with it.

Templates use `{name}` placeholders. Each name is a fact formatted in SQL (see `_formatted_facts`)
or a clause chosen by a CASE on a label (see `explanation_sql`). Number formats are the same
everywhere: money with two decimals, thousands separators and the currency symbol; ROI, risk
scores and points with two (as stored, so the points add up to the score); ratios and the
return percentage with one; days, orders and customer shares as whole numbers.
Every number is rounded as a DECIMAL (half away from zero) before it is formatted.

Labels outside the closed sets below get a generic sentence that is still true (an unknown
action is named by its `action_name`), never a NULL. Columns that the facts model may leave NULL
(the mean gap of a one-time buyer, the return rate, the risk drivers and their points, the ROIs)
are handled explicitly. Any other NULL is a broken fact and makes the whole paragraph NULL, so
that a `not_null` test on the explanation fails loudly instead of a sentence going missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from string import Formatter

# --- The closed label sets of the facts relation ----------------------------------------------

LIFECYCLE_STAGES = ("new", "active", "cooling", "at_risk", "dormant")
VALUE_SEGMENTS = ("vip", "high", "mid", "low")
RISK_DRIVERS = ("recency", "overdue", "frequency_decline", "monetary_decline", "returns")
ACTION_CODES = (
    "onboarding_series",
    "vip_personal_call",
    "retention_call",
    "winback_offer",
    "reactivation_email",
    "loyalty_reward",
    "cross_sell_email",
    "no_action",
)
DECISION_REASONS = (
    "first_matching_rule",
    "fallback_after_low_roi",
    "no_action_low_roi",
    "no_action_by_rule",
)
NO_ACTION = "no_action"

# --- Wording ----------------------------------------------------------------------------------

# Who: "Customer 13085 (Can't Lose Them) is an at-risk high-value customer: ..."
STAGE_WORDS: dict[str, str] = {
    "new": "new",
    "active": "active",
    "cooling": "cooling",
    "at_risk": "at-risk",
    "dormant": "dormant",
}
VALUE_WORDS: dict[str, str] = {
    "vip": "VIP",
    "high": "high-value",
    "mid": "mid-value",
    "low": "low-value",
}
UNKNOWN_VALUE_SEGMENT = 'customer in value segment "{value_segment}"'
UNKNOWN_LIFECYCLE_STAGE = ' at lifecycle stage "{lifecycle_stage}"'
# The low segment is described from the bottom, every other segment from the top.
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
# A driver phrase is a clause that follows "because".
DRIVER_PHRASES: dict[str, str] = {
    "recency": "it has been {recency} since their last purchase",
    "overdue": "the time since their last purchase is {overdue_ratio} times {gap_kind}",
    "frequency_decline": (
        "they placed {orders_last_window} in the last {window} days"
        " against {orders_prev_window} in the {window} before"
    ),
    "monetary_decline": (
        "their net spend was {net_revenue_last_window} in the last {window} days"
        " against {net_revenue_prev_window} before"
    ),
    "returns": "{return_percent}% of what they bought was returned",
}
# A decline with nothing in either window is a customer gone quiet; "0 against 0" would read
# as no change, so these say what the signal saw.
QUIET_DRIVER_PHRASES: dict[str, tuple[str, str]] = {
    "frequency_decline": (
        "orders_last_window = 0 and orders_prev_window = 0",
        "they have placed no order in the last {both_windows} days",
    ),
    "monetary_decline": (
        "net_revenue_last_window <= 0 and net_revenue_prev_window <= 0",
        "they have spent nothing in the last {both_windows} days",
    ),
}
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

# Action: what is recommended and what it should return, or why nothing is.
ACTION_PURPOSES: dict[str, str] = {
    "onboarding_series": "to help a new customer settle in",
    "vip_personal_call": "to keep a top customer close",
    "retention_call": "to keep them from drifting away",
    "winback_offer": "to win them back",
    "reactivation_email": "to bring them back",
    "loyalty_reward": "to thank them and keep them loyal",
    "cross_sell_email": "to suggest more products they may like",
}
ACTION = (
    "{action_name} ({channel}){purpose}, at {unit_cost} for an expected benefit of"
    " {expected_benefit}{roi_clause}"
)
ROI_WITH_BAND = " (ROI {roi}, between {roi_low} and {roi_high} depending on response)"
ROI_WITHOUT_BAND = " (ROI {roi})"
SHORTFALL = "ROI {first_rule_roi} is below the minimum {min_roi}"
SHORTFALL_WITHOUT_ROI = "its ROI is below the minimum {min_roi}"
# Keyed by decision_reason. A reason missing from a dict gets that dict's default.
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

# Python format specs that DuckDB's format() understands (it converts a DECIMAL to DOUBLE,
# which is exact to the cent below about 10^13).
_MONEY_FORMAT = "'{:,.2f}'"
_WHOLE_FORMAT = "'{:,d}'"


def sql_literal(text: str) -> str:
    """`text` as a SQL string literal."""
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


def _money(column: str, symbol: str) -> str:
    """-£1,234.50: two decimals, thousands separators, the sign before the symbol."""
    rounded = f"round({column}, 2)"
    return (
        f"case when {rounded} < 0 then '-' else '' end || {symbol}"
        f" || format({_MONEY_FORMAT}, abs({rounded}))"
    )


def _decimal(column: str, places: int) -> str:
    """A number with `places` decimals and thousands separators."""
    return f"format('{{:,.{places}f}}', round({column}, {places}))"


def _whole(column: str) -> str:
    """A whole number with thousands separators."""
    return f"format({_WHOLE_FORMAT}, round({column})::bigint)"


def _count(column: str, noun: str) -> str:
    """'1 day', '214 days': a whole number and its noun, plural unless it is one."""
    return (
        f"{_whole(column)} || case when round({column}) = 1 then {sql_literal(' ' + noun)}"
        f" else {sql_literal(' ' + noun + 's')} end"
    )


def _share_percent(share: str) -> str:
    """A share of customers as a whole percentage rounded up, at least 1: 'top 19%' for 0.1877."""
    return f"format('{{:d}}', greatest(1, ceil(({share}) * 100))::bigint)"


def _formatted_facts(symbol: str) -> dict[str, str]:
    """The facts a template may name, each as SQL returning text."""
    return {
        "customer_id": "customer_id",
        "rfm_segment": "rfm_segment",
        "lifecycle_stage": "lifecycle_stage",
        "value_segment": "value_segment",
        "net_revenue": _money("net_revenue", symbol),
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
        "net_revenue_last_window": _money("net_revenue_last_window", symbol),
        "net_revenue_prev_window": _money("net_revenue_prev_window", symbol),
        "return_percent": _decimal("return_rate * 100", 1),
        "risk_level": "risk_level",
        # Two decimals, as stored: the points then visibly add up to the score.
        "risk_score": _decimal("risk_score", 2),
        "top_points": _decimal("top_risk_points", 2),
        "second_points": _decimal("second_risk_points", 2),
        "action_name": "action_name",
        "channel": "channel",
        "unit_cost": _money("unit_cost", symbol),
        "expected_benefit": _money("expected_benefit", symbol),
        "roi": _decimal("roi", 2),
        "roi_low": _decimal("roi_low", 2),
        "roi_high": _decimal("roi_high", 2),
        "first_rule_action_name": "first_rule_action_name",
        "first_rule_roi": _decimal("first_rule_roi", 2),
        "min_roi": _decimal("min_roi", 2),
    }


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _profile_sql(fields: Mapping[str, str]) -> str:
    """'an at-risk high-value customer', with a generic but true phrase for unknown labels."""
    stage_prefix = _case(
        "lifecycle_stage",
        {stage: sql_literal(f"{_article(word)} {word} ") for stage, word in STAGE_WORDS.items()},
        # Unknown stage: the article belongs to the value word.
        _case(
            "value_segment",
            {value: sql_literal(_article(word) + " ") for value, word in VALUE_WORDS.items()},
            sql_literal("a "),
        ),
    )
    value_noun = _case(
        "value_segment",
        {value: sql_literal(f"{word} customer") for value, word in VALUE_WORDS.items()},
        _fill(UNKNOWN_VALUE_SEGMENT, fields),
    )
    known_stages = ", ".join(sql_literal(stage) for stage in STAGE_WORDS)
    stage_suffix = (
        f"case when lifecycle_stage in ({known_stages}) then ''"
        f" else {_fill(UNKNOWN_LIFECYCLE_STAGE, fields)} end"
    )
    return f"{stage_prefix} || {value_noun} || {stage_suffix}"


def _driver_sql(driver_column: str, fields: Mapping[str, str]) -> str:
    """The 'because' clause for the driver named in `driver_column`."""
    phrases = {driver: _fill(phrase, fields) for driver, phrase in DRIVER_PHRASES.items()}
    for driver, (condition, quiet_phrase) in QUIET_DRIVER_PHRASES.items():
        phrases[driver] = (
            f"case when {condition} then {_fill(quiet_phrase, fields)} else {phrases[driver]} end"
        )
    return _case(driver_column, phrases, _fill(UNKNOWN_DRIVER, {"driver": driver_column}))


def explanation_sql(currency_symbol: str = "£") -> str:
    """One DuckDB SQL expression: the explanation paragraph (VARCHAR) of a facts row.

    It reads the columns of `int_customer_explanation_facts` by name, has no subquery, and can be
    used in any select list over that relation.
    """
    fields: dict[str, str] = _formatted_facts(sql_literal(currency_symbol))
    fields["profile"] = _profile_sql(fields)
    fields["revenue_rank"] = (
        f"case when value_segment = 'low' then {_fill(REVENUE_RANK_LOW, fields)}"
        f" else {_fill(REVENUE_RANK, fields)} end"
    )
    fields["timing"] = (
        f"case when is_one_time_buyer then {_fill(TIMING_ONE_TIME_BUYER, fields)}"
        f" when lifecycle_stage = 'new' then {_fill(TIMING_NEW, fields)}"
        f" else {_fill(TIMING, fields)} end"
    )
    fields["gap_kind"] = (
        f"case when is_one_time_buyer then {sql_literal(GAP_KIND_ONE_TIME_BUYER)}"
        f" else {sql_literal(GAP_KIND)} end"
    )
    fields["top_driver"] = _driver_sql("top_risk_driver", fields)
    fields["second_driver"] = _driver_sql("second_risk_driver", fields)
    fields["purpose"] = _case(
        "action_code",
        {code: sql_literal(", " + purpose) for code, purpose in ACTION_PURPOSES.items()},
        "''",
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
    action = (
        f"case when action_code = {sql_literal(NO_ACTION)} then {without_action}"
        f" else {with_action} end"
    )
    budget = (
        f"case when coalesce(action_code, '') <> {sql_literal(NO_ACTION)}"
        f" and is_in_budget = false then {sql_literal(' ' + NOT_IN_BUDGET)} else '' end"
    )
    return f"(({who}) || ' ' || ({risk}) || ' ' || ({action}) || ({budget}))"
