"""Builds the warehouse beside the published file and publishes it only when every test passes.

Usage: python -m customer_lifecycle.publish [dbt build arguments ...]

Write, audit, publish:

1. The new warehouse starts as a copy of the published one, so snapshot history survives.
2. `dbt build` runs every model and every data test against the copy, never the published
   file, so readers (the dashboard, SQL clients) never wait on a lock held by the build. Unit
   tests check the code, not the data, so a production build leaves them out, as the dbt docs
   recommend (`--exclude-resource-type unit_test`); `make test` runs them.
3. Only when the build passes does the copy replace the published file, with one atomic
   rename. A reader that opened the old file keeps reading it; the next connection sees the
   new one. A build that fails, or is killed at any point, leaves the published file as it was.
4. When dbt fails after building marts.data_quality_report and marts.rejected_transactions
   (they do not depend on the rejected-share gate), the copy is kept beside the published file
   as `<name>.failed.duckdb`, so the reasons can be read; the next build replaces or removes it.

Plain `dbt build` writes straight into CUSTOMER_LIFECYCLE_DB instead: no copy, no audit step.

The copy sits in a hidden folder of its own beside the published file, under the same file
name, and dbt is pointed at it through CUSTOMER_LIFECYCLE_BUILD_DB, which the profile's plugin
reads (customer_lifecycle.dbt_paths_plugin). The profile itself keeps naming the published
file: a path that changed with every build would make dbt parse the whole project again each
time (about 2 s), and the same file name keeps DuckDB's catalog name the one dbt expects.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb

from customer_lifecycle.dbt import DbtError, run_dbt
from customer_lifecycle.paths import warehouse_path
from customer_lifecycle.summary import EXAMPLE_QUERY

BUILDING_SUFFIX = ".building"
# Read by customer_lifecycle.dbt_paths_plugin: the file dbt really opens during a publish.
BUILD_DB_ENV = "CUSTOMER_LIFECYCLE_BUILD_DB"


def building_folder(published: Path, pid: int) -> Path:
    """Where process `pid` builds the next version of `published` (hidden, same folder)."""
    return published.with_name(f".{published.name}.{pid}{BUILDING_SUFFIX}")


def building_path(published: Path, pid: int) -> Path:
    """The copy itself: the published file's name, inside the build's own folder."""
    return building_folder(published, pid) / published.name


def failed_build_path(published: Path) -> Path:
    """Where the copy of the last build that failed is kept, beside `published`."""
    return published.with_name(f"{published.stem}.failed.duckdb")


def build_env(staged: Path) -> dict[str, str]:
    """The environment for a dbt command that must write to `staged`."""
    return {**os.environ, BUILD_DB_ENV: str(staged)}


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_abandoned_builds(published: Path) -> list[Path]:
    """Deletes the building folders (copy, WAL, spill files) of builds whose process is gone."""
    removed = []
    for candidate in published.parent.glob(f".{published.name}.*{BUILDING_SUFFIX}*"):
        pid_text = candidate.name.removeprefix(f".{published.name}.").split(".", 1)[0]
        if pid_text.isdigit() and not _is_running(int(pid_text)):
            if candidate.is_dir():
                shutil.rmtree(candidate, ignore_errors=True)
            else:
                # A lone file: the copy itself, as releases before the build folder left it.
                candidate.unlink(missing_ok=True)
            removed.append(candidate)
    return removed


def _remove_database(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def staged_warehouse(published: Path | None = None) -> Iterator[Path]:
    """Yields a private copy of the published warehouse; publishes it if the block succeeds.

    The copy is deleted when the block raises. It is published only if DuckDB left no WAL
    behind, i.e. every connection to it was closed cleanly.
    """
    published = published or warehouse_path()
    published.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned_builds(published)
    folder = building_folder(published, os.getpid())
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    staged = building_path(published, os.getpid())
    wal = staged.with_name(staged.name + ".wal")
    if published.exists():
        shutil.copyfile(published, staged)
    try:
        yield staged
        if wal.exists():
            raise RuntimeError(f"{staged} still has a write-ahead log; not publishing it")
        if not staged.exists():
            raise RuntimeError(f"the build wrote nothing to {staged}; not publishing")
        _fsync(staged)
        os.replace(staged, published)
        _fsync(published.parent)
        # The published warehouse is newer than any failed build now: a reader of the failed
        # copy would take old failures for current ones.
        _remove_database(failed_build_path(published))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# Unit tests check the code, not the data: `make test` runs them, a production build does not.
PRODUCTION_BUILD = ["build", "--exclude-resource-type", "unit_test"]


# What a failed build is kept for: the marts that do not depend on the rejected-share gate.
FAILED_BUILD_MARTS = ("data_quality_report", "rejected_transactions")


class BuildFailed(RuntimeError):
    """dbt failed; `failed_copy` is where its data-quality report was kept, if it was."""

    def __init__(self, error: DbtError, failed_copy: Path | None) -> None:
        super().__init__(str(error))
        self.failed_copy = failed_copy


def _marts_in(database: Path) -> set[str]:
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute(
            "select table_name from duckdb_tables()"
            " where database_name = current_database() and schema_name = 'marts'"
        ).fetchall()
    return {table for (table,) in rows}


def _drop_failed_build_marts(staged: Path) -> None:
    # The copy starts with the previous build's marts: without them, finding these two after a
    # failure proves this build wrote them.
    with duckdb.connect(str(staged)) as connection:
        for mart in FAILED_BUILD_MARTS:
            connection.execute(f"drop table if exists marts.{mart}")


def keep_failed_build(staged: Path, published: Path) -> Path | None:
    """Moves the copy of a failed build beside `published`, if it holds this build's report.

    Returns where it went, or None when it was not kept: DuckDB left a WAL (the file alone is
    not the database), or dbt failed before it built the report and the rejected lines. Either
    way the copy of an earlier failure goes, so that what is there is always the last build's.
    """
    failed = failed_build_path(published)
    _remove_database(failed)
    wal = staged.with_name(staged.name + ".wal")
    if wal.exists() or not staged.exists() or not set(FAILED_BUILD_MARTS) <= _marts_in(staged):
        return None
    os.replace(staged, failed)
    return failed


def build_and_publish(dbt_arguments: Sequence[str] = ()) -> Path:
    """`dbt build` into a staged copy, then publish it; returns the published path.

    Raises BuildFailed when dbt fails, after keeping the copy where it says.
    """
    published = warehouse_path()
    with staged_warehouse(published) as staged:
        if staged.exists():
            _drop_failed_build_marts(staged)
        try:
            run_dbt([*PRODUCTION_BUILD, *dbt_arguments], env=build_env(staged), capture=False)
        except DbtError as error:
            raise BuildFailed(error, keep_failed_build(staged, published)) from error
    return published


def failure_message(failure: BuildFailed, published: Path) -> str:
    """What to tell after dbt's own error: the published file is intact, where to look."""
    lines = [str(failure), f"The published warehouse ({published}) was left as it was."]
    if failure.failed_copy is not None:
        failed = shlex.quote(str(failure.failed_copy))
        lines += [
            f"This build's data-quality report and rejected lines are in {failure.failed_copy}"
            " (marts.data_quality_report, marts.rejected_transactions). Try:",
            f'  .venv/bin/python -m customer_lifecycle.query --db {failed} "{EXAMPLE_QUERY}"',
        ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        published = build_and_publish(arguments)
    except BuildFailed as failure:
        print(failure_message(failure, warehouse_path()), file=sys.stderr)
        return 1
    print(f"Published {published}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
