"""The engine comparison and the Spark marts import, on files written here with DuckDB alone.

A DuckDB warehouse file stands for the DuckDB build; Parquet folders laid out as Spark's
warehouse stand for the Spark build.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from customer_lifecycle import compare_engines, import_spark_marts
from customer_lifecycle.compare_engines import compare, mart_contracts, render

CONTRACT = """
version: 2
models:
  - name: orders
    columns:
      - {name: source_file, data_type: string}
      - {name: file_key, data_type: ubigint}
      - {name: amount, data_type: "decimal(18,2)"}
      - {name: share, data_type: double}
  - name: customers
    columns:
      - {name: customer_id, data_type: string}
  - name: not_a_mart_of_this_folder
    columns:
      - {name: x, data_type: integer}
"""

DUCKDB_ORDERS = [
    ("a.csv", 11, "1.005", 1 / 3),
    ("a.csv", 11, "2.50", 0.1 + 0.2),
    ("b.csv", 12, "7.25", 2.0),
    ("b.csv", 12, "7.25", 2.0),
]


@pytest.fixture
def marts_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "models" / "marts"
    folder.mkdir(parents=True)
    (folder / "_marts__models.yml").write_text(CONTRACT)
    (folder / "orders.sql").write_text("select 1")
    (folder / "customers.sql").write_text("select 1")
    monkeypatch.setattr(compare_engines, "MARTS_FOLDER", folder)
    return folder


def write_duckdb(path: Path, orders: list[tuple], customers: list[str]) -> Path:
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema marts")
        connection.execute(
            "create table marts.orders (source_file varchar, file_key ubigint,"
            " amount decimal(18, 2), share double)"
        )
        connection.executemany("insert into marts.orders values (?, ?, ?, ?)", orders)
        connection.execute("create table marts.customers (customer_id varchar)")
        connection.executemany("insert into marts.customers values (?)", [[c] for c in customers])
    return path


def write_spark_table(spark_dir: Path, table: str, select: str) -> Path:
    """A table as Spark's local warehouse keeps it: a folder of Parquet part files."""
    folder = spark_dir / "spark-warehouse" / "marts.db" / table
    folder.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as connection:
        connection.execute(f"copy ({select}) to '{folder / 'part-00000.snappy.parquet'}'")
    return folder


def spark_orders(rows: str) -> str:
    """Spark's orders: its own file_key and a wider decimal, as a Spark expression may give."""
    return (
        "select source_file, file_key, amount::decimal(38, 6) as amount, share"
        f" from (values {rows}) as t(source_file, file_key, amount, share)"
    )


def test_the_marts_are_read_from_the_yaml_of_models_with_sql(marts_folder: Path) -> None:
    contracts = mart_contracts()
    assert list(contracts) == ["orders", "customers"]
    assert [column.data_type for column in contracts["orders"]] == [
        "string",
        "ubigint",
        "decimal(18,2)",
        "double",
    ]


def test_the_project_marts_all_have_a_contract_and_rejected_lines_keep_file_key() -> None:
    contracts = mart_contracts()
    assert {"customer_360", "rejected_transactions", "data_quality_report"} <= contracts.keys()
    assert all(columns for columns in contracts.values())
    assert "file_key" in [column.name for column in contracts["rejected_transactions"]]


def test_equal_builds_compare_equal_at_the_declared_scale_without_the_hash_key(
    marts_folder: Path, tmp_path: Path
) -> None:
    db = write_duckdb(tmp_path / "duck.duckdb", DUCKDB_ORDERS, ["13085", "A"])
    spark_dir = tmp_path / "spark"
    # 1.005 stored at a wider scale is 1.01 at the declared scale of 2, as DuckDB stored it;
    # the doubles differ in their last bits only; file_key is each engine's own hash.
    write_spark_table(
        spark_dir,
        "orders",
        spark_orders(
            "('a.csv', 999, 1.005, 0.33333333333333331),"
            " ('a.csv', 999, 2.500000, 0.30000000000000004),"
            " ('b.csv', 998, 7.25, 2.0000000000000004),"
            " ('b.csv', 998, 7.25, 2.0)"
        ),
    )
    write_spark_table(
        spark_dir, "customers", "select * from (values ('A'), ('13085')) t(customer_id)"
    )

    results = compare(db, spark_dir)

    assert [(r.mart, r.only_in_duckdb, r.only_in_spark, r.equal) for r in results] == [
        ("orders", 0, 0, True),
        ("customers", 0, 0, True),
    ]
    assert results[0].excluded_columns == ["file_key"]
    assert results[0].compared_columns == ["source_file", "amount", "share"]
    output = render(results, db, spark_dir)
    assert "Not compared: file_key (a hash of the file path" in output
    assert "All 2 marts are equal on both engines." in output


def test_rows_only_on_one_side_are_counted_as_a_multiset_with_examples(
    marts_folder: Path, tmp_path: Path
) -> None:
    db = write_duckdb(tmp_path / "duck.duckdb", DUCKDB_ORDERS, ["13085"])
    spark_dir = tmp_path / "spark"
    # One of the two equal b.csv rows is missing; one amount differs at the declared scale;
    # one text differs in case only.
    write_spark_table(
        spark_dir,
        "orders",
        spark_orders(
            "('a.csv', 1, 1.015, 0.333333333333), ('a.csv', 1, 2.50, 0.3), ('B.csv', 1, 7.25, 2.0)"
        ),
    )
    write_spark_table(spark_dir, "customers", "select '13085' as customer_id")

    orders, customers = compare(db, spark_dir, examples=2)

    assert (orders.only_in_duckdb, orders.only_in_spark, orders.equal) == (3, 2, False)
    assert len(orders.duckdb_examples) == 2
    assert orders.spark_examples[0][0] == "B.csv"
    assert customers.equal
    output = render([orders, customers], db, spark_dir)
    assert "only in DuckDB (first 2 of 3): source_file, amount, share" in output
    assert "1 of 2 marts differ: orders." in output


def test_a_mart_missing_on_one_side_is_a_difference(marts_folder: Path, tmp_path: Path) -> None:
    db = write_duckdb(tmp_path / "duck.duckdb", DUCKDB_ORDERS, ["13085"])
    spark_dir = tmp_path / "spark"
    write_spark_table(spark_dir, "orders", spark_orders("('a.csv', 1, 1.0, 1.0)"))

    orders, customers = compare(db, spark_dir)

    assert orders.problem is None and not orders.equal
    assert customers.problem is not None and customers.problem.startswith("missing in Spark")
    assert not customers.equal


def test_the_command_exits_zero_only_when_every_mart_is_equal(
    marts_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = write_duckdb(tmp_path / "duck.duckdb", DUCKDB_ORDERS[:1], ["13085"])
    spark_dir = tmp_path / "spark"
    arguments = ["--db", str(db), "--spark-dir", str(spark_dir)]
    assert compare_engines.main(arguments) == 2
    assert "run 'make build-spark' first" in capsys.readouterr().err

    write_spark_table(spark_dir, "orders", spark_orders("('a.csv', 5, 1.005, 0.333333333333333)"))
    write_spark_table(spark_dir, "customers", "select '13085' as customer_id")
    assert compare_engines.main(arguments) == 0
    assert "All 2 marts are equal" in capsys.readouterr().out

    write_spark_table(spark_dir, "customers", "select '13086' as customer_id")
    assert compare_engines.main(arguments) == 1
    assert "1 of 2 marts differ: customers." in capsys.readouterr().out


def test_the_spark_marts_are_imported_into_a_duckdb_file(tmp_path: Path) -> None:
    spark_dir = tmp_path / "spark"
    write_spark_table(spark_dir, "customers", "select '13085' as customer_id")
    write_spark_table(spark_dir, "orders", spark_orders("('a.csv', 5, 1.005, 0.5)"))
    # A folder without Parquet files (a table Spark is still writing, say) is no mart.
    (spark_dir / "spark-warehouse" / "marts.db" / "_temporary").mkdir()
    out = tmp_path / "from_spark.duckdb"
    out.write_bytes(b"an older import")

    assert import_spark_marts.main(["--spark-dir", str(spark_dir), "--out", str(out)]) == 0

    with duckdb.connect(str(out), read_only=True) as connection:
        assert connection.execute(
            "select table_schema, table_name from information_schema.tables order by 2"
        ).fetchall() == [("marts", "customers"), ("marts", "orders")]
        assert connection.execute("select customer_id from marts.customers").fetchall() == [
            ("13085",)
        ]
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


def test_importing_without_a_spark_build_says_what_to_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "from_spark.duckdb"
    assert import_spark_marts.main(["--spark-dir", str(tmp_path), "--out", str(out)]) == 1
    assert "run 'make build-spark' first" in capsys.readouterr().err
    assert not out.exists()
