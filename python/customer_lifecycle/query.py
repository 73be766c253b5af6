"""Runs one SQL query against the warehouse, read-only, and prints the result.

For analysts without a SQL client: python -m customer_lifecycle.query "select ..."
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from customer_lifecycle.paths import warehouse_path
from customer_lifecycle.text_lines import register_functions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sql", help="the query to run")
    parser.add_argument("--db", type=Path, default=warehouse_path(), help="DuckDB file to read")
    parser.add_argument("--max-rows", type=int, default=40, help="rows to print at most")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"No warehouse at {args.db}: run 'make build' first.", file=sys.stderr)
        return 1
    with duckdb.connect(str(args.db), read_only=True) as connection:
        # So that the ingestion views, once attached, read Windows-1252 files too.
        register_functions(connection)
        try:
            relation = connection.sql(args.sql)
        except duckdb.Error as error:
            print(f"Query failed: {error}", file=sys.stderr)
            return 1
        if relation is not None:
            relation.show(max_rows=args.max_rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
