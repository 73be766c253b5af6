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
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from customer_lifecycle.dbt import DbtError, run_dbt
from customer_lifecycle.paths import warehouse_path

BUILDING_SUFFIX = ".building"
# Read by customer_lifecycle.dbt_paths_plugin: the file dbt really opens during a publish.
BUILD_DB_ENV = "CUSTOMER_LIFECYCLE_BUILD_DB"


def building_folder(published: Path, pid: int) -> Path:
    """Where process `pid` builds the next version of `published` (hidden, same folder)."""
    return published.with_name(f".{published.name}.{pid}{BUILDING_SUFFIX}")


def building_path(published: Path, pid: int) -> Path:
    """The copy itself: the published file's name, inside the build's own folder."""
    return building_folder(published, pid) / published.name


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
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# Unit tests check the code, not the data: `make test` runs them, a production build does not.
PRODUCTION_BUILD = ["build", "--exclude-resource-type", "unit_test"]


def build_and_publish(dbt_arguments: Sequence[str] = ()) -> Path:
    """`dbt build` into a staged copy, then publish it; returns the published path."""
    published = warehouse_path()
    with staged_warehouse(published) as staged:
        run_dbt([*PRODUCTION_BUILD, *dbt_arguments], env=build_env(staged), capture=False)
    return published


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        published = build_and_publish(arguments)
    except DbtError as error:
        print(
            f"{error}\nThe published warehouse ({warehouse_path()}) was left as it was.",
            file=sys.stderr,
        )
        return 1
    print(f"Published {published}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
