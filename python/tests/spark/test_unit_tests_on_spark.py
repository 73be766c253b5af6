"""Every dbt unit test passes on Spark, as `make test` checks it on DuckDB."""

from __future__ import annotations

import re

from .conftest import EngineBuilds, run_spark_dbt


def test_every_dbt_unit_test_passes_on_spark(engine_builds: EngineBuilds) -> None:
    # After the build: dbt reads the columns of the models a unit test mocks from the warehouse.
    completed = run_spark_dbt(
        engine_builds.spark_dir, engine_builds.transactions, "test", "--select", "test_type:unit"
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-6000:]
    passed = re.search(r"PASS=(\d+)", output)
    assert passed and int(passed.group(1)) > 0, output[-2000:]
