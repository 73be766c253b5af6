"""Builds the warehouse beside the published file and publishes it only when every test passes.

Usage: python -m customer_lifecycle.publish [dbt build arguments ...]

Write, audit, publish:

1. `dbt build` runs every model and every data test into a new, empty warehouse file, never
   the published one, so readers (the dashboard, SQL clients) never wait on a lock held by the
   build. Every mart is computed from the input, so the build needs nothing from the published
   file. Unit tests check the code, not the data, so a production build leaves them out, as the
   dbt docs recommend (`--exclude-resource-type unit_test`); `make test` runs them.
2. Only when the build passes does the new file replace the published one, with one atomic
   rename. A reader that opened the old file keeps reading it; the next connection sees the
   new one. A build that fails, or is killed at any point, leaves the published file as it was.
3. When dbt fails after building marts.data_quality_report, marts.data_quality_by_file and
   marts.rejected_transactions (they do not depend on the rejected-share gate), the new file is
   kept beside the published one as `<name>.failed.duckdb`, so the reasons can be read; the
   next build replaces or removes it.
4. A build told to stop (Ctrl-C, SIGTERM, SIGHUP, or the process that started it going away)
   stops dbt, deletes the new file, publishes nothing, and says so in one line.

Plain `dbt build` writes straight into CUSTOMER_LIFECYCLE_DB instead: no new file, no audit step.

The new file sits in a hidden folder of its own beside the published one, under the same file
name, and dbt is pointed at it through CUSTOMER_LIFECYCLE_BUILD_DB, which the profile's plugin
reads (customer_lifecycle.dbt_paths_plugin). The profile itself keeps naming the published
file: a path that changed with every build would make dbt parse the whole project again each
time (about 2 s), and the same file name keeps DuckDB's catalog name the one dbt expects.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType

import duckdb

from customer_lifecycle.dbt import dbt_command
from customer_lifecycle.paths import PROJECT_ROOT, warehouse_path
from customer_lifecycle.summary import EXAMPLE_QUERY

BUILDING_SUFFIX = ".building"
# Read by customer_lifecycle.dbt_paths_plugin: the file dbt really opens during a publish.
BUILD_DB_ENV = "CUSTOMER_LIFECYCLE_BUILD_DB"


def building_folder(published: Path, pid: int) -> Path:
    """Where process `pid` builds the next version of `published` (hidden, same folder)."""
    return published.with_name(f".{published.name}.{pid}{BUILDING_SUFFIX}")


def building_path(published: Path, pid: int) -> Path:
    """The new warehouse itself: the published file's name, inside the build's own folder."""
    return building_folder(published, pid) / published.name


def failed_build_path(published: Path) -> Path:
    """Where the warehouse of the last build that failed is kept, beside `published`."""
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
    """Deletes the building folders (database, WAL, spill files) of builds whose process is gone."""
    removed = []
    for candidate in published.parent.glob(f".{published.name}.*{BUILDING_SUFFIX}*"):
        pid_text = candidate.name.removeprefix(f".{published.name}.").split(".", 1)[0]
        if pid_text.isdigit() and not _is_running(int(pid_text)):
            if candidate.is_dir():
                shutil.rmtree(candidate, ignore_errors=True)
            else:
                # A lone file: the warehouse itself, as releases before the build folder left it.
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
def staged_warehouse(
    published: Path | None = None, before_publish: Callable[[], None] | None = None
) -> Iterator[Path]:
    """Yields the path of a new warehouse, not yet created; publishes it if the block succeeds.

    The new file is deleted when the block raises. It is published only if DuckDB left no WAL
    behind, i.e. every connection to it was closed cleanly, and `before_publish`, called just
    before the rename, does not raise.
    """
    published = published or warehouse_path()
    published.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned_builds(published)
    folder = building_folder(published, os.getpid())
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    staged = building_path(published, os.getpid())
    wal = staged.with_name(staged.name + ".wal")
    try:
        yield staged
        if wal.exists():
            raise RuntimeError(f"{staged} still has a write-ahead log; not publishing it")
        if not staged.exists():
            raise RuntimeError(f"the build wrote nothing to {staged}; not publishing")
        _fsync(staged)
        if before_publish is not None:
            before_publish()
        os.replace(staged, published)
        _fsync(published.parent)
        # The published warehouse is newer than any failed build now: a reader of the failed
        # build's file would take old failures for current ones.
        _remove_database(failed_build_path(published))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# Unit tests check the code, not the data: `make test` runs them, a production build does not.
PRODUCTION_BUILD = ["build", "--exclude-resource-type", "unit_test"]


# What a failed build is kept for: the marts that do not depend on the rejected-share gate.
FAILED_BUILD_MARTS = ("data_quality_report", "data_quality_by_file", "rejected_transactions")


class BuildFailed(RuntimeError):
    """dbt failed; `failed_copy` is where its data-quality report was kept, if it was."""

    def __init__(self, message: str, failed_copy: Path | None) -> None:
        super().__init__(message)
        self.failed_copy = failed_copy


def _marts_in(database: Path) -> set[str]:
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute(
            "select table_name from duckdb_tables()"
            " where database_name = current_database() and schema_name = 'marts'"
        ).fetchall()
    return {table for (table,) in rows}


def keep_failed_build(staged: Path, published: Path) -> Path | None:
    """Moves a failed build's warehouse beside `published`, if it holds the build's report.

    The build started from an empty file, so every table in it is this build's. Returns where it
    went, or None when it was not kept: DuckDB left a WAL (the file alone is not the database),
    or dbt failed before it built the report and the rejected lines. Either way the file of an
    earlier failure goes, so that what is there is always the last build's.
    """
    failed = failed_build_path(published)
    _remove_database(failed)
    wal = staged.with_name(staged.name + ".wal")
    if wal.exists() or not staged.exists() or not set(FAILED_BUILD_MARTS) <= _marts_in(staged):
        return None
    os.replace(staged, failed)
    return failed


# The signals that stop a build; it ends as if killed by the one it got.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# How often a build waiting for dbt looks whether it was told to stop.
POLL_SECONDS = 0.25


class Interrupted(Exception):
    """The build was told to stop, by `signum` or by what stands for it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _signal_bit(signum: int) -> int:
    return 1 << (signum - 1)


def _caught_signals(pid: int) -> int:
    """The bit mask of the signals process `pid` has a handler for; 0 where /proc is missing."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("SigCgt:"):
            return int(line.split()[1], 16)
    return 0


class StopRequests:
    """Whether the build must stop: a stop signal, or the process that started it leaving.

    The Makefile's shell runs the recipe's command in its own place, so the parent is make. A
    terminal's Ctrl-C reaches make and this process alike, and make passes SIGTERM on to it.
    But GNU make sent SIGINT or SIGHUP alone (not to its process group) passes nothing on: it
    sets the signal's handler back to the default and waits for the recipe to end, then dies.
    So a parent that no longer catches a stop signal it caught when the build started is on
    its way out, and one that is gone shows as a new parent process id.
    """

    def __init__(self) -> None:
        self.signum: int | None = None
        self._parent = os.getppid()
        watched = sum(_signal_bit(signum) for signum in STOP_SIGNALS)
        self._parent_catches = _caught_signals(self._parent) & watched

    def listen(self) -> None:
        """Records the stop signals instead of dying of them, except those ignored (nohup)."""
        for signum in STOP_SIGNALS:
            if signal.getsignal(signum) is not signal.SIG_IGN:
                signal.signal(signum, self._record)

    def _record(self, signum: int, _frame: FrameType | None) -> None:
        # Only recorded, never raised here: an exception at any bytecode could cut a clean-up
        # short, or leave a dbt just started untracked.
        if self.signum is None:
            self.signum = signum

    def check(self) -> None:
        """Raises Interrupted if the build must stop."""
        if self.signum is None and os.getppid() != self._parent:
            # The parent is gone (make killed outright): nobody is left to see the build, as
            # after a hang-up.
            self.signum = signal.SIGHUP
        if self.signum is None:
            dropped = self._parent_catches & ~_caught_signals(self._parent)
            self.signum = next((sig for sig in STOP_SIGNALS if dropped & _signal_bit(sig)), None)
        if self.signum is not None:
            raise Interrupted(self.signum)


# prctl's option for the signal a process gets when its parent dies (linux/prctl.h).
PR_SET_PDEATHSIG = 1


def _killed_with_this_process() -> Callable[[], None] | None:
    """A preexec_fn that has the kernel SIGKILL the child when this process dies (Linux).

    No handler sees this process killed by SIGKILL, and a child in a session of its own gets
    no signal sent to this one's process group (`kill -9 -- -PGID`): without this, dbt would
    build on, orphaned, holding the landing cache's lock against the next build.
    """
    if sys.platform != "linux":
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def in_child() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        # This process may have died between the fork and the prctl.
        if os.getppid() != parent:
            os._exit(1)

    return in_child


def run_until_stopped(command: Sequence[str], env: dict[str, str], stop: StopRequests) -> int:
    """Runs `command` from the project root and returns its exit status.

    Raises Interrupted, after killing the command, when `stop` says the build must stop, even
    if the command has ended meanwhile. The command runs in a session of its own, so a Ctrl-C
    at the terminal does not reach it: dbt would print its own cancellation, with a traceback.
    It is killed with SIGKILL instead, with every process of its group (dbt's multiprocessing
    resource tracker); DuckDB rolls back on the next open what a killed writer had not
    committed.
    """
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_killed_with_this_process(),
    )
    try:
        while True:
            try:
                status: int | None = process.wait(timeout=POLL_SECONDS)
            except subprocess.TimeoutExpired:
                status = None
            stop.check()
            if status is not None:
                return status
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise


def build_and_publish(dbt_arguments: Sequence[str], stop: StopRequests) -> Path:
    """`dbt build` into a new warehouse file, then publish it; returns the published path.

    Raises BuildFailed when dbt fails, after keeping the new file where it says, and Interrupted
    when `stop` says the build must stop, before the new file is published.
    """
    published = warehouse_path()
    with staged_warehouse(published, before_publish=stop.check) as staged:
        # Clearing a dead build's folder can take a while: a stop asked for then starts no dbt.
        stop.check()
        arguments = [*PRODUCTION_BUILD, *dbt_arguments]
        status = run_until_stopped(dbt_command(arguments), build_env(staged), stop)
        if status != 0:
            raise BuildFailed(
                f"dbt {' '.join(arguments)} failed (exit {status}).",
                keep_failed_build(staged, published),
            )
    return published


def failure_message(failure: BuildFailed, published: Path) -> str:
    """What to tell after dbt's own error: the published file is intact, where to look."""
    lines = [str(failure), f"The published warehouse ({published}) was left as it was."]
    if failure.failed_copy is not None:
        failed = shlex.quote(str(failure.failed_copy))
        lines += [
            f"This build's data-quality report and rejected lines are in {failure.failed_copy}"
            " (marts.data_quality_report, marts.data_quality_by_file,"
            " marts.rejected_transactions). Try:",
            f'  .venv/bin/python -m customer_lifecycle.query --db {failed} "{EXAMPLE_QUERY}"',
        ]
    return "\n".join(lines)


def _end_by(signum: int) -> int:
    """Ends this process by `signum`, as if it had not been caught.

    A shell shows the same status as for an exit code of 128 + signum, but make and a calling
    shell also learn that the build was interrupted rather than failed (make says "Interrupt").
    Returns that exit code, should the signal not end the process.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    signal.signal(signum, signal.SIG_DFL)
    signal.raise_signal(signum)
    return 128 + signum


def main(argv: Sequence[str] | None = None) -> int:
    stop = StopRequests()
    stop.listen()
    arguments = list(sys.argv[1:] if argv is None else argv)
    published = warehouse_path()
    try:
        build_and_publish(arguments, stop)
    except BuildFailed as failure:
        print(failure_message(failure, published), file=sys.stderr)
        return 1
    except Interrupted as interruption:
        print(
            f"Build interrupted; the published warehouse ({published}) is unchanged.",
            file=sys.stderr,
        )
        return _end_by(interruption.signum)
    print(f"Published {published}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
