"""Prints what a build produced: the closing lines of `make build`.

Usage: python -m customer_lifecycle.summary [--db PATH]
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb

from customer_lifecycle.paths import warehouse_path

EXAMPLE_QUERY = (
    "select rejection_reason, count(*) as lines "
    "from marts.rejected_transactions group by all order by lines desc;"
)


NO_LINES = {"empty_file": "empty", "header_only": "header only"}


def _file_notes(files: list[tuple[str, str | None, str]]) -> list[str]:
    """The files that contributed no line, and those whose date order is a default."""
    lines = []
    silent = [(path, NO_LINES[reason]) for path, reason, _ in files if reason]
    if silent:
        named = ", ".join(f"{path} ({why})" for path, why in silent)
        lines.append(
            f"  no lines from   {len(silent)} of {len(files)} file"
            f"{'s' if len(files) != 1 else ''}: {named}"
        )
    for path, _, basis in files:
        if basis == "ambiguous_default":
            lines.append(
                f"  date order      {path}: every slash date is a date either way round (no day"
                " above 12), so it was read month-first (mdy), the default. If its dates are"
                " day-first, build again with VARS='{date_order: dmy}'."
            )
    return lines


def _history_line(snapshots: int, first: date | None, as_of: date | None) -> list[str]:
    if first is None or as_of is None:
        return []
    if snapshots == 1:
        return ["  history         the as-of date alone (see the var snapshot_frequency)"]
    return [
        f"  history         {snapshots} snapshots, {first:%Y-%m-%d} to {as_of:%Y-%m-%d},"
        " in marts.customer_snapshot_history"
    ]


def render_summary(db: Path) -> str:
    """The summary text for the warehouse at `db`, read through a read-only connection."""
    with duckdb.connect(str(db), read_only=True) as connection:
        row = connection.execute(
            """
            select transactions_path, input_files, lines_read, lines_accepted,
                   lines_rejected, rejected_share,
                   (select count(*) from marts.customer_features),
                   (select max(as_of_date) from marts.customer_features),
                   first_invoiced_at, last_invoiced_at,
                   (select count(distinct as_of_date) from marts.customer_snapshot_history),
                   (select min(as_of_date) from marts.customer_snapshot_history)
            from marts.data_quality_report
            """
        ).fetchone()
        files = connection.execute(
            "select source_file, no_lines_reason, date_order_basis"
            " from marts.data_quality_by_file order by file_order"
        ).fetchall()
    if row is None:
        raise ValueError(f"{db}: marts.data_quality_report is empty; run the build again")
    (
        path,
        file_count,
        read,
        accepted,
        rejected,
        share,
        customers,
        as_of,
        first_at,
        last_at,
        snapshots,
        first_snapshot,
    ) = row
    if as_of is None:
        as_of_line = "  as-of date      none: no customer has a product sale"
    elif as_of == last_at.date() + timedelta(days=1):
        as_of_line = (
            f"  as-of date      {as_of:%Y-%m-%d}, the day after the last accepted transaction"
        )
    else:
        as_of_line = f"  as-of date      {as_of:%Y-%m-%d}, from the var as_of_date"
    return "\n".join(
        [
            "",
            "Build complete.",
            f"  input           {path} ({file_count} file{'s' if file_count != 1 else ''})",
            *_file_notes(files),
            f"  lines read      {read:,}",
            f"  accepted        {accepted:,}",
            f"  rejected        {rejected:,} ({float(share):.2%}); reasons in "
            "marts.rejected_transactions",
            f"  customers       {customers:,} with a product sale",
            as_of_line,
            *_history_line(snapshots, first_snapshot, as_of),
            f"  transactions    {first_at:%Y-%m-%d} to {last_at:%Y-%m-%d}, accepted lines",
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
