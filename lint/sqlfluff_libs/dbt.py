"""Stand-ins for dbt's cross-database macros, so sqlfluff's jinja templater can render models.

They only need to produce SQL of the right shape for linting; dbt itself renders the real ones.
"""


def datediff(first: str, second: str, datepart: str) -> str:
    return f"date_diff('{datepart}', {first}, {second})"


def dateadd(datepart: str, interval: int, from_date: str) -> str:
    return f"({from_date} + interval {interval} {datepart})"


def date_trunc(datepart: str, date: str) -> str:
    return f"date_trunc('{datepart}', {date})"
