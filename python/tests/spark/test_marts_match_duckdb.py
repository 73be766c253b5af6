"""Every mart built on Spark equals the DuckDB build of the same files, row for row.

One build per engine reads every input file (inputs.py) through one glob; the comparison is
customer_lifecycle.compare_engines, as `make compare-engines` runs it.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from customer_lifecycle.compare_engines import MartComparison, compare, mart_contracts, render

from .conftest import SPLIT_BYTES, EngineBuilds
from .inputs import GENERATED_NAME

MARTS = list(mart_contracts())


def test_the_duckdb_build_passes(engine_builds: EngineBuilds) -> None:
    assert engine_builds.duckdb.returncode == 0, engine_builds.duckdb.output[-6000:]


def test_the_spark_build_passes(built_on_spark: EngineBuilds) -> None:
    assert "Completed successfully" in built_on_spark.spark_output


def test_the_inputs_give_every_rejection_reason(engine_builds: EngineBuilds) -> None:
    reasons_seed = Path(__file__).resolve().parents[3] / "seeds" / "rejection_reasons.csv"
    with reasons_seed.open(newline="") as seed:
        every_reason = {row["rejection_reason"] for row in csv.DictReader(seed)}
    found = engine_builds.duckdb.query(
        "select distinct rejection_reason from marts.rejected_transactions"
    )
    assert {reason for (reason,) in found} == every_reason


def test_the_generated_file_has_rejected_lines_in_several_splits(
    engine_builds: EngineBuilds,
) -> None:
    """So that equal line numbers of its rejected lines show that splits are numbered right."""
    generated = next(path for path in engine_builds.files if path.name == GENERATED_NAME)
    content = generated.read_bytes()
    assert len(content) > 4 * SPLIT_BYTES
    starts = [0]
    starts += [offset + 1 for offset, byte in enumerate(content) if byte == ord("\n")]
    numbers = engine_builds.duckdb.query(
        "select source_line_number from marts.rejected_transactions where source_file = ?",
        [str(generated)],
    )
    splits = {starts[number - 1] // SPLIT_BYTES for (number,) in numbers}
    assert len(splits) >= 3, splits


@pytest.fixture(scope="module")
def comparisons(built_on_spark: EngineBuilds) -> dict[str, MartComparison]:
    assert built_on_spark.duckdb.returncode == 0, built_on_spark.duckdb.output[-6000:]
    results = compare(built_on_spark.duckdb.db, built_on_spark.spark_dir, examples=10)
    return {result.mart: result for result in results}


@pytest.mark.parametrize("mart", MARTS)
def test_every_mart_is_equal_on_both_engines(
    comparisons: dict[str, MartComparison], built_on_spark: EngineBuilds, mart: str
) -> None:
    result = comparisons[mart]
    assert result.equal, render([result], built_on_spark.duckdb.db, built_on_spark.spark_dir)
