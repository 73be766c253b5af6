"""Where the project, its warehouse and its input live, resolved the way dbt resolves them."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB = "warehouse/customer_lifecycle.duckdb"
# The attached database of line-grain models, the landing cache among them (profiles.yml).
INGESTION_DB_ENV = "CUSTOMER_LIFECYCLE_INGESTION_DB"


def anchored(path: str) -> str:
    """`path` resolved against the project root, unless absolute, in memory or a URL.

    Relative paths mean the same file wherever a command is started: the dbt profile applies
    this too (customer_lifecycle.dbt_paths_plugin).
    """
    if path == ":memory:" or "://" in path or path.startswith("md:"):
        return path
    candidate = Path(path).expanduser()
    return str(candidate if candidate.is_absolute() else PROJECT_ROOT / candidate)


def warehouse_path() -> Path:
    """The published DuckDB file (env CUSTOMER_LIFECYCLE_DB)."""
    return Path(anchored(os.environ.get("CUSTOMER_LIFECYCLE_DB", DEFAULT_DB)))
