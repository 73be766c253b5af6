"""Stand-ins for dbt's cross-database macros, so sqlfluff's jinja templater can render models.

They only need to produce SQL of the right shape for linting; dbt itself renders the real ones.
"""


def datediff(first: str, second: str, datepart: str) -> str:
    return f"date_diff('{datepart}', {first}, {second})"


def dateadd(datepart: str, interval: int, from_date: str) -> str:
    # A datepart taken from a var renders as sqlfluff's placeholder 'item', which is no unit.
    unit = datepart if datepart in ("day", "week", "month", "quarter", "year") else "day"
    return f"({from_date} + ({interval}) * interval 1 {unit})"


def date_trunc(datepart: str, date: str) -> str:
    return f"date_trunc('{datepart}', {date})"


def generate_series(upper_bound: int) -> str:
    return f"select generate_series as generated_number from generate_series(1, {upper_bound})"


def type_string() -> str:
    return "varchar"
