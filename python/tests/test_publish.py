"""Write, audit, publish: the published warehouse is replaced only by a build that passed.

Each test publishes into its own folder with the real `python -m customer_lifecycle.publish`
in a subprocess, or with `make build` itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from conftest import HEADER, run_dbt, write_lines

from customer_lifecycle.generate import generate
from customer_lifecycle.paths import PROJECT_ROOT
from customer_lifecycle.publish import (
    building_folder,
    failed_build_path,
    remove_abandoned_builds,
)

MARTS = [
    "customer_360",
    "customer_features",
    "customer_segments",
    "customer_risk",
    "customer_actions",
    "customer_explanations",
    "action_plan",
    "segment_summary",
    "score_breakpoints",
    "customer_snapshot_history",
    "segment_migration",
    "cohort_retention",
    "rule_backtest",
    "data_quality_report",
    "rejected_transactions",
]


@dataclass(frozen=True)
class Workspace:
    folder: Path
    published: Path

    def env(self, transactions: Path) -> dict[str, str]:
        # Under `make test`, make's own variables would make the `make build` started here a
        # sub-make ("make[1]: ..."); a user starts it from a shell.
        inherited = {
            name: value
            for name, value in os.environ.items()
            if name not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES")
        }
        return {
            **inherited,
            "CUSTOMER_LIFECYCLE_DB": str(self.published),
            "CUSTOMER_LIFECYCLE_INGESTION_DB": str(self.folder / "ingestion.duckdb"),
            "CUSTOMER_LIFECYCLE_TRANSACTIONS": str(transactions),
            "DBT_TARGET_PATH": str(self.folder / "target"),
            "DBT_LOG_PATH": str(self.folder / "logs"),
        }

    def publish(self, transactions: Path, *dbt_arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "customer_lifecycle.publish", *dbt_arguments],
            cwd=PROJECT_ROOT,
            env=self.env(transactions),
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            check=False,
        )

    def make_build(
        self, transactions: Path, dbt_vars: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["make", "build", *([f"VARS={dbt_vars}"] if dbt_vars else [])],
            cwd=PROJECT_ROOT,
            env=self.env(transactions),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            stdin=subprocess.DEVNULL,
            check=False,
        )

    @contextlib.contextmanager
    def running_make_build(self, transactions: Path) -> Iterator[subprocess.Popen[str]]:
        """`make build` in a session of its own, as a terminal runs it, with its output.

        Whatever is left of its process group when the block ends is killed (dbt dies with
        publish), so that a failed test leaves no build running.
        """
        build = subprocess.Popen(
            ["make", "build"],
            cwd=PROJECT_ROOT,
            env=self.env(transactions),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            yield build
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(build.pid, signal.SIGKILL)
            build.wait()
            assert build.stdout is not None
            build.stdout.close()

    def leftovers(self) -> list[Path]:
        return sorted(self.folder.glob(f".{self.published.name}.*"))

    def processes(self) -> list[bytes]:
        """The command lines of the running processes whose environment names this warehouse."""
        setting = f"CUSTOMER_LIFECYCLE_DB={self.published}\0".encode()
        found = []
        for process in Path("/proc").iterdir():
            # A process that has ended, or a zombie, has no environment left to read.
            with contextlib.suppress(OSError):
                if process.name.isdigit() and setting in (process / "environ").read_bytes():
                    found.append((process / "cmdline").read_bytes())
        return found

    def interrupted_line(self) -> str:
        return f"Build interrupted; the published warehouse ({self.published}) is unchanged."


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fingerprint(path: Path) -> dict[str, tuple[int, int]]:
    """Each mart's row count and the sum of its rows' hashes: equal for equal contents."""
    with duckdb.connect(str(path), read_only=True) as connection:
        return {
            mart: connection.execute(
                f"select count(*), sum(hash(m)) from marts.{mart} as m"
            ).fetchall()[0]
            for mart in MARTS
        }


# dbt's log lines begin with the time of day.
DBT_LINE = re.compile(r"\d\d:\d\d:\d\d ")
# Interrupts land while dbt writes the landing cache, which it writes in place: the first
# incremental model in it.
WRITING_THE_LANDING_CACHE = (
    "START sql incremental model ingestion.validation.int_transaction_lines_validated"
)


def read_until(build: subprocess.Popen[str], text: str) -> list[str]:
    """The build's output lines up to the first one that contains `text`."""
    assert build.stdout is not None
    lines = []
    for line in build.stdout:
        lines.append(line)
        if text in line:
            return lines
    pytest.fail(f"the build ended before printing {text!r}:\n{''.join(lines)}")


def not_from_dbt(output: str) -> list[str]:
    """The lines of `output` that dbt did not write, with make's line numbers left out."""
    return [
        re.sub(r"Makefile:\d+:", "Makefile:N:", line)
        for line in output.splitlines()
        if not DBT_LINE.match(line)
    ]


def read_every_mart(path: Path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return {
            mart: connection.execute(f"select count(*) from marts.{mart}").fetchall()[0][0]
            for mart in MARTS
        }


@pytest.fixture(scope="module")
def sample_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("input") / "online_retail_ii.csv"
    generate(20_000, 11, path, progress=False)
    return path


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    yield Workspace(tmp_path, tmp_path / "customer_lifecycle.duckdb")


def test_a_failed_build_leaves_the_published_file_as_it_was(
    workspace: Workspace, sample_csv: Path
) -> None:
    first = workspace.publish(sample_csv)
    assert first.returncode == 0, first.stdout + first.stderr
    before = digest(workspace.published)
    # What an earlier failed build kept: this failure must not leave it there as its own.
    failed_copy = failed_build_path(workspace.published)
    failed_copy.write_bytes(b"an earlier failure")

    broken = write_lines(workspace.folder / "no_price.csv", [HEADER.replace(",Price", ""), "1"])
    failed = workspace.publish(broken)
    assert failed.returncode != 0
    assert "lacks required column(s): Price or UnitPrice" in failed.stdout + failed.stderr
    assert "was left as it was" in failed.stderr

    assert digest(workspace.published) == before
    assert all(rows >= 0 for rows in read_every_mart(workspace.published).values())
    assert workspace.leftovers() == []
    # dbt stopped before the data-quality report, so there is no report of this build to keep.
    assert not failed_copy.exists()
    assert str(failed_copy) not in failed.stderr


def test_a_build_stopped_by_the_rejected_share_keeps_its_rejections_beside_the_warehouse(
    workspace: Workspace, sample_csv: Path
) -> None:
    first = workspace.make_build(sample_csv)
    assert first.returncode == 0, first.stdout
    before = digest(workspace.published)
    lines = [
        HEADER,
        "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850,France",
        "536366,22633,HAND WARMER UNION JACK,6,12/1/2010 8:28,1.85,,France",
        "536367,84879,ASSORTED COLOUR BIRD ORNAMENT,32,12/1/2010 8:34,1.69,,France",
        "536368,22960,JAM MAKING SET WITH JARS,6,12/1/2010 8:34,4.25,,France",
    ]
    mostly_anonymous = write_lines(workspace.folder / "mostly_anonymous.csv", lines)

    # Three of four lines lack a customer: 0.75 is above the ceiling.
    stopped = workspace.make_build(mostly_anonymous, "{max_rejected_share: 0.6}")

    assert stopped.returncode != 0
    assert "Rejected share 0.75 (3 of 4 lines) exceeds max_rejected_share 0.6" in stopped.stdout
    failed_copy = workspace.folder / "customer_lifecycle.failed.duckdb"
    assert (
        f"The published warehouse ({workspace.published}) was left as it was.\n"
        f"This build's data-quality report and rejected lines are in {failed_copy}"
        " (marts.data_quality_report, marts.data_quality_by_file, marts.rejected_transactions)."
        in stopped.stdout
    )
    assert f".venv/bin/python -m customer_lifecycle.query --db {failed_copy} " in stopped.stdout
    with duckdb.connect(str(failed_copy), read_only=True) as connection:
        rejected = connection.execute(
            "select source_line_number, rejection_reason, raw_line"
            " from marts.rejected_transactions order by source_line_number"
        ).fetchall()
        report = connection.execute(
            "select transactions_path, lines_read, lines_rejected from marts.data_quality_report"
        ).fetchall()
    # The header is line 1.
    assert rejected == [(number, "missing_customer_id", lines[number - 1]) for number in (3, 4, 5)]
    assert report == [(str(mostly_anonymous), 4, 3)]
    assert digest(workspace.published) == before
    assert workspace.leftovers() == []

    # The next build that passes publishes, and takes the failure's copy away with it.
    again = workspace.make_build(sample_csv)
    assert again.returncode == 0, again.stdout
    assert not failed_copy.exists()


def mart_tables(connection: duckdb.DuckDBPyConnection, database: str) -> list[str]:
    return [
        table
        for (table,) in connection.execute(
            "select table_name from duckdb_tables()"
            " where database_name = ? and schema_name = 'marts' order by table_name",
            [database],
        ).fetchall()
    ]


def mart_columns(
    connection: duckdb.DuckDBPyConnection, database: str, mart: str
) -> list[tuple[str, str]]:
    return connection.execute(
        "select column_name, data_type from duckdb_columns()"
        " where database_name = ? and schema_name = 'marts' and table_name = ?"
        " order by column_index",
        [database, mart],
    ).fetchall()


def test_a_build_gives_the_same_marts_whatever_was_built_before(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    whole_a, input_b = inputs / "whole_a.csv", inputs / "b.csv"
    generate(6_000, 5, whole_a, progress=False)
    generate(6_000, 6, input_b, progress=False)
    # The first half of a file that runs to 2011-12, so A's as-of date is a year before B's: a
    # snapshot of A left in the history would be a row the fresh build does not have.
    input_a = write_lines(inputs / "a.csv", whole_a.read_text().splitlines()[:3_001])
    after_a, fresh = (
        Workspace(folder, folder / "customer_lifecycle.duckdb")
        for folder in (tmp_path / "after_a", tmp_path / "fresh")
    )

    for workspace, transactions in [(after_a, input_a), (after_a, input_b), (fresh, input_b)]:
        result = workspace.publish(transactions)
        assert result.returncode == 0, result.stdout + result.stderr

    with duckdb.connect() as connection:
        for workspace, name in [(after_a, "after_a"), (fresh, "fresh")]:
            connection.execute(f"attach '{workspace.published}' as {name} (read_only)")
        marts = mart_tables(connection, "fresh")
        assert marts, "the fresh build has no mart"
        assert mart_tables(connection, "after_a") == marts
        for mart in marts:
            columns = mart_columns(connection, "fresh", mart)
            assert mart_columns(connection, "after_a", mart) == columns, mart
            for left, right in [("after_a", "fresh"), ("fresh", "after_a")]:
                only_left = connection.execute(
                    f"select * from {left}.marts.{mart}"
                    f" except all select * from {right}.marts.{mart} limit 3"
                ).fetchall()
                assert only_left == [], f"marts.{mart} has rows only in {left}: {only_left}"


READER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import duckdb

    published, stop_file, marts = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3].split(",")
    queries, failures = 0, []
    # Bounded: it stops when told to, or after 20,000 rounds whatever happens.
    for _ in range(20_000):
        if stop_file.exists():
            break
        try:
            with duckdb.connect(str(published), read_only=True) as connection:
                for mart in marts:
                    connection.execute(f"select count(*) from marts.{mart}").fetchall()
                    queries += 1
        except Exception as error:
            failures.append(repr(error))
    print(json.dumps({"queries": queries, "failures": failures[:5], "failed": len(failures)}))
    """
)


def test_readers_never_fail_while_a_build_publishes(workspace: Workspace, sample_csv: Path) -> None:
    first = workspace.publish(sample_csv)
    assert first.returncode == 0, first.stdout + first.stderr
    stop_file = workspace.folder / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(workspace.published), str(stop_file), ",".join(MARTS)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        second = workspace.publish(sample_csv, "--vars", json.dumps({"as_of_date": "2011-09-01"}))
    finally:
        stop_file.touch()
        output, _ = reader.communicate(timeout=120)
    assert second.returncode == 0, second.stdout + second.stderr
    report = json.loads(output)
    print(f"reader ran {report['queries']} queries during the build")
    assert report["failed"] == 0, report["failures"]
    assert report["queries"] > 0
    # The reader kept going across the publish: the new snapshot is there now.
    with duckdb.connect(str(workspace.published), read_only=True) as connection:
        assert (
            connection.execute(
                "select count(*) from marts.customer_snapshot_history where as_of_date = '2011-09-01'"
            ).fetchall()[0][0]
            > 0
        )


def test_a_killed_build_leaves_the_published_file_readable(
    workspace: Workspace, sample_csv: Path
) -> None:
    first = workspace.publish(sample_csv)
    assert first.returncode == 0, first.stdout + first.stderr
    before = digest(workspace.published)
    log = workspace.folder / "logs" / "dbt.log"
    log_size = log.stat().st_size

    build = subprocess.Popen(
        [sys.executable, "-m", "customer_lifecycle.publish"],
        cwd=PROJECT_ROOT,
        env=workspace.env(sample_csv),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        # Kill it in the middle: once dbt has built a customer model into the staged copy (the
        # lines and the landing cache are in the ingestion database).
        first_model_in_file = b"OK created sql table model intermediate.int_as_of_dates_resolved"
        for _ in range(1200):
            with log.open("rb") as handle:
                handle.seek(log_size)
                if first_model_in_file in handle.read():
                    break
            assert build.poll() is None, "the build ended before it could be killed"
            time.sleep(0.05)
        else:
            pytest.fail("the build never reached its first model")
        assert workspace.leftovers(), "the build should be writing a staged copy"
    finally:
        os.killpg(build.pid, signal.SIGKILL)
        build.wait(timeout=60)
    # dbt runs in a session of its own, out of reach of the group's SIGKILL: the kernel kills it
    # when publish dies, but in its own time.
    for _ in range(600):
        if not workspace.processes():
            break
        time.sleep(0.05)
    assert workspace.processes() == []

    assert digest(workspace.published) == before
    assert all(rows >= 0 for rows in read_every_mart(workspace.published).values())
    # The next build clears what the killed one left behind, and publishes.
    assert workspace.leftovers()
    again = workspace.publish(sample_csv)
    assert again.returncode == 0, again.stdout + again.stderr
    assert workspace.leftovers() == []


def test_only_the_leftovers_of_dead_builds_are_removed(tmp_path: Path) -> None:
    published = tmp_path / "warehouse.duckdb"
    # Two processes that have ended, one for each layout.
    dead_pid, older_dead_pid = [subprocess.Popen([sys.executable, "-c", "pass"]) for _ in range(2)]
    dead_pid.wait()
    older_dead_pid.wait()
    # A dead build's folder, with its copy and DuckDB's spill folder inside.
    dead_folder = building_folder(published, dead_pid.pid)
    (dead_folder / "warehouse.duckdb.tmp").mkdir(parents=True)
    (dead_folder / "warehouse.duckdb").write_bytes(b"copy")
    (dead_folder / "warehouse.duckdb.tmp" / "spill.block").write_bytes(b"spill")
    # What a dead build of the earlier layout left: the copy and its WAL as lone files.
    old_copy = tmp_path / f".warehouse.duckdb.{older_dead_pid.pid}.building"
    old_wal = tmp_path / f".warehouse.duckdb.{older_dead_pid.pid}.building.wal"
    old_copy.write_bytes(b"copy")
    old_wal.write_bytes(b"wal")
    # A running build's folder: this test's own process.
    live_folder = building_folder(published, os.getpid())
    live_folder.mkdir()

    removed = remove_abandoned_builds(published)

    assert sorted(removed) == sorted([dead_folder, old_copy, old_wal])
    assert not dead_folder.exists() and not old_copy.exists() and not old_wal.exists()
    assert live_folder.is_dir()


def test_a_build_copy_under_another_file_name_is_refused(workspace: Workspace) -> None:
    # dbt names DuckDB's catalog after the profile's file, so a copy named otherwise would fail
    # later with a DuckDB error that does not say why.
    env = {
        **workspace.env(workspace.folder / "unused.csv"),
        "CUSTOMER_LIFECYCLE_BUILD_DB": str(workspace.folder / "other.duckdb"),
    }
    result = run_dbt(env, "debug")

    assert result.returncode != 0
    assert (
        f"CUSTOMER_LIFECYCLE_BUILD_DB={workspace.folder / 'other.duckdb'} must have the same file"
        f" name as the profile's database, {workspace.published.name}" in result.stdout
    )
    assert not (workspace.folder / "other.duckdb").exists()


def test_ctrl_c_stops_make_build_and_publishes_nothing(
    workspace: Workspace, sample_csv: Path
) -> None:
    first = workspace.make_build(sample_csv)
    assert first.returncode == 0, first.stdout
    before = digest(workspace.published)
    published_marts = fingerprint(workspace.published)

    with workspace.running_make_build(sample_csv) as build:
        started = read_until(build, WRITING_THE_LANDING_CACHE)
        assert workspace.leftovers(), "dbt should be writing its copy of the warehouse"
        # What a terminal does on Ctrl-C: SIGINT to every process of the foreground group.
        os.killpg(build.pid, signal.SIGINT)
        rest, _ = build.communicate()

    assert build.returncode == -signal.SIGINT
    assert not_from_dbt(rest) == [
        workspace.interrupted_line(),
        "make: *** [Makefile:N: build] Interrupt",
    ]
    assert "Traceback" not in "".join(started) + rest
    assert digest(workspace.published) == before
    assert workspace.leftovers() == []
    assert workspace.processes() == []

    # The landing cache was being written when dbt was killed: the next build reads it and
    # publishes the same marts as the first.
    again = workspace.make_build(sample_csv)
    assert again.returncode == 0, again.stdout
    assert fingerprint(workspace.published) == published_marts


@pytest.mark.parametrize(
    ("signum", "make_says"),
    [
        # make waits for its recipe without passing SIGINT on; the build sees make give up
        # catching it.
        (signal.SIGINT, ["make: *** [Makefile:N: build] Interrupt"]),
        # make passes SIGTERM on to the build.
        (signal.SIGTERM, ["make: *** [Makefile:N: build] Terminated"]),
        # make is gone at once, says nothing; the build sees its parent change.
        (signal.SIGKILL, []),
    ],
    ids=["SIGINT", "SIGTERM", "SIGKILL"],
)
def test_a_signal_to_make_alone_stops_the_build(
    workspace: Workspace, sample_csv: Path, signum: int, make_says: list[str]
) -> None:
    with workspace.running_make_build(sample_csv) as build:
        started = read_until(build, WRITING_THE_LANDING_CACHE)
        assert workspace.leftovers(), "dbt should be writing its copy of the warehouse"
        os.kill(build.pid, signum)
        # The output ends when every process that could write it has ended: make, publish,
        # dbt.
        rest, _ = build.communicate()

    assert build.returncode == -signum
    assert not_from_dbt(rest) == [workspace.interrupted_line(), *make_says]
    assert "Traceback" not in "".join(started) + rest
    assert not workspace.published.exists()
    assert workspace.leftovers() == []
    assert workspace.processes() == []
