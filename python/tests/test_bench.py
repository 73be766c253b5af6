"""The benchmark command end to end on a tiny input, and its verdicts against the targets."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import duckdb

from customer_lifecycle import bench


def test_bench_builds_a_generated_file_and_reports_it(tmp_path: Path) -> None:
    report, chart = tmp_path / "benchmarks.md", tmp_path / "benchmarks.svg"
    code = bench.main(
        [
            "--lines", "2000", "--seed", "7", "--memory-limit", "1GB", "--staging", "file",
            "--bench-dir", str(tmp_path / "bench"),
            "--report", str(report), "--chart", str(chart),
        ]
    )  # fmt: skip
    assert code == 0

    csv = tmp_path / "bench" / "online_retail_ii_2000_7.csv"
    with duckdb.connect() as connection:
        physical_lines = connection.execute(
            "select count(*) from read_csv(?, columns = {'line': 'VARCHAR'}, header = false,"
            " auto_detect = false, delim = chr(0), quote = '', escape = '')",
            [str(csv)],
        ).fetchall()[0][0]
    assert physical_lines == 2001  # the header and 2,000 data lines

    warehouse = tmp_path / "bench" / "warehouse_2000_7.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        assert connection.execute(
            "select lines_read from marts.data_quality_report"
        ).fetchall() == [(2000,)]

    results = json.loads((tmp_path / "bench" / "target_2000_7" / "run_results.json").read_text())
    nodes = len(results["results"])
    text = report.read_text()
    row = next(line for line in text.splitlines() if line.startswith("| 2,000 |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[2:4] == ["1GB", "file"]
    assert cells[9] == "no target"
    assert float(cells[5].removesuffix(" s")) > 0
    assert float(cells[7].removesuffix(" GB")) > 0
    # The staging file is the build's scratch space, removed once measured.
    assert not (tmp_path / "bench" / "staging_2000_7.duckdb").exists()
    assert f"## 2,000 lines: the ten slowest of {nodes} nodes" in text
    assert "<polyline" in chart.read_text()


def _measurement(lines: int, floor: float, build: float, peak_gb: float) -> bench.Measurement:
    return bench.Measurement(
        lines=lines,
        file_bytes=0,
        floor_seconds=floor,
        build_seconds=build,
        peak_rss_bytes=int(peak_gb * 1e9),
        database_bytes=0,
        slowest_nodes=[],
        node_count=0,
        node_seconds_by_type={},
        dbt_elapsed_seconds=0.0,
        memory_limit="4GB",
        staging="memory",
    )


def test_targets_follow_the_issue() -> None:
    # 10M: 4 s + 8 x floor, and 1.5 GB. A 0.5 s floor allows 8 s.
    ten_million = _measurement(10_000_000, floor=0.5, build=8.0, peak_gb=1.5)
    assert bench.target_verdict(ten_million).endswith(": met")
    assert "missed" in bench.target_verdict(replace(ten_million, build_seconds=8.1))
    assert "missed" in bench.target_verdict(replace(ten_million, peak_rss_bytes=int(1.6e9)))
    # 1M: 4.5 s flat, whatever the floor.
    one_million = _measurement(1_000_000, floor=10.0, build=4.5, peak_gb=9.0)
    assert bench.target_verdict(one_million).endswith(": met")
    assert "missed" in bench.target_verdict(replace(one_million, build_seconds=4.6))
    # 100M: 10 s + 8 x floor, no memory target beyond the 4 GB memory_limit.
    hundred_million = _measurement(100_000_000, floor=5.0, build=50.0, peak_gb=12.0)
    assert bench.target_verdict(hundred_million).endswith(": met")
    assert bench.target_verdict(_measurement(3_000, 1.0, 1.0, 1.0)) == "no target"
