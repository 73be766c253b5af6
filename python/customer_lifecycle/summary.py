"""Prints what a build produced: the closing lines of `make build`.

Usage: python -m customer_lifecycle.summary [--db PATH]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from customer_lifecycle.paths import warehouse_path

EXAMPLE_QUERY = (
    "select rejection_reason, count(*) as lines "
    "from marts.rejected_transactions group by all order by lines desc;"
)


def render_summary(db: Path) -> str:
    """The summary text for the warehouse at `db`, read through a read-only connection."""
    with duckdb.connect(str(db), read_only=True) as connection:
        row = connection.execute(
            """
            select transactions_path, input_files, lines_read, lines_accepted,
                   lines_rejected, rejected_share,
                   (select count(*) from marts.customer_features),
                   first_invoiced_at, last_invoiced_at
            from marts.data_quality_report
            """
        ).fetchone()
    if row is None:
        raise ValueError(f"{db}: marts.data_quality_report is empty; run the build again")
    (path, files, read, accepted, rejected, share, customers, first_at, last_at) = row
    return "\n".join(
        [
            "",
            "Build complete.",
            f"  input           {path} ({files} file{'s' if files != 1 else ''})",
            f"  lines read      {read:,}",
            f"  accepted        {accepted:,}",
            f"  rejected        {rejected:,} ({float(share):.2%}); reasons in "
            "marts.rejected_transactions",
            f"  customers       {customers:,} with a product sale",
            f"  transactions    {first_at:%Y-%m-%d} to {last_at:%Y-%m-%d}",
            f"  database        {db}",
            "",
            "Try:",
            f'  .venv/bin/python -m customer_lifecycle.query --db {db} "{EXAMPLE_QUERY}"',
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=warehouse_path(), help="DuckDB file to read")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"No warehouse at {args.db}: run 'make build' first.", file=sys.stderr)
        return 1
    print(render_summary(args.db))
    return 0


if __name__ == "__main__":
    sys.exit(main())
