"""The explanation macro as dbt renders it on Spark gives DuckDB's text, row for row.

Not part of `make test`: it needs the Spark venv (pyspark and a JDK) and about a minute, so the
main suite does not collect this folder (conftest.py) unless it is named, as `make test-spark`
does. The main venv has no pyspark: the Spark side runs evaluate_on_spark.py in the Spark venv,
`.venv-spark/bin/python` under the project root, or $CUSTOMER_LIFECYCLE_SPARK_PYTHON. A missing
Spark venv fails the test; it is not skipped.
"""

from __future__ import annotations

import json
import os
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

from explanation_macro import render_explanation_sql
from test_explain import FACT_COLUMNS, GOLDEN_ROWS, UNKNOWN_LABELS, _render, _row, quiet_row

from customer_lifecycle.paths import PROJECT_ROOT

SPARK_PYTHON = Path(
    os.environ.get(
        "CUSTOMER_LIFECYCLE_SPARK_PYTHON", str(PROJECT_ROOT / ".venv-spark" / "bin" / "python")
    )
)
EVALUATE = Path(__file__).with_name("evaluate_on_spark.py")
# A currency symbol that each engine must quote its own way.
ODD_SYMBOL = "R'\\"

# The rows of test_explain.py, and a few that exercise the rounding and the NULL rules.
ROWS: list[dict[str, Any]] = [
    *GOLDEN_ROWS,
    *(_row(changes) for changes, _ in UNKNOWN_LABELS),
    _row({"customer_id": "broken", "net_revenue": None}),
    _row({"customer_id": "named_null", "top_risk_driver": "returns", "return_rate": None}),
    quiet_row(),
    # Halves (rounded away from zero by both), a negative that rounds to zero, negative money,
    # a half-day gap that rounds to one day, thousands.
    _row(
        {
            "customer_id": "halves",
            "expected_gap_days": "0.50",
            "overdue_ratio": "2.45",
            "net_revenue": "-5.00",
            "net_revenue_percentile": "0.4950",
            "net_revenue_last_window": "-1234.56",
            "return_rate": "0.1235",
            "top_risk_driver": "returns",
            "roi": "-0.0050",
            "roi_low": "-0.0049",
            "min_roi": "-0.0150",
            "roi_high": "1234.5650",
            "first_rule_roi": "-1000.0050",
            "recency_days": 1234567,
        }
    ),
]


def _spark_type(duckdb_type: str) -> str:
    return {"varchar": "string", "integer": "int"}.get(duckdb_type, duckdb_type)


def _json_value(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def test_spark_renders_the_same_text_as_duckdb(tmp_path: Path):
    assert SPARK_PYTHON.is_file(), (
        f"No Spark venv at {SPARK_PYTHON}: create it (pyspark, with Java 17) or point"
        " CUSTOMER_LIFECYCLE_SPARK_PYTHON at its python"
    )
    symbols = {"pound": "£", "odd": ODD_SYMBOL}
    request = {
        "schema": ", ".join(f"{name} {_spark_type(kind)}" for name, kind in FACT_COLUMNS.items()),
        "rows": [[_json_value(row[name]) for name in FACT_COLUMNS] for row in ROWS],
        "expressions": {
            name: render_explanation_sql("spark", symbol) for name, symbol in symbols.items()
        },
    }
    request_path, result_path = tmp_path / "request.json", tmp_path / "result.json"
    request_path.write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")

    completed = subprocess.run(
        [str(SPARK_PYTHON), str(EVALUATE), str(request_path), str(result_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-5000:]
    on_spark = json.loads(result_path.read_text(encoding="utf-8"))

    for name, symbol in symbols.items():
        on_duckdb = _render(ROWS, symbol)
        assert len(on_duckdb) == len(ROWS)
        assert on_duckdb["broken"] is None and on_duckdb["named_null"] is None
        assert sum(text is not None for text in on_duckdb.values()) == len(ROWS) - 2
        assert on_spark[name] == on_duckdb, name
