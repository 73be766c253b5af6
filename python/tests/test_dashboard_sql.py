"""The dashboard's SQL only filters, sorts and sums: the metrics live in the marts.

Every number the dashboard shows is a filtered `sum()` over a mart's additive measures (or a
mart's own row), and a ratio is the division of two such sums in Python. This scans every SQL
text the dashboard can run, which is every string constant of data.py (the one module that
queries; f-string parts included, docstrings and error messages left out), and every query the
pages actually ran on the tiny warehouse of test_dashboard.py, for anything else: another
aggregate, a function, a CASE or FILTER, or arithmetic. It also checks that the marts those
queries read are the ones the dbt exposure declares.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_dashboard import PAGES, SEPTEMBER, assert_clean, open_app, write_test_warehouse

from customer_lifecycle.dashboard import data, exposure

DASHBOARD = Path(data.__file__).parent
# The only call allowed is sum(); the others are keywords before a parenthesis.
ALLOWED_CALLS = {"sum", "in", "where", "and", "or", "not"}
FORBIDDEN_WORDS = ("case", "median", "quantile", "filter", "over", "distinct on")
_CALL = re.compile(r"\b([a-z_][a-z0-9_]*)\s*\(", re.IGNORECASE)
_MART = re.compile(r"\bmarts\.([a-z0-9_]+)", re.IGNORECASE)


def sql_problems(text: str) -> list[str]:
    """What, in a piece of SQL, is more than filtering, sorting and summing."""
    problems = []
    lowered = text.lower()
    for name in _CALL.findall(lowered):
        if name not in ALLOWED_CALLS:
            problems.append(f"calls {name}()")
    for word in FORBIDDEN_WORDS:
        if re.search(rf"\b{word}\b", lowered):
            problems.append(f"uses {word.upper()}")
    arithmetic = re.sub(r"\bselect\s+\*", "select", lowered)
    for operator in "/*+-%":
        if operator in arithmetic:
            problems.append(f"computes with {operator}")
    return problems


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes of the module, its classes and functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _messages(tree: ast.AST) -> set[int]:
    """ids of the string nodes inside `raise` statements: error messages, not SQL."""
    return {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.Raise)
        for inner in ast.walk(node)
        if isinstance(inner, ast.Constant)
    }


def string_constants(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of every string constant of a module, f-string parts one by one."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _docstrings(tree) | _messages(tree)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skipped
        ):
            yield node.lineno, node.value


@pytest.mark.parametrize(
    "bad",
    [
        "select count(*) as customers from marts.customer_360",
        "select sum(revenue_at_risk) / sum(customers) as share from marts.segment_metrics",
        "select coalesce(sum(net_revenue), 0) from marts.segment_metrics",
        "select avg(risk_score) from marts.customer_risk",
        "select max(as_of_date) from marts.segment_metrics",
        "select floor(risk_score / 5) * 5 as bin_start from marts.customer_360",
        "select least(a, b) from marts.customer_360",
        "select sum(unit_cost) filter (where is_in_budget) from marts.customer_360",
        "select sum(case when is_at_risk then 1 else 0 end) from marts.customer_360",
        "select sum(net_benefit - action_cost) from marts.segment_metrics",
        "select sum(customers) + 1 from marts.segment_metrics",
        "select median(risk_score) from marts.customer_360",
        "select nullif(customers, 0) from marts.segment_metrics",
        "select round(roi, 2) from marts.action_plan",
    ],
)
def test_the_scanner_catches_a_query_that_computes(bad: str) -> None:
    assert sql_problems(bad), bad


@pytest.mark.parametrize(
    "good",
    [
        "select * from marts.customer_360 where customer_id = ?",
        "select country, sum(customers) as customers, sum(net_revenue) as net_revenue"
        " from marts.segment_metrics where as_of_date = ? and is_in_budget"
        " and risk_level in (?, ?) group by country",
        "select distinct as_of_date from marts.segment_metrics order by as_of_date desc",
    ],
)
def test_the_scanner_lets_filters_and_sums_through(good: str) -> None:
    assert sql_problems(good) == []


def test_every_string_of_the_query_module_only_filters_and_sums() -> None:
    strings = list(string_constants(DASHBOARD / "data.py"))
    assert any("sum(" in text for _, text in strings)  # the scan reads the queries
    problems = {
        f"data.py:{line}: {text!r}": found
        for line, text in strings
        if (found := sql_problems(text))
    }
    assert problems == {}


def test_only_the_query_module_talks_to_the_warehouse() -> None:
    for module in sorted(DASHBOARD.rglob("*.py")):
        if module.name == "data.py":
            continue
        text = module.read_text(encoding="utf-8")
        assert "import duckdb" not in text, module


def test_the_marts_in_the_queries_are_declared_by_the_exposure() -> None:
    named = {
        mart.lower()
        for _, text in string_constants(DASHBOARD / "data.py")
        for mart in _MART.findall(text)
    }
    assert named
    assert named <= set(data.MARTS_READ)
    assert exposure.marts_read() == data.MARTS_READ


def test_an_exposure_without_refs_fails_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "exposures.yml"
    path.write_text(
        "exposures:\n  - name: marketing_dashboard\n    depends_on: [customer_360]\n",
        encoding="utf-8",
    )
    with pytest.raises(RuntimeError, match=r"each as ref\('<mart>'\)"):
        exposure.marts_read(path)
    path.write_text("exposures:\n  - name: another_app\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="no exposure named marketing_dashboard"):
        exposure.marts_read(path)


def test_the_queries_the_pages_run_only_filter_and_sum(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[str] = []
    query = data._query

    def recording(warehouse: data.Warehouse, sql: str, params: Any = ()) -> Any:
        ran.append(sql)
        return query(warehouse, sql, params)

    monkeypatch.setattr(data, "_query", recording)
    app = open_app()
    app.multiselect(key="filter_countries").set_value(["Germany", "United Kingdom"]).run()
    for snapshot in (None, SEPTEMBER):
        if snapshot is not None:
            app.selectbox(key="filter_snapshot").set_value(snapshot).run()
        for page in PAGES:
            app.switch_page(PAGES[page]).run()
            if page == "customer_lookup":
                app.text_input(key="lookup_customer_id").set_value("12346").run()
            assert_clean(app)
    assert len(set(ran)) > 20
    assert {sql: sql_problems(sql) for sql in set(ran) if sql_problems(sql)} == {}
    read = {mart.lower() for sql in ran for mart in _MART.findall(sql)}
    assert read == set(data.MARTS_READ)


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = write_test_warehouse(tmp_path / "warehouse.duckdb")
    monkeypatch.setenv("CUSTOMER_LIFECYCLE_DB", str(path))
    return path
