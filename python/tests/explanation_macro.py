"""The SQL that dbt renders from the macro explanation_sql, for a given adapter, without dbt.

The committed macro files are rendered with Jinja (which dbt uses) and small stand-ins for the
few dbt objects they touch: `adapter.dispatch` picks `<adapter>__name`, else `default__name`,
among the macros of those files, as dbt does for a project's own macros; `dbt.type_string()`
is what dbt-duckdb and dbt-spark render. The tests then evaluate what dbt would run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2

from customer_lifecycle.paths import PROJECT_ROOT

MACRO_FILES = (
    PROJECT_ROOT / "macros" / "explanation_sql.sql",
    PROJECT_ROOT / "macros" / "explanation_formats.sql",
)
# dbt.type_string() as each adapter renders it (dbt-duckdb: the base Column's TEXT; dbt-spark's
# SparkColumn keeps the label, string).
TYPE_STRING = {"duckdb": "TEXT", "spark": "string"}


class _Adapter:
    def __init__(self, adapter_type: str) -> None:
        self.type = adapter_type
        self.macros: Any = None

    def dispatch(self, name: str, macro_namespace: str | None = None) -> Callable[..., str]:
        for prefix in (self.type, "default"):
            macro = getattr(self.macros, f"{prefix}__{name}", None)
            if macro is not None:
                return macro
        raise LookupError(f"no {self.type}__{name} or default__{name} in {MACRO_FILES}")


class _Dbt:
    def __init__(self, adapter_type: str) -> None:
        self.adapter_type = adapter_type

    def type_string(self) -> str:
        return TYPE_STRING[self.adapter_type]


def render_explanation_sql(adapter_type: str, currency_symbol: str = "£") -> str:
    """`{{ explanation_sql(currency_symbol) }}` as dbt renders it on `adapter_type`."""
    if adapter_type not in TYPE_STRING:
        raise ValueError(f"unknown adapter type {adapter_type!r}")
    adapter = _Adapter(adapter_type)
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
    source = "\n".join(path.read_text(encoding="utf-8") for path in MACRO_FILES)
    template = environment.from_string(
        source, globals={"adapter": adapter, "dbt": _Dbt(adapter_type)}
    )
    adapter.macros = template.make_module()
    return str(adapter.macros.explanation_sql(currency_symbol))
