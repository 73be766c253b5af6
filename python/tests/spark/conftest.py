"""The Spark suite's builds: the same files built on Spark and on DuckDB, once per session.

It runs in .venv (which has DuckDB): dbt on Spark is .venv-spark's dbt, run as a command, and
Spark's tables are read from their Parquet folders with DuckDB. A Spark dbt command costs about
40 s of JVM start and 1-2 s a statement, so the suite runs as few as it can: one full build of
every input, one run of the unit tests, and one narrow run per stopped build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, BuildResult, run_dbt_build

from .inputs import write_inputs

SPARK_VENV = PROJECT_ROOT / ".venv-spark"
SPARK_DBT = SPARK_VENV / "bin" / "dbt"
# Small enough that the generated file (about 1.7 MB) and the longest variant file are read in
# several splits, so that line numbers are checked across splits (profiles.yml reads it).
SPLIT_BYTES = 256 * 1024
# Every Spark command of the suite shares one parse of the project.
SPARK_DBT_DIR = Path(tempfile.mkdtemp(prefix="customer_lifecycle_spark_dbt_"))


def missing_prerequisite() -> str | None:
    """What keeps Spark from running here, said with what to do; None when nothing does."""
    if not os.access(SPARK_DBT, os.X_OK):
        return (
            f"No dbt in {SPARK_VENV}: run 'make .venv-spark' (make test-spark does it first),"
            " which installs dbt-spark and pyspark there."
        )
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    failure = "not found"
    if java:
        try:
            completed = subprocess.run(
                [java, "-version"], capture_output=True, stdin=subprocess.DEVNULL, check=False
            )
            failure = None if completed.returncode == 0 else f"exit {completed.returncode}"
        except OSError as error:
            failure = str(error)
    if failure:
        return (
            f"Spark needs Java 17, and java ({java or 'on the PATH'}) failed: {failure}."
            " Install a JRE (Debian/Ubuntu: apt-get install openjdk-17-jre-headless), or set"
            " JAVA_HOME to one."
        )
    return None


@pytest.fixture(scope="session", autouse=True)
def spark_prerequisites() -> None:
    """The suite fails, not skips, where Spark cannot run: CI must not pass without it."""
    problem = missing_prerequisite()
    if problem:
        pytest.exit(f"The Spark suite cannot run. {problem}", returncode=1)


def spark_env(spark_dir: Path, transactions: str | Path) -> dict[str, str]:
    return {
        **os.environ,
        "CUSTOMER_LIFECYCLE_SPARK_DIR": str(spark_dir),
        "CUSTOMER_LIFECYCLE_SPARK_SPLIT_BYTES": str(SPLIT_BYTES),
        "CUSTOMER_LIFECYCLE_TRANSACTIONS": str(transactions),
        "DBT_TARGET_PATH": str(SPARK_DBT_DIR / "target"),
        "DBT_LOG_PATH": str(SPARK_DBT_DIR / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def run_spark_dbt(
    spark_dir: Path, transactions: str | Path, *arguments: str
) -> subprocess.CompletedProcess[str]:
    """`dbt <arguments> --target spark` from the project root, output captured."""
    return subprocess.run(
        [str(SPARK_DBT), *arguments, "--target", "spark", "--no-use-colors"],
        cwd=PROJECT_ROOT,
        env=spark_env(spark_dir, transactions),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )


@dataclass(frozen=True)
class EngineBuilds:
    """The same input built on both engines."""

    transactions: Path
    files: list[Path]
    spark_dir: Path
    spark: subprocess.CompletedProcess[str]
    duckdb: BuildResult

    @property
    def spark_output(self) -> str:
        return self.spark.stdout + self.spark.stderr


@pytest.fixture(scope="session")
def spark_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The suite's one Spark warehouse and metastore: its commands run one after another."""
    return tmp_path_factory.mktemp("spark")


@pytest.fixture(scope="session")
def engine_builds(tmp_path_factory: pytest.TempPathFactory, spark_dir: Path) -> EngineBuilds:
    """Every input file, in one folder, built by one glob on Spark and on DuckDB.

    The glob is absolute, so both engines store the same source_file values. Both builds run
    as `make build` runs them: every model and data test, no unit tests.
    """
    folder = tmp_path_factory.mktemp("inputs")
    files = write_inputs(folder)
    transactions = folder / "*.csv"
    spark = run_spark_dbt(spark_dir, transactions, "build", "--exclude-resource-type", "unit_test")
    duck = run_dbt_build(tmp_path_factory.mktemp("duckdb"), transactions)
    return EngineBuilds(transactions, files, spark_dir, spark, duck)


@pytest.fixture(scope="session")
def stopped_spark_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Spark warehouse with the seeds only, for builds meant to stop.

    A build that stops in a model leaves that model's table dropped, so these builds must not
    run in the warehouse that the unit tests and the mart comparison read.
    """
    folder = tmp_path_factory.mktemp("spark_stopped")
    seeded = run_spark_dbt(folder, folder / "unused.csv", "seed")
    assert seeded.returncode == 0, (seeded.stdout + seeded.stderr)[-6000:]
    return folder


@pytest.fixture(scope="session")
def built_on_spark(engine_builds: EngineBuilds) -> Iterator[EngineBuilds]:
    assert engine_builds.spark.returncode == 0, engine_builds.spark_output[-6000:]
    yield engine_builds
