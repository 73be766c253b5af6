"""Evaluates SQL expressions over facts rows on a local Spark session; run by the Spark venv.

Usage: python evaluate_on_spark.py REQUEST.json RESULT.json

REQUEST holds `schema` (a Spark DDL column list), `rows` (lists in its order, with decimals as
strings and dates as ISO text) and `expressions` (name -> SQL over the columns). RESULT gets, for
each expression, customer_id -> the value. The session is the one the brief of the Spark port
names: one local core, no UI, ANSI mode off.
"""

from __future__ import annotations

import datetime
import decimal
import json
import sys

from pyspark.sql import SparkSession
from pyspark.sql.types import BooleanType, DateType, DecimalType, IntegralType, StructType


def _typed(value, data_type):
    if value is None:
        return None
    if isinstance(data_type, DecimalType):
        return decimal.Decimal(value)
    if isinstance(data_type, DateType):
        return datetime.date.fromisoformat(value)
    if isinstance(data_type, IntegralType):
        return int(value)
    if isinstance(data_type, BooleanType):
        return bool(value)
    return value


def main(request_path: str, result_path: str) -> None:
    with open(request_path, encoding="utf-8") as request_file:
        request = json.load(request_file)
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("explanation_on_spark")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate()
    )
    try:
        schema = StructType.fromDDL(request["schema"])
        rows = [
            tuple(
                _typed(value, field.dataType)
                for value, field in zip(row, schema.fields, strict=True)
            )
            for row in request["rows"]
        ]
        spark.createDataFrame(rows, schema).createOrReplaceTempView("facts")
        result = {
            name: {
                row["customer_id"]: row["explanation"]
                for row in spark.sql(
                    f"select customer_id, {expression} as explanation from facts"
                ).collect()
            }
            for name, expression in request["expressions"].items()
        }
    finally:
        spark.stop()
    with open(result_path, "w", encoding="utf-8") as result_file:
        json.dump(result, result_file, ensure_ascii=False)


if __name__ == "__main__":
    main(*sys.argv[1:])
