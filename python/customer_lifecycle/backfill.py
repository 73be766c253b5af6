"""Fills customer_snapshot_history with a series of past snapshots, one per month.

Usage: python -m customer_lifecycle.backfill --start 2010-06-01 --end 2011-12-01

For each as-of date it reruns the models tagged `history` (the intermediate
customer models, customer_snapshot_history and score_breakpoints) with that
date, which adds or replaces the date's snapshot. The current marts are not
touched until the end, when everything downstream of the history is rebuilt
and tested at the default as-of date, so segment_migration covers the new
snapshots. All of it happens in a private copy of the warehouse, published
only when the final build passes (see customer_lifecycle.publish), so readers
never see a half-filled history.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import date
from typing import Any

from tqdm import tqdm

from customer_lifecycle.dbt import DbtError, run_dbt
from customer_lifecycle.publish import PRODUCTION_BUILD, build_env, staged_warehouse


def month_starts(start: date, end: date, step_months: int = 1) -> Iterator[date]:
    """First days of every step_months-th month from start's month through end, inclusive."""
    if start > end:
        raise ValueError(f"--start {start} is after --end {end}")
    if step_months < 1:
        raise ValueError(f"--every must be at least 1, not {step_months}")
    year, month = start.year, start.month
    current = start.replace(day=1)
    if current < start:
        month += 1
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        current = date(year, month, 1)
    while current <= end:
        yield current
        month += step_months
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        current = date(year, month, 1)


def backfill(dates: list[date], extra_vars: dict[str, Any], progress: bool = True) -> None:
    """Builds one snapshot per date, rebuilds and tests the current marts, then publishes."""
    with staged_warehouse() as staged:
        # The landing cache (CUSTOMER_LIFECYCLE_INGESTION_DB) outlives each run, so the input is
        # parsed at most once, by the first.
        env = build_env(staged)
        bar = tqdm(dates, desc="snapshots", unit="snapshot", disable=not progress, file=sys.stderr)
        for index, as_of_date in enumerate(bar):
            bar.set_postfix_str(as_of_date.isoformat())
            run_dbt(
                ["run", "--select", "+tag:history" if index == 0 else "tag:history"],
                {**extra_vars, "as_of_date": as_of_date.isoformat()},
                env=env,
            )
        if progress:
            print("Rebuilding the current marts and testing the history...", file=sys.stderr)
        run_dbt([*PRODUCTION_BUILD, "--select", "tag:history+"], extra_vars or None, env=env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=date.fromisoformat, required=True, help="first as-of date")
    parser.add_argument("--end", type=date.fromisoformat, required=True, help="last as-of date")
    parser.add_argument("--every", type=int, default=1, help="months between snapshots")
    parser.add_argument("--vars", default="{}", help="extra dbt vars as JSON, e.g. the input path")
    args = parser.parse_args(argv)
    try:
        dates = list(month_starts(args.start, args.end, args.every))
        extra_vars = json.loads(args.vars)
    except (ValueError, json.JSONDecodeError) as error:
        parser.error(str(error))
    if not dates:
        parser.error(f"no first day of a month between --start {args.start} and --end {args.end}")
    if "as_of_date" in extra_vars:
        parser.error("--vars must not set as_of_date: the backfill sets it for each snapshot")
    try:
        backfill(dates, extra_vars)
    except DbtError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Backfilled {len(dates)} snapshots, {dates[0]} to {dates[-1]}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
