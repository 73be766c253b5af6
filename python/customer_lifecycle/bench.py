"""Benchmarks the published build against the input size, and writes docs/benchmarks.md.

Usage: python -m customer_lifecycle.bench --lines 1e3,1e6,1e7[,1e8] [--incremental 1e8,3e6]
    [--no-without-history] [--seed 42] [--memory-limit 4GB]

For each size it generates an Online Retail II file with the project's generator (cached by
size and seed under data/generated/bench/), measures two floors on it with the file in the page
cache, then runs the build that `make build` runs (`python -m customer_lifecycle.publish`:
every model and data test, no unit test) into a warehouse and a landing cache of its own, both
new, and records the wall time, each node's time from dbt's run_results.json, the peak resident
memory of the whole process tree and the size of both DuckDB files. Timings are reported,
never asserted.

Each size is built twice, each time into a new warehouse and landing cache: as `make build`
builds it, with the monthly snapshot history (the var snapshot_frequency at its default), then
with `--vars '{snapshot_frequency: none}'`, which computes the build's own as-of date alone.
The difference is what the history costs, set against the issue's target at 10M lines.
`--no-without-history` skips the second build, for a quicker run.

- The floor F, which the targets are set in: a fresh Python process runs
  `duckdb.sql("select count(*), sum(Quantity * Price), count(distinct \"Customer ID\")
  from read_csv('FILE', ignore_errors = true)")`. The generator writes malformed lines on
  purpose, which a plain read_csv refuses; ignore_errors skips them, as a script would.
- The physical-line floor: one read_csv of every physical line as one text column, the least
  any line-exact reader must do.

`--incremental HISTORY,NEW` measures incremental ingestion as it works by default: one
generated file of HISTORY+NEW lines is split once (cached in incremental_<history>_<new>_<seed>/)
into up to 25 monthly files of history, read through the glob months/*.csv, and one file of the
last NEW lines kept in pending/. A published build of the history is followed by a second one,
with the same landing cache, after the new file joined the glob: it parses only that file.
`--lines none` measures no size, and then writes no chart.

The committed figures are reproduced with
`BENCH_LINES=1e3,1e6,1e7,1e8 BENCH_INCREMENTAL=1e8,3e6 make bench`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
from tqdm import tqdm

from customer_lifecycle.dbt import run_dbt
from customer_lifecycle.generate import generate, parse_line_count
from customer_lifecycle.paths import PROJECT_ROOT

BENCH_DIR = PROJECT_ROOT / "data" / "generated" / "bench"
REPORT = PROJECT_ROOT / "docs" / "benchmarks.md"
CHART = PROJECT_ROOT / "docs" / "images" / "benchmarks.svg"

# The generator's lines span 25 months (2009-12 to 2011-12) in time order, so 25 equal slices
# of the history stand in for monthly files.
HISTORY_FILES = 25
# Large enough that splitting a 9 GB file runs at disk speed, small enough to hold in memory.
_BLOCK_BYTES = 64 << 20


@dataclass(frozen=True)
class Build:
    """One measured run of the published build."""

    wall_seconds: float
    peak_rss_bytes: int
    dbt_elapsed_seconds: float
    # Summed node time by resource type (model, test, unit_test, seed): dbt runs two at once.
    node_seconds_by_type: dict[str, float]
    slowest_nodes: list[tuple[str, float]]
    # Every node's time, so that two builds of the same input can be compared node by node.
    node_seconds: dict[str, float]
    node_count: int
    database_bytes: int
    # The landing cache (CUSTOMER_LIFECYCLE_INGESTION_DB) after the build.
    ingestion_bytes: int


@dataclass(frozen=True)
class Measurement:
    lines: int
    file_bytes: int
    # F: the floor, a fresh process aggregating the file with read_csv.
    floor_seconds: float
    # One read_csv of every physical line, in a warm connection.
    line_floor_seconds: float
    build: Build
    memory_limit: str
    # The same build with WITHOUT_HISTORY_VARS, when measured: what `build` costs beyond it is
    # the snapshot history's.
    without_history: Build | None = None


@dataclass(frozen=True)
class IncrementalMeasurement:
    history_lines: int
    new_lines: int
    history_files: int
    # The floor of the new file alone: what the incremental build reads.
    new_floor_seconds: float
    full: Build
    incremental: Build
    memory_limit: str


# The targets on the 2-core machine, per size: (seconds, multiple of F, peak GB), each
# None where the issue sets none; and the stretch targets in the same form.
TARGETS: dict[int, tuple[float | None, float | None, float | None]] = {
    1_000: (6.0, None, None),
    1_000_000: (8.0, None, None),
    10_000_000: (None, 10.0, 2.0),
    100_000_000: (None, 12.0, 5.0),
}
STRETCH: dict[int, tuple[float | None, float | None, float | None]] = {
    1_000: (4.0, None, None),
    1_000_000: (5.0, None, None),
    10_000_000: (None, 6.0, 1.4),
    100_000_000: (None, 8.0, None),
}
# The build after one new file joins the history, as a share of the full build.
INCREMENTAL_TARGET, INCREMENTAL_STRETCH = 0.25, 0.10
# All monthly snapshots of two years add at most this share to the full build at this size,
# counted against the same build without the history.
HISTORY_TARGET_LINES, HISTORY_TARGET_SHARE = 10_000_000, 0.30
# The var that turns the snapshot history off: only the build's own as-of date is computed.
WITHOUT_HISTORY_VARS = {"snapshot_frequency": "none"}


def _verdict(m: Measurement, target: tuple[float | None, float | None, float | None]) -> str:
    seconds, multiple, memory_gb = target
    parts, met = [], True
    if seconds is not None:
        parts.append(f"≤ {seconds:g} s")
        met = met and m.build.wall_seconds <= seconds
    if multiple is not None:
        parts.append(f"≤ {multiple:g} x F = {multiple * m.floor_seconds:.1f} s")
        met = met and m.build.wall_seconds <= multiple * m.floor_seconds
    if memory_gb is not None:
        parts.append(f"≤ {memory_gb:g} GB")
        met = met and m.build.peak_rss_bytes / 1e9 <= memory_gb
    return f"{', '.join(parts)}: {'met' if met else '**missed**'}"


def target_verdict(m: Measurement) -> str:
    """The size's target, and whether the build met it."""
    return _verdict(m, TARGETS[m.lines]) if m.lines in TARGETS else "no target"


def stretch_verdict(m: Measurement) -> str:
    """The size's stretch target, and whether the build met it."""
    return _verdict(m, STRETCH[m.lines]) if m.lines in STRETCH else "no target"


def history_added(m: Measurement) -> tuple[float, float] | None:
    """What the history adds to the build: seconds, and a share of the build without it.

    None when the build without history was not measured.
    """
    if m.without_history is None:
        return None
    return _added(m.build, m.without_history)


def _added(build: Build, without: Build) -> tuple[float, float]:
    added = build.wall_seconds - without.wall_seconds
    return added, added / without.wall_seconds


def history_verdict(measurements: Sequence[Measurement]) -> str:
    """The issue's history target, met or missed at its size, or why it was not judged."""
    goal = (
        "all monthly snapshots of two years add at most"
        f" {HISTORY_TARGET_SHARE:.0%} to the full build at {HISTORY_TARGET_LINES:,} lines"
    )
    at_size = [m for m in measurements if m.lines == HISTORY_TARGET_LINES]
    if not at_size:
        return f"{goal}: not judged, {HISTORY_TARGET_LINES:,} lines were not measured"
    added = history_added(at_size[0])
    if added is None:
        return f"{goal}: not judged, {HISTORY_TARGET_LINES:,} lines were not built without history"
    seconds, share = added
    met = share <= HISTORY_TARGET_SHARE
    return (
        f"{goal}: {seconds:+.1f} s, {share:+.1%} of the build without history:"
        f" {'met' if met else '**missed**'}"
    )


def _tree_rss(root_pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(entry.name)
        children.setdefault(int(fields.get("PPid", "0").strip() or 0), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def _run_measured(command: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Runs `command`; returns (wall seconds, peak tree RSS, exit code)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode != 0:
        sys.stderr.write(stderr.decode(errors="replace")[-3000:])
    return seconds, peak, process.returncode


def line_floor_seconds(csv: Path) -> float:
    """One read_csv of every physical line: the least any line-exact reader must do."""
    query = (
        "select count(*), sum(length(line)) from read_csv(?, columns = {'line': 'VARCHAR'},"
        " header = false, auto_detect = false, delim = chr(0), quote = '', escape = '')"
    )
    best = float("inf")
    with duckdb.connect() as connection:
        # The first run warms the page cache; the best of the rest is the floor.
        for _ in range(3):
            start = time.perf_counter()
            connection.execute(query, [str(csv)]).fetchall()
            best = min(best, time.perf_counter() - start)
    return best


# The floor F, run as a script of its own.
_FLOOR_SCRIPT = """
import sys, duckdb
path = sys.argv[1].replace("'", "''")
duckdb.sql(
    'select count(*), sum(Quantity * Price), count(distinct "Customer ID")'
    f" from read_csv('{path}', ignore_errors = true)"
).fetchall()
"""


def floor_seconds(csv: Path) -> float:
    """F: a fresh Python process that aggregates the file with DuckDB's read_csv, best of 3."""
    best = float("inf")
    # The first run warms the page cache.
    for _ in range(4):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", _FLOOR_SCRIPT, str(csv)],
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        best = min(best, time.perf_counter() - start)
    return best


def _generated(lines: int, seed: int, bench_dir: Path, progress: tqdm) -> Path:
    """The generator's file of `lines` data lines, generated once per size and seed."""
    bench_dir.mkdir(parents=True, exist_ok=True)
    csv = bench_dir / f"online_retail_ii_{lines}_{seed}.csv"
    if not csv.exists():
        progress.set_postfix_str(f"{lines:,} lines: generating")
        generate(lines, seed, csv, progress=False)
    return csv


def _published_build(
    transactions: str,
    database: Path,
    ingestion: Path,
    target: Path,
    memory_limit: str,
    bench_dir: Path,
    dbt_vars: dict[str, str] | None = None,
) -> Build:
    """One `customer_lifecycle.publish` of `transactions` into `database`, measured.

    `dbt_vars` go to the parse as to the build: dbt parses the whole project again when the
    vars differ from those of the last parse, which would put the parse back into the timing.
    """
    env = {
        **os.environ,
        "CUSTOMER_LIFECYCLE_DB": str(database),
        "CUSTOMER_LIFECYCLE_INGESTION_DB": str(ingestion),
        "CUSTOMER_LIFECYCLE_TRANSACTIONS": transactions,
        "CUSTOMER_LIFECYCLE_MEMORY_LIMIT": memory_limit,
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(bench_dir / "logs"),
    }
    # After any change to the project dbt parses it whole again, once (about 5 s): not a cost of
    # the data, and every `make build` after the first reuses that parse. So it runs untimed.
    run_dbt(["parse", "--quiet"], dbt_vars, env=env)
    command = [sys.executable, "-m", "customer_lifecycle.publish"]
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    seconds, peak, code = _run_measured(command, env)
    if code != 0:
        raise SystemExit(f"The build of {transactions} failed (exit {code}); see the output above.")
    run_results = json.loads((target / "run_results.json").read_text())
    results = run_results["results"]
    by_type: dict[str, float] = {}
    for result in results:
        kind = result["unique_id"].split(".")[0]
        by_type[kind] = by_type.get(kind, 0.0) + float(result["execution_time"])
    nodes = sorted(
        ((result["unique_id"], float(result["execution_time"])) for result in results),
        key=lambda node: -node[1],
    )
    return Build(
        wall_seconds=seconds,
        peak_rss_bytes=peak,
        dbt_elapsed_seconds=float(run_results["elapsed_time"]),
        node_seconds_by_type=by_type,
        slowest_nodes=nodes[:10],
        node_seconds=dict(nodes),
        node_count=len(nodes),
        database_bytes=database.stat().st_size,
        ingestion_bytes=ingestion.stat().st_size,
    )


def _fresh(*paths: Path) -> None:
    """Deletes DuckDB files (and their write-ahead logs) a measured build must not reuse."""
    for path in paths:
        path.unlink(missing_ok=True)
        path.with_name(path.name + ".wal").unlink(missing_ok=True)


def _first_build(
    csv: Path,
    name: str,
    memory_limit: str,
    bench_dir: Path,
    dbt_vars: dict[str, str] | None = None,
) -> Build:
    """A measured build of `csv` into warehouse_`name`, as a first build: nothing to reuse."""
    database = bench_dir / f"warehouse_{name}.duckdb"
    # No warehouse (publish starts from a copy of it) and no landing cache from an earlier run.
    # The cache is deleted after the build too, being as large as the input.
    ingestion = bench_dir / f"ingestion_{name}.duckdb"
    _fresh(database, ingestion)
    try:
        return _published_build(
            str(csv),
            database,
            ingestion,
            bench_dir / f"target_{name}",
            memory_limit,
            bench_dir,
            dbt_vars,
        )
    finally:
        _fresh(ingestion)


def measure(
    lines: int,
    seed: int,
    progress: tqdm,
    memory_limit: str,
    bench_dir: Path = BENCH_DIR,
    without_history: bool = True,
) -> Measurement:
    csv = _generated(lines, seed, bench_dir, progress)
    progress.set_postfix_str(f"{lines:,} lines: floors")
    floor = floor_seconds(csv)
    line_floor = line_floor_seconds(csv)
    progress.set_postfix_str(f"{lines:,} lines: building")
    build = _first_build(csv, f"{lines}_{seed}", memory_limit, bench_dir)
    without = None
    if without_history:
        progress.set_postfix_str(f"{lines:,} lines: building without history")
        without = _first_build(
            csv, f"{lines}_{seed}_without_history", memory_limit, bench_dir, WITHOUT_HISTORY_VARS
        )
    return Measurement(
        lines=lines,
        file_bytes=csv.stat().st_size,
        floor_seconds=floor,
        line_floor_seconds=line_floor,
        build=build,
        memory_limit=memory_limit,
        without_history=without,
    )


def _after_newline(block: bytearray, start: int, end: int, n: int) -> int:
    """The offset just past the n-th newline of `block[start:end]`, which holds at least n."""
    # Halving the window that holds it scans the block about once, at bytes.count's speed.
    while end - start > 4096:
        middle = (start + end) // 2
        before = block.count(b"\n", start, middle)
        if before >= n:
            end = middle
        else:
            start, n = middle, n - before
    for _ in range(n):
        start = block.find(b"\n", start) + 1
    return start


def split_csv(source: Path, parts: Sequence[tuple[Path, int]]) -> None:
    """Writes the header line of `source` to each part, then the part's count of data lines.

    Parts take consecutive data lines in order, and must take every one: the file must hold
    exactly their sum, each ending with a newline (the generator's files do). Blocks are cut
    at newline positions, never line by line, so gigabytes split at disk speed.
    """
    total = sum(count for _, count in parts)
    # One buffer, refilled in place: a fresh block per read costs page faults, and slicing
    # one at a cut costs a copy.
    block = bytearray(_BLOCK_BYTES)
    view = memoryview(block)
    size = offset = 0
    with source.open("rb") as reader:
        header = reader.readline()
        for path, count in parts:
            with path.open("wb") as writer:
                writer.write(header)
                remaining = count
                while remaining:
                    if offset == size:
                        size, offset = reader.readinto(block), 0
                        if not size:
                            raise ValueError(
                                f"{source} has fewer than {total:,} newline-terminated data lines"
                            )
                    newlines = block.count(b"\n", offset, size)
                    end = (
                        size
                        if newlines < remaining
                        else _after_newline(block, offset, size, remaining)
                    )
                    writer.write(view[offset:end])
                    remaining -= min(newlines, remaining)
                    offset = end
        if offset < size or reader.read(1):
            raise ValueError(f"{source} has more than {total:,} data lines")


def incremental_inputs(csv: Path, history: int, new: int, folder: Path) -> list[Path]:
    """The history files in `folder`/months/, then the new file in `folder`/pending/.

    `csv`'s first `history` data lines are cut into up to HISTORY_FILES files of about equal
    line counts, its last `new` into one file named to sort after them. The split is done once:
    into a hidden sibling folder, renamed when complete, so an interrupted split is redone.
    """
    files = min(HISTORY_FILES, history)
    names = [f"month_{number:02d}.csv" for number in range(1, files + 2)]
    relative = [Path("months", name) for name in names[:-1]] + [Path("pending", names[-1])]
    if not folder.exists():
        partial = folder.with_name(f".{folder.name}.partial")
        shutil.rmtree(partial, ignore_errors=True)
        (partial / "months").mkdir(parents=True)
        (partial / "pending").mkdir()
        counts = [history * (i + 1) // files - history * i // files for i in range(files)]
        parts = zip(relative, [*counts, new], strict=True)
        split_csv(csv, [(partial / path, count) for path, count in parts])
        partial.rename(folder)
    return [folder / path for path in relative]


def measure_incremental(
    history: int,
    new: int,
    seed: int,
    progress: tqdm,
    memory_limit: str,
    bench_dir: Path = BENCH_DIR,
) -> IncrementalMeasurement:
    label = f"{history:,} + {new:,} lines"
    csv = _generated(history + new, seed, bench_dir, progress)
    progress.set_postfix_str(f"{label}: splitting")
    name = f"incremental_{history}_{new}_{seed}"
    *history_files, pending = incremental_inputs(csv, history, new, bench_dir / name)
    months = history_files[0].parent
    added = months / pending.name
    # A run killed during the incremental build left the new file in the glob.
    if added.exists():
        added.replace(pending)
    progress.set_postfix_str(f"{label}: floor of the new file")
    floor = floor_seconds(pending)
    database = bench_dir / f"warehouse_{name}.duckdb"
    # The landing cache persists between the two builds, as it does for `make build`: it is
    # what lets the second parse only the new file. New for the history build, deleted after.
    ingestion = bench_dir / f"ingestion_{name}.duckdb"
    _fresh(database, ingestion)
    target = bench_dir / f"target_{name}"
    transactions = str(months / "*.csv")
    try:
        progress.set_postfix_str(f"{label}: history build")
        full = _published_build(transactions, database, ingestion, target, memory_limit, bench_dir)
        pending.replace(added)
        try:
            progress.set_postfix_str(f"{label}: incremental build")
            incremental = _published_build(
                transactions, database, ingestion, target, memory_limit, bench_dir
            )
        finally:
            # Out of the glob again, so that the split folder serves the next run as it is.
            added.replace(pending)
    finally:
        _fresh(ingestion)
    return IncrementalMeasurement(
        history_lines=history,
        new_lines=new,
        history_files=len(history_files),
        new_floor_seconds=floor,
        full=full,
        incremental=incremental,
        memory_limit=memory_limit,
    )


def _chart(measurements: list[Measurement]) -> str:
    """An SVG of build time and peak memory against lines (log-log), drawn by hand."""
    width, height, margin = 640, 320, 60
    xs = [math.log10(m.lines) for m in measurements]
    series = {
        "build seconds": ([m.build.wall_seconds for m in measurements], "#1f77b4"),
        "F seconds": ([m.floor_seconds for m in measurements], "#7f7f7f"),
        "peak memory GB": ([m.build.peak_rss_bytes / 1e9 for m in measurements], "#d62728"),
    }
    values = [v for ys, _ in series.values() for v in ys if v > 0]
    low, high = math.log10(min(values)) - 0.2, math.log10(max(values)) + 0.2
    x_low, x_high = min(xs) - 0.3, max(xs) + 0.3

    def point(x: float, y: float) -> tuple[float, float]:
        px = margin + (x - x_low) / (x_high - x_low) * (width - 2 * margin)
        py = height - margin - (math.log10(y) - low) / (high - low) * (height - 2 * margin)
        return px, py

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        ' font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<line x1="{margin}" y1="{height - margin}" x2="{width - margin}"'
        f' y2="{height - margin}" stroke="black"/>',
        f'<line x1="{margin}" y1="{margin}" x2="{margin}" y2="{height - margin}" stroke="black"/>',
        f'<text x="{width / 2}" y="{height - 15}" text-anchor="middle">lines (log scale)</text>',
    ]
    for m, x in zip(measurements, xs, strict=True):
        px, _ = point(x, 10**low)
        parts.append(
            f'<text x="{px}" y="{height - margin + 16}" text-anchor="middle">{m.lines:,}</text>'
        )
    for row, (name, (ys, colour)) in enumerate(series.items()):
        points = [point(x, y) for x, y in zip(xs, ys, strict=True) if y > 0]
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for (px, py), y in zip(points, ys, strict=True):
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}"/>')
            parts.append(f'<text x="{px + 5:.1f}" y="{py - 5:.1f}" fill="{colour}">{y:.2f}</text>')
        parts.append(
            f'<text x="{margin + 10}" y="{margin - 30 + 14 * row}" fill="{colour}">{name}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _node_seconds_cells(build: Build) -> str:
    kinds = build.node_seconds_by_type
    return (
        f" | {kinds.get('model', 0.0):.1f} s | {kinds.get('test', 0.0):.1f} s"
        f" | {kinds.get('unit_test', 0.0):.1f} s | {kinds.get('seed', 0.0):.1f} s |"
    )


def _slowest_nodes(title: str, build: Build) -> list[str]:
    return [
        "",
        f"{title}: the ten slowest of {build.node_count} nodes",
        "",
        "| node | seconds |",
        "| --- | --- |",
        *(f"| `{node}` | {seconds:.2f} |" for node, seconds in build.slowest_nodes),
    ]


def _history_nodes(lines: int, build: Build, without: Build) -> list[str]:
    """The ten nodes whose time the history grew most, beside their time without it."""
    added = sorted(
        (
            (node, seconds, without.node_seconds.get(node))
            for node, seconds in build.node_seconds.items()
        ),
        key=lambda row: -(row[1] - (row[2] or 0.0)),
    )
    return [
        "",
        f"### {lines:,} lines: the ten nodes the history adds most to",
        "",
        "| node | with history | without history | added |",
        "| --- | --- | --- | --- |",
        *(
            f"| `{node}` | {seconds:.2f} s"
            + (" | not run" if before is None else f" | {before:.2f} s")
            + f" | {seconds - (before or 0.0):+.2f} s |"
            for node, seconds, before in added[:10]
        ),
    ]


def _history_report(measurements: list[Measurement]) -> list[str]:
    compared = [(m, w) for m in measurements if (w := m.without_history) is not None]
    if not compared:
        return [
            "",
            "## What the snapshot history costs",
            "",
            "Not measured: no size was built without history (`--no-without-history`).",
            "",
            f"- Target: {history_verdict(measurements)}",
        ]
    lines = [
        "",
        "## What the snapshot history costs",
        "",
        "The build above computes every customer's snapshot (features, segments, RFM, risk) as",
        "of each month start, and as of the build's as-of date. Each size was built again with",
        "`--vars '{snapshot_frequency: none}'`, which computes the as-of date alone, into a",
        "new warehouse and landing cache of its own, after its own untimed `dbt parse`. The",
        "generator's lines span 25 months, so at every size the history holds about two years",
        "of month starts. The added share is of the build without history.",
        "",
        "| lines | with history | without history | history adds | added share"
        " | peak memory with history | peak memory without history"
        " | warehouse with history | warehouse without history |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for m, without in compared:
        seconds, share = _added(m.build, without)
        lines.append(
            f"| {m.lines:,} | {m.build.wall_seconds:.1f} s | {without.wall_seconds:.1f} s"
            f" | {seconds:+.1f} s | {share:+.1%}"
            f" | {m.build.peak_rss_bytes / 1e9:.2f} GB | {without.peak_rss_bytes / 1e9:.2f} GB"
            f" | {m.build.database_bytes / 1e6:,.0f} MB | {without.database_bytes / 1e6:,.0f} MB |"
        )
    lines += [
        "",
        f"- Target: {history_verdict(measurements)}",
        "",
        "Per node, the time with history less the time without it (a node the build without",
        "history does not run counts as 0 s there); at small sizes a few hundredths of a second",
        "either way are noise.",
    ]
    for m, without in compared:
        lines += _history_nodes(m.lines, m.build, without)
    return lines


def _sizes_report(measurements: list[Measurement]) -> list[str]:
    lines = [
        "",
        "Each size is the build that `make build` runs (every model and every data test, no",
        "unit test, then the publish step, with the monthly snapshot history, as by default)",
        "on a file from the project's generator, into a new warehouse and a new landing cache,",
        "after an untimed `dbt parse` (the parse a changed project needs once, which later",
        "builds reuse). Two floors are measured in the same run, with the",
        "file in the page cache: F, the issue's floor, a fresh Python process aggregating the",
        "file with DuckDB's `read_csv` (with `ignore_errors`, since the generator writes",
        "malformed lines on purpose), and the physical-line floor, one `read_csv` of every",
        "physical line as one text column in a warm connection, the least any line-exact",
        "reader must do.",
        "",
        "![Build time, floor and peak memory against lines](images/benchmarks.svg)",
        "",
        "| lines | CSV | memory_limit | F | line floor | build | build / F"
        " | peak memory (process tree) | warehouse | landing cache | target | stretch |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for m in measurements:
        lines.append(
            f"| {m.lines:,} | {m.file_bytes / 1e6:,.1f} MB | {m.memory_limit}"
            f" | {m.floor_seconds:.2f} s | {m.line_floor_seconds:.2f} s"
            f" | {m.build.wall_seconds:.1f} s | {m.build.wall_seconds / m.floor_seconds:.1f}"
            f" | {m.build.peak_rss_bytes / 1e9:.2f} GB"
            f" | {m.build.database_bytes / 1e6:,.0f} MB | {m.build.ingestion_bytes / 1e6:,.0f} MB"
            f" | {target_verdict(m)} | {stretch_verdict(m)} |"
        )
    lines += _history_report(measurements)
    lines += [
        "",
        "## Growth",
        "",
        "Seconds of build per million lines between consecutive sizes: constant when the",
        "growth is linear.",
        "",
        "| from | to | seconds per million lines |",
        "| --- | --- | --- |",
    ]
    for smaller, larger in itertools.pairwise(measurements):
        slope = (larger.build.wall_seconds - smaller.build.wall_seconds) / (
            (larger.lines - smaller.lines) / 1e6
        )
        lines.append(f"| {smaller.lines:,} | {larger.lines:,} | {slope:.2f} |")
    lines += [
        "",
        "## Where the time goes",
        "",
        "Node seconds are summed per resource type; dbt runs two nodes at a time, so they can",
        "exceed dbt's elapsed time. The rest of the wall time is outside dbt's run: starting",
        "Python, importing dbt, loading the project, and the publish step's rename.",
        "",
        "| lines | wall | dbt elapsed | outside dbt | models | data tests | unit tests | seeds |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for m in measurements:
        lines.append(
            f"| {m.lines:,} | {m.build.wall_seconds:.1f} s | {m.build.dbt_elapsed_seconds:.1f} s"
            f" | {m.build.wall_seconds - m.build.dbt_elapsed_seconds:.1f} s"
            + _node_seconds_cells(m.build)
        )
    for m in measurements:
        lines += _slowest_nodes(f"## {m.lines:,} lines", m.build)
    return lines


def _incremental_report(i: IncrementalMeasurement) -> list[str]:
    share = i.incremental.wall_seconds / i.full.wall_seconds
    lines = [
        "",
        "## Incremental ingestion",
        "",
        f"The generator's first {i.history_lines:,} lines, split in time order into"
        f" {i.history_files} files (about a month each),",
        "are read through one glob and built into a new warehouse and landing cache"
        f" (memory_limit {i.memory_limit}).",
        f"Then one file of the next {i.new_lines:,} lines joins the glob, and the same build runs",
        "again on the same warehouse and landing cache, as `make build` does with no setting,",
        "so that only the new file is parsed.",
        "",
        "| build | lines in input | wall | dbt elapsed | peak memory (process tree)"
        " | warehouse | landing cache |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    builds = {
        "full build of the history": (i.full, i.history_lines),
        "build after adding the new file": (i.incremental, i.history_lines + i.new_lines),
    }
    for label, (build, lines_in_input) in builds.items():
        lines.append(
            f"| {label} | {lines_in_input:,} | {build.wall_seconds:.1f} s"
            f" | {build.dbt_elapsed_seconds:.1f} s | {build.peak_rss_bytes / 1e9:.2f} GB"
            f" | {build.database_bytes / 1e6:,.0f} MB | {build.ingestion_bytes / 1e6:,.0f} MB |"
        )
    verdict = "met" if share <= INCREMENTAL_TARGET else "**missed**"
    stretch = "met" if share <= INCREMENTAL_STRETCH else "**missed**"
    lines += [
        "",
        f"- incremental / full: {share:.2f} (target ≤ {INCREMENTAL_TARGET:.2f}: {verdict};"
        f" stretch ≤ {INCREMENTAL_STRETCH:.2f}: {stretch})",
        "- incremental build / F of the new file (a fresh process aggregating it alone,"
        f" {i.new_floor_seconds:.2f} s): {i.incremental.wall_seconds / i.new_floor_seconds:.1f}",
        f"- seconds per million new lines: {i.incremental.wall_seconds / (i.new_lines / 1e6):.2f}",
        "",
        "Node seconds summed per resource type, as above:",
        "",
        "| build | models | data tests | unit tests | seeds |",
        "| --- | --- | --- | --- | --- |",
        *(f"| {label}" + _node_seconds_cells(build) for label, (build, _) in builds.items()),
    ]
    return lines + _slowest_nodes("### The build after adding the new file", i.incremental)


def report(
    measurements: list[Measurement], incremental: IncrementalMeasurement | None = None
) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`python -m customer_lifecycle.bench`) on this 2-core",
        "machine; do not edit by hand. Reproduce with",
        "`BENCH_LINES=1e3,1e6,1e7,1e8 BENCH_INCREMENTAL=1e8,3e6 make bench`.",
    ]
    if measurements:
        lines += _sizes_report(measurements)
    if incremental is not None:
        lines += _incremental_report(incremental)
    return "\n".join(lines) + "\n"


def _history_and_new(text: str) -> tuple[int, int]:
    """`--incremental HISTORY,NEW`: two line counts, neither zero."""
    counts = [parse_line_count(part) for part in text.split(",")]
    if len(counts) != 2 or 0 in counts:
        raise argparse.ArgumentTypeError(f"expected HISTORY,NEW, both above zero: {text!r}")
    return counts[0], counts[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--lines",
        default="1e3,1e6,1e7",
        help="comma-separated sizes, e.g. 1e6,1e7; 'none' measures no size and writes no chart",
    )
    parser.add_argument(
        "--incremental",
        type=_history_and_new,
        metavar="HISTORY,NEW",
        help="also measure a build of HISTORY lines in monthly files, then one after a file of"
        " NEW lines is added; e.g. 1e8,3e6",
    )
    parser.add_argument(
        "--without-history",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also build each size with --vars '{snapshot_frequency: none}', to report what the"
        " snapshot history adds (default: on; --no-without-history for a quicker run)",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--memory-limit",
        default=os.environ.get("CUSTOMER_LIFECYCLE_MEMORY_LIMIT", "4GB"),
        help="DuckDB memory_limit for the builds (default: the profile's, 4GB)",
    )
    parser.add_argument("--bench-dir", type=Path, default=BENCH_DIR, help="inputs and warehouses")
    parser.add_argument("--report", type=Path, default=REPORT, help="the Markdown report")
    parser.add_argument("--chart", type=Path, default=CHART, help="the SVG chart")
    args = parser.parse_args(argv)
    sizes = (
        [] if args.lines == "none" else [parse_line_count(text) for text in args.lines.split(",")]
    )
    measurements = []
    incremental = None
    total = len(sizes) + (args.incremental is not None)
    with tqdm(total=total, desc="benchmark", unit="measurement", file=sys.stderr) as progress:
        for lines in sizes:
            measurements.append(
                measure(
                    lines,
                    args.seed,
                    progress,
                    args.memory_limit,
                    args.bench_dir,
                    without_history=args.without_history,
                )
            )
            progress.update()
        if args.incremental is not None:
            history, new = args.incremental
            incremental = measure_incremental(
                history, new, args.seed, progress, args.memory_limit, args.bench_dir
            )
            progress.update()
    text = report(measurements, incremental)
    args.report.write_text(text)
    if measurements:
        args.chart.parent.mkdir(parents=True, exist_ok=True)
        args.chart.write_text(_chart(measurements))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
