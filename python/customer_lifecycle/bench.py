"""Benchmarks the full published build against the input size, and writes docs/benchmarks.md.

Usage: python -m customer_lifecycle.bench --lines 1e6,1e7[,1e8] [--seed 42] [--memory-limit 4GB]

For each size it generates an Online Retail II file with the project's generator (cached by
size and seed under data/generated/bench/), measures the floor (one DuckDB read_csv of the file
with one aggregate, the file in the page cache), then runs the full published build (every
model and every test, `python -m customer_lifecycle.publish`) into a warehouse of its own, and
records the wall time, each node's time from dbt's run_results.json, the peak resident memory
of the whole process tree and the size of the DuckDB file. Timings are reported, never asserted.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
from tqdm import tqdm

from customer_lifecycle.generate import generate, parse_line_count
from customer_lifecycle.paths import PROJECT_ROOT

BENCH_DIR = PROJECT_ROOT / "data" / "generated" / "bench"
REPORT = PROJECT_ROOT / "docs" / "benchmarks.md"
CHART = PROJECT_ROOT / "docs" / "images" / "benchmarks.svg"


@dataclass(frozen=True)
class Measurement:
    lines: int
    file_bytes: int
    floor_seconds: float
    build_seconds: float
    peak_rss_bytes: int
    database_bytes: int
    slowest_nodes: list[tuple[str, float]]
    node_count: int
    # Summed node time by resource type (model, test, unit_test, seed): dbt runs two at once.
    node_seconds_by_type: dict[str, float]
    dbt_elapsed_seconds: float
    memory_limit: str
    staging: str


# The targets on the 2-core machine: (fixed seconds, floor multiple, peak memory GB).
TARGETS = {
    1_000_000: (4.5, 0.0, None),
    10_000_000: (4.0, 8.0, 1.5),
    100_000_000: (10.0, 8.0, None),
}


def target_verdict(m: Measurement) -> str:
    """The size's target, and whether the build met it."""
    if m.lines not in TARGETS:
        return "no target"
    fixed, multiple, memory_gb = TARGETS[m.lines]
    limit = fixed + multiple * m.floor_seconds
    text = f"≤ {fixed:g} s" + (f" + {multiple:g} x floor = {limit:.1f} s" if multiple else "")
    met = m.build_seconds <= limit
    if memory_gb is not None:
        text += f", ≤ {memory_gb:g} GB"
        met = met and m.peak_rss_bytes / 1e9 <= memory_gb
    return f"{text}: {'met' if met else '**missed**'}"


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


def floor_seconds(csv: Path) -> float:
    """One read_csv of the file with one aggregate: the fastest any pipeline could read it."""
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


def measure(
    lines: int,
    seed: int,
    progress: tqdm,
    memory_limit: str,
    bench_dir: Path = BENCH_DIR,
    staging: str = "memory",
) -> Measurement:
    bench_dir.mkdir(parents=True, exist_ok=True)
    csv = bench_dir / f"online_retail_ii_{lines}_{seed}.csv"
    if not csv.exists():
        progress.set_postfix_str(f"{lines:,} lines: generating")
        generate(lines, seed, csv, progress=False)
    progress.set_postfix_str(f"{lines:,} lines: floor")
    floor = floor_seconds(csv)
    database = bench_dir / f"warehouse_{lines}_{seed}.duckdb"
    database.unlink(missing_ok=True)
    target = bench_dir / f"target_{lines}_{seed}"
    env = {
        **os.environ,
        "CUSTOMER_LIFECYCLE_DB": str(database),
        "CUSTOMER_LIFECYCLE_TRANSACTIONS": str(csv),
        "CUSTOMER_LIFECYCLE_MEMORY_LIMIT": memory_limit,
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(bench_dir / "logs"),
    }
    # Staging in memory (the default) or in a DuckDB file of its own, deleted after the build;
    # whatever the calling shell has set would otherwise decide.
    staging_file = bench_dir / f"staging_{lines}_{seed}.duckdb"
    env.pop("CUSTOMER_LIFECYCLE_STAGING_DB", None)
    if staging == "file":
        staging_file.unlink(missing_ok=True)
        env["CUSTOMER_LIFECYCLE_STAGING_DB"] = str(staging_file)
    progress.set_postfix_str(f"{lines:,} lines: building")
    try:
        seconds, peak, code = _run_measured(
            [sys.executable, "-m", "customer_lifecycle.publish"], env
        )
    finally:
        staging_file.unlink(missing_ok=True)
    if code != 0:
        raise SystemExit(f"The build of {csv} failed (exit {code}); see the output above.")
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
    return Measurement(
        lines=lines,
        file_bytes=csv.stat().st_size,
        floor_seconds=floor,
        build_seconds=seconds,
        peak_rss_bytes=peak,
        database_bytes=database.stat().st_size,
        slowest_nodes=nodes[:10],
        node_count=len(nodes),
        node_seconds_by_type=by_type,
        dbt_elapsed_seconds=float(run_results["elapsed_time"]),
        memory_limit=memory_limit,
        staging=staging,
    )


def _chart(measurements: list[Measurement]) -> str:
    """An SVG of build time and peak memory against lines (log-log), drawn by hand."""
    width, height, margin = 640, 320, 60
    xs = [math.log10(m.lines) for m in measurements]
    series = {
        "build seconds": ([m.build_seconds for m in measurements], "#1f77b4"),
        "floor seconds": ([m.floor_seconds for m in measurements], "#7f7f7f"),
        "peak memory GB": ([m.peak_rss_bytes / 1e9 for m in measurements], "#d62728"),
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


def report(measurements: list[Measurement]) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`python -m customer_lifecycle.bench`); do not edit by hand.",
        "Each size is the full published build (every model and every test) on a file from the",
        "project's generator, on this 2-core machine. The floor is one DuckDB `read_csv` of the",
        "same file with one aggregate, with the file in the page cache, measured in the same run:",
        "every physical line as one text column (the least any line-exact reader must do).",
        "Reproduce with `make bench` (`BENCH_LINES=1e6,1e7,1e8 make bench` for other sizes).",
        "",
        "![Build time, floor and peak memory against lines](images/benchmarks.svg)",
        "",
        "| lines | CSV | memory_limit | staging | floor | build | build / floor"
        " | peak memory (process tree) | DuckDB file | target |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for m in measurements:
        lines.append(
            f"| {m.lines:,} | {m.file_bytes / 1e6:,.0f} MB | {m.memory_limit} | {m.staging}"
            f" | {m.floor_seconds:.2f} s | {m.build_seconds:.1f} s"
            f" | {m.build_seconds / m.floor_seconds:.1f} | {m.peak_rss_bytes / 1e9:.2f} GB"
            f" | {m.database_bytes / 1e6:,.0f} MB | {target_verdict(m)} |"
        )
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
        slope = (larger.build_seconds - smaller.build_seconds) / (
            (larger.lines - smaller.lines) / 1e6
        )
        lines.append(f"| {smaller.lines:,} | {larger.lines:,} | {slope:.2f} |")
    lines += [
        "",
        "## Where the time goes",
        "",
        "Node seconds are summed per resource type; dbt runs two nodes at a time, so they can",
        "exceed dbt's elapsed time. The rest of the wall time is outside dbt's run: starting",
        "Python, importing dbt, loading the project, and the publish step's copy and rename.",
        "",
        "| lines | wall | dbt elapsed | outside dbt | models | data tests | unit tests | seeds |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for m in measurements:
        kinds = m.node_seconds_by_type
        lines.append(
            f"| {m.lines:,} | {m.build_seconds:.1f} s | {m.dbt_elapsed_seconds:.1f} s"
            f" | {m.build_seconds - m.dbt_elapsed_seconds:.1f} s"
            f" | {kinds.get('model', 0.0):.1f} s | {kinds.get('test', 0.0):.1f} s"
            f" | {kinds.get('unit_test', 0.0):.1f} s | {kinds.get('seed', 0.0):.1f} s |"
        )
    for m in measurements:
        lines += [
            "",
            f"## {m.lines:,} lines: the ten slowest of {m.node_count} nodes",
            "",
            "| node | seconds |",
            "| --- | --- |",
            *(f"| `{node}` | {seconds:.2f} |" for node, seconds in m.slowest_nodes),
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", default="1e6,1e7", help="comma-separated sizes, e.g. 1e6,1e7")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--memory-limit",
        default=os.environ.get("CUSTOMER_LIFECYCLE_MEMORY_LIMIT", "4GB"),
        help="DuckDB memory_limit for the builds (default: the profile's, 4GB)",
    )
    parser.add_argument(
        "--staging",
        choices=["memory", "file"],
        default="memory",
        help="where the staging models live during the build (CUSTOMER_LIFECYCLE_STAGING_DB)",
    )
    parser.add_argument("--bench-dir", type=Path, default=BENCH_DIR, help="inputs and warehouses")
    parser.add_argument("--report", type=Path, default=REPORT, help="the Markdown report")
    parser.add_argument("--chart", type=Path, default=CHART, help="the SVG chart")
    args = parser.parse_args(argv)
    sizes = [parse_line_count(text) for text in args.lines.split(",")]
    measurements = []
    with tqdm(sizes, desc="benchmark", unit="size", file=sys.stderr) as progress:
        for lines in progress:
            measurements.append(
                measure(lines, args.seed, progress, args.memory_limit, args.bench_dir, args.staging)
            )
    text = report(measurements)
    args.report.write_text(text)
    args.chart.parent.mkdir(parents=True, exist_ok=True)
    args.chart.write_text(_chart(measurements))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
