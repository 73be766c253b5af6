"""Copies the marts of a Spark build into a DuckDB file, for the dashboard and SQL clients.

Usage: python -m customer_lifecycle.import_spark_marts [--spark-dir DIR] [--out FILE]

Spark keeps each mart as a folder of Parquet files (`<spark dir>/spark-warehouse/marts.db/<mart>/`).
This makes one table `marts.<mart>` per folder in a new DuckDB file, then moves it over `--out`
in one rename, so a dashboard reading the old file is never disturbed. Then:

    CUSTOMER_LIFECYCLE_DB=warehouse/from_spark.duckdb make dashboard
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from customer_lifecycle.compare_engines import (
    add_spark_dir_argument,
    spark_table_folder,
)
from customer_lifecycle.paths import anchored

DEFAULT_OUT = "warehouse/from_spark.duckdb"


def spark_marts(spark_dir: Path) -> list[Path]:
    """The Parquet folders of the Spark build's marts schema, by name."""
    schema = spark_table_folder(spark_dir, "marts", "")
    return sorted(
        folder for folder in schema.glob("*") if folder.is_dir() and any(folder.glob("*.parquet"))
    )


def import_marts(spark_dir: Path, out: Path) -> list[str]:
    """Writes every mart of `spark_dir` into `out` (replaced whole); returns their names."""
    folders = spark_marts(spark_dir)
    if not folders:
        schema = spark_table_folder(spark_dir, "marts", "")
        raise FileNotFoundError(f"No marts in {schema}: run 'make build-spark' first.")
    out.parent.mkdir(parents=True, exist_ok=True)
    staged = out.with_name(f".{out.name}.{os.getpid()}.importing")
    staged.unlink(missing_ok=True)
    try:
        # Readable by DuckDB 1.x clients too, as the profile keeps the warehouse.
        with duckdb.connect(
            str(staged), config={"storage_compatibility_version": "v1.0.0"}
        ) as connection:
            connection.execute("create schema marts")
            for folder in folders:
                parquet = str(folder / "*.parquet").replace("'", "''")
                name = folder.name.replace('"', '""')
                connection.execute(
                    f"create table marts.\"{name}\" as select * from read_parquet('{parquet}')"
                )
        os.replace(staged, out)
    finally:
        staged.unlink(missing_ok=True)
    return [folder.name for folder in folders]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_spark_dir_argument(parser)
    parser.add_argument(
        "--out", type=Path, default=Path(DEFAULT_OUT), help=f"DuckDB file (default {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    out = Path(anchored(str(args.out)))
    try:
        names = import_marts(Path(anchored(str(args.spark_dir))), out)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Wrote {len(names)} marts to {out}: {', '.join(names)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
