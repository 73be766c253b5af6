"""Compares every mart of a DuckDB build with a Spark build of the same input, row by row.

Usage: python -m customer_lifecycle.compare_engines [--db PATH] [--spark-dir DIR] [--examples N]

For each mart (each model in models/marts, read from its YAML), it reads the DuckDB table
`marts.<mart>` from the warehouse file and the Spark table from its Parquet folder,
`<spark dir>/spark-warehouse/marts.db/<mart>/`, and prints how many rows are only in DuckDB and
only in Spark (rows are a multiset: a row twice on one side and once on the other counts once),
with a few examples of each. It exits 1 when any mart differs or is missing on one side.

How values are compared, column by column, from the mart's contract (its YAML data_type):

- `decimal(p,s)`: at scale s, rounded half away from zero, whatever scale each engine stored;
- `double` (or float, real): at 9 significant digits, since the engines may sum doubles in a
  different order and so differ in the last bits; no contract declares one today;
- anything else (text, integers, dates, booleans, timestamps): exactly, after a cast to the
  declared type. Timestamps are read in UTC: Spark stores them normalised to UTC from its
  session time zone, which is the machine's.

A column that is an engine-specific key (ENGINE_SPECIFIC_COLUMNS: `file_key`, a hash of the
file's path that each engine computes with its own hash function) is left out, and the output
says so. The input must have been given to both engines as the same absolute path, since the
marts store it (`source_file`, `transactions_path`): `make build-spark` passes it absolute.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import yaml

from customer_lifecycle.paths import PROJECT_ROOT, anchored, warehouse_path

MARTS_FOLDER = PROJECT_ROOT / "models" / "marts"
SPARK_DIR_ENV = "CUSTOMER_LIFECYCLE_SPARK_DIR"
DEFAULT_SPARK_DIR = "warehouse/spark"
ENGINE_SPECIFIC_COLUMNS = {
    "file_key": "a hash of the file path, which each engine computes with its own hash function"
}
DOUBLE_SIGNIFICANT_DIGITS = 9
DECIMAL_TYPE = re.compile(r"\s*(?:decimal|numeric)\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)\s*", re.I)
DOUBLE_TYPES = {"double", "float", "real", "float4", "float8", "double precision"}


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str | None


@dataclass
class MartComparison:
    """One mart on both engines; the counts are None when it could not be compared."""

    mart: str
    compared_columns: list[str] = field(default_factory=list)
    excluded_columns: list[str] = field(default_factory=list)
    only_in_duckdb: int | None = None
    only_in_spark: int | None = None
    duckdb_examples: list[tuple] = field(default_factory=list)
    spark_examples: list[tuple] = field(default_factory=list)
    problem: str | None = None

    @property
    def equal(self) -> bool:
        return self.problem is None and self.only_in_duckdb == 0 and self.only_in_spark == 0


def add_spark_dir_argument(parser: argparse.ArgumentParser) -> None:
    """--spark-dir, as the commands that read a Spark build take it."""
    parser.add_argument(
        "--spark-dir",
        type=Path,
        default=Path(anchored(os.environ.get(SPARK_DIR_ENV, DEFAULT_SPARK_DIR))),
        help=f"the Spark folder (env {SPARK_DIR_ENV}, default {DEFAULT_SPARK_DIR})",
    )


def spark_table_folder(spark_dir: Path, schema: str, table: str) -> Path:
    """Where Spark's local warehouse keeps a table's Parquet files (spark.sql.warehouse.dir)."""
    return spark_dir / "spark-warehouse" / f"{schema}.db" / table


def mart_contracts(folder: Path | None = None) -> dict[str, list[Column]]:
    """Every model of `folder` (models/marts) with a SQL file, and its contract's columns."""
    folder = MARTS_FOLDER if folder is None else folder
    models_with_sql = {path.stem for path in folder.rglob("*.sql")}
    contracts: dict[str, list[Column]] = {}
    for path in sorted(folder.rglob("*.yml")):
        document = yaml.safe_load(path.read_text()) or {}
        for model in document.get("models") or []:
            if model["name"] in models_with_sql:
                contracts[model["name"]] = [
                    Column(column["name"], column.get("data_type"))
                    for column in model.get("columns") or []
                ]
    missing = models_with_sql - contracts.keys()
    if missing:
        raise ValueError(f"No YAML entry for the mart(s) {', '.join(sorted(missing))} in {folder}")
    return contracts


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def comparable(column: Column) -> str:
    """The SQL expression that gives `column` as it is compared, named after it."""
    name = _quoted(column.name)
    data_type = (column.data_type or "").strip().lower()
    decimal = DECIMAL_TYPE.fullmatch(data_type)
    if decimal:
        # At the declared scale, with room for any integer part: a cast rounds half away.
        expression = f"cast({name} as decimal(38, {decimal.group(2)}))"
    elif data_type in DOUBLE_TYPES:
        digits = DOUBLE_SIGNIFICANT_DIGITS - 1
        expression = f"format('{{:.{digits}e}}', cast({name} as double))"
    elif data_type:
        expression = f"cast({name} as {data_type})"
    else:
        expression = name
    return f"{expression} as {name}"


def _rows(
    connection: duckdb.DuckDBPyConnection, sql: str, examples: int
) -> tuple[int, list[tuple]]:
    count = connection.execute(f"select count(*) from ({sql})").fetchone()
    rows = connection.execute(f"select * from ({sql}) order by all limit {examples}").fetchall()
    return (count[0] if count else 0), rows


def _duckdb_marts(connection: duckdb.DuckDBPyConnection) -> set[str]:
    rows = connection.execute(
        "select table_name from duckdb_tables() where database_name = 'duck'"
        " and schema_name = 'marts'"
    ).fetchall()
    return {name for (name,) in rows}


def compare_mart(
    connection: duckdb.DuckDBPyConnection,
    mart: str,
    columns: list[Column],
    spark_folder: Path,
    duckdb_marts: set[str],
    examples: int,
) -> MartComparison:
    result = MartComparison(mart)
    result.excluded_columns = [c.name for c in columns if c.name in ENGINE_SPECIFIC_COLUMNS]
    kept = [c for c in columns if c.name not in ENGINE_SPECIFIC_COLUMNS]
    result.compared_columns = [c.name for c in kept]
    missing = []
    if mart not in duckdb_marts:
        missing.append("DuckDB (no table marts." + mart + ")")
    if not any(spark_folder.glob("*.parquet")):
        missing.append(f"Spark (no Parquet files in {spark_folder})")
    if missing:
        result.problem = "missing in " + " and in ".join(missing)
        return result
    selected = ", ".join(comparable(column) for column in kept)
    parquet = str(spark_folder / "*.parquet").replace("'", "''")
    duck = f"select {selected} from duck.marts.{_quoted(mart)}"
    spark = f"select {selected} from read_parquet('{parquet}')"
    try:
        result.only_in_duckdb, result.duckdb_examples = _rows(
            connection, f"{duck} except all {spark}", examples
        )
        result.only_in_spark, result.spark_examples = _rows(
            connection, f"{spark} except all {duck}", examples
        )
    except duckdb.Error as error:
        result.problem = f"could not be compared: {error}"
    return result


def compare(
    db: Path,
    spark_dir: Path,
    examples: int = 5,
    contracts: dict[str, list[Column]] | None = None,
) -> list[MartComparison]:
    """Every mart of `contracts` (default: models/marts), compared between the two builds."""
    contracts = mart_contracts() if contracts is None else contracts
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        escaped = str(db).replace("'", "''")
        connection.execute(f"attach '{escaped}' as duck (read_only)")
        present = _duckdb_marts(connection)
        return [
            compare_mart(
                connection,
                mart,
                columns,
                spark_table_folder(spark_dir, "marts", mart),
                present,
                examples,
            )
            for mart, columns in contracts.items()
        ]


def _example_lines(label: str, columns: list[str], rows: list[tuple], count: int) -> list[str]:
    if not rows:
        return []
    shown = f"first {len(rows)} of {count}" if count > len(rows) else f"{count}"
    lines = [f"    {label} ({shown}): {', '.join(columns)}"]
    lines += [f"      {row!r}" for row in rows]
    return lines


def render(results: Sequence[MartComparison], db: Path, spark_dir: Path) -> str:
    width = max((len(result.mart) for result in results), default=0)
    lines = [f"DuckDB: {db}", f"Spark:  {spark_table_folder(spark_dir, 'marts', '')}", ""]
    lines.append(f"  {'mart'.ljust(width)}  only in DuckDB  only in Spark")
    for result in results:
        name = result.mart.ljust(width)
        if result.problem:
            lines.append(f"  {name}  {result.problem}")
            continue
        lines.append(f"  {name}  {result.only_in_duckdb:>14,}  {result.only_in_spark:>13,}")
        for label, rows, count in [
            ("only in DuckDB", result.duckdb_examples, result.only_in_duckdb or 0),
            ("only in Spark", result.spark_examples, result.only_in_spark or 0),
        ]:
            lines += _example_lines(label, result.compared_columns, rows, count)
    excluded = sorted({name for result in results for name in result.excluded_columns})
    lines.append("")
    for name in excluded:
        marts = [result.mart for result in results if name in result.excluded_columns]
        lines.append(
            f"Not compared: {name} ({ENGINE_SPECIFIC_COLUMNS[name]}), in {', '.join(marts)}."
        )
    different = [result.mart for result in results if not result.equal]
    if different:
        lines.append(f"{len(different)} of {len(results)} marts differ: {', '.join(different)}.")
    else:
        lines.append(f"All {len(results)} marts are equal on both engines.")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", type=Path, default=warehouse_path(), help="DuckDB warehouse file to read"
    )
    add_spark_dir_argument(parser)
    parser.add_argument(
        "--examples", type=int, default=5, help="rows to show of each side's differences"
    )
    args = parser.parse_args(argv)
    db = Path(anchored(str(args.db)))
    spark_dir = Path(anchored(str(args.spark_dir)))
    if not db.exists():
        print(f"No DuckDB warehouse at {db}: run 'make build' first.", file=sys.stderr)
        return 2
    if not (spark_dir / "spark-warehouse").is_dir():
        print(f"No Spark warehouse in {spark_dir}: run 'make build-spark' first.", file=sys.stderr)
        return 2
    results = compare(db, spark_dir, args.examples)
    print(render(results, db, spark_dir))
    return 0 if all(result.equal for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
