"""Where the project, its warehouse and its input live, resolved the way dbt resolves them."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB = "warehouse/customer_lifecycle.duckdb"
DEFAULT_TRANSACTIONS = "data/generated/online_retail_ii_sample.csv"


def _from_root(value: str) -> Path:
    # dbt runs from the project root, so relative paths in env vars mean the
    # same file here as in the build, whatever the caller's directory.
    path = Path(value).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


def warehouse_path() -> Path:
    """The published DuckDB file (env CUSTOMER_LIFECYCLE_DB)."""
    return _from_root(os.environ.get("CUSTOMER_LIFECYCLE_DB", DEFAULT_DB))


def transactions_path() -> Path:
    """The input file or glob (env CUSTOMER_LIFECYCLE_TRANSACTIONS)."""
    return _from_root(os.environ.get("CUSTOMER_LIFECYCLE_TRANSACTIONS", DEFAULT_TRANSACTIONS))
