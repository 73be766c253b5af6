"""The benchmark command end to end on a tiny input, and its verdicts against the targets."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from customer_lifecycle import bench


def test_bench_builds_a_generated_file_and_reports_it(tmp_path: Path) -> None:
    report, chart = tmp_path / "benchmarks.md", tmp_path / "benchmarks.svg"
    code = bench.main(
        [
            "--lines", "2000", "--seed", "7", "--memory-limit", "1GB",
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
    assert cells[2] == "1GB"
    assert cells[10:12] == ["no target", "no target"]
    floor, line_floor, build = (float(cells[n].removesuffix(" s")) for n in (3, 4, 5))
    # F starts a Python process; one read of the lines in a warm connection does not (at
    # 2,000 lines it rounds to 0.00 s).
    assert 0 <= line_floor < floor
    assert build > floor
    # Both were rounded for the table.
    assert float(cells[6]) == pytest.approx(build / floor, rel=0.05)
    assert float(cells[7].removesuffix(" GB")) > 0
    # The landing cache is as large as the input's lines: removed once measured.
    assert not (tmp_path / "bench" / "ingestion_2000_7.duckdb").exists()
    assert f"## 2,000 lines: the ten slowest of {nodes} nodes" in text
    assert "<polyline" in chart.read_text()


def test_bench_measures_a_build_after_one_new_file_joins_the_history(tmp_path: Path) -> None:
    bench_dir = tmp_path / "bench"
    report, chart = tmp_path / "benchmarks.md", tmp_path / "benchmarks.svg"
    code = bench.main(
        [
            "--lines", "none", "--incremental", "3000,1000", "--seed", "7",
            "--memory-limit", "1GB", "--bench-dir", str(bench_dir),
            "--report", str(report), "--chart", str(chart),
        ]
    )  # fmt: skip
    assert code == 0

    generated = (bench_dir / "online_retail_ii_4000_7.csv").read_bytes()
    header_end = generated.index(b"\n") + 1
    header, data = generated[:header_end], generated[header_end:]
    folder = bench_dir / "incremental_3000_1000_7"
    history = sorted((folder / "months").iterdir())
    pending = sorted((folder / "pending").iterdir())
    # 25 monthly files of history; the new file sorts after them, and is back out of the glob.
    assert [path.name for path in history] == [f"month_{n:02d}.csv" for n in range(1, 26)]
    assert [path.name for path in pending] == ["month_26.csv"]
    contents = [path.read_bytes() for path in [*history, *pending]]
    assert all(content.startswith(header) for content in contents)
    bodies = [content[len(header) :] for content in contents]
    assert [body.count(b"\n") for body in bodies[:-1]] == [3000 // 25] * 25
    assert bodies[-1].count(b"\n") == 1000
    assert b"".join(bodies) == data

    warehouse = bench_dir / "warehouse_incremental_3000_1000_7.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        assert connection.execute(
            "select lines_read from marts.data_quality_report"
        ).fetchall() == [(4000,)]
    # The landing cache lives across the two builds only.
    assert not (bench_dir / "ingestion_incremental_3000_1000_7.duckdb").exists()

    results = json.loads(
        (bench_dir / "target_incremental_3000_1000_7" / "run_results.json").read_text()
    )
    text = report.read_text()
    assert "## Incremental ingestion" in text
    rows: dict[str, list[str]] = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        # The first table with these labels; the node seconds table repeats them.
        rows.setdefault(cells[0], cells[1:])
    full, incremental = rows["full build of the history"], rows["build after adding the new file"]
    assert (full[0], incremental[0]) == ("3,000", "4,000")
    # The landing cache grew by the new file's lines.
    full_cache, incremental_cache = (
        float(cells[5].removesuffix(" MB")) for cells in (full, incremental)
    )
    assert 0 < full_cache <= incremental_cache
    assert float(full[1].removesuffix(" s")) > 0 and float(incremental[1].removesuffix(" s")) > 0
    n = len(results["results"])
    assert f"### The build after adding the new file: the ten slowest of {n} nodes" in text
    # No size was measured: no size sections, and no chart.
    assert "## Growth" not in text
    assert not chart.exists()


HEADER = b"Invoice,Quantity\n"
# Lines of different lengths, so that small blocks end inside a line.
ROWS = [f"{n},{n * 37}\n".encode() for n in range(10)]


@pytest.mark.parametrize("block_bytes", [1, 7, 1 << 20])
def test_split_csv_gives_each_part_the_header_and_its_lines_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block_bytes: int
) -> None:
    monkeypatch.setattr(bench, "_BLOCK_BYTES", block_bytes)
    source = tmp_path / "source.csv"
    source.write_bytes(HEADER + b"".join(ROWS))
    counts = [2, 2, 3, 3]  # a history of 7 lines in 3 files, then 3 new lines
    parts = [(tmp_path / f"part_{n}.csv", count) for n, count in enumerate(counts)]
    bench.split_csv(source, parts)
    starts = [0, 2, 4, 7, 10]
    for (path, _), (start, end) in zip(parts, itertools.pairwise(starts), strict=True):
        assert path.read_bytes() == HEADER + b"".join(ROWS[start:end])


def test_split_csv_refuses_a_line_count_the_file_does_not_have(tmp_path: Path) -> None:
    source = tmp_path / "source.csv"
    source.write_bytes(HEADER + b"".join(ROWS))
    with pytest.raises(ValueError, match="more than 9 data lines"):
        bench.split_csv(source, [(tmp_path / "a.csv", 9)])
    with pytest.raises(ValueError, match="fewer than 11 newline-terminated data lines"):
        bench.split_csv(source, [(tmp_path / "a.csv", 11)])
    # The last line must end with a newline too.
    source.write_bytes(HEADER + b"".join(ROWS).removesuffix(b"\n"))
    with pytest.raises(ValueError, match="fewer than 10 newline-terminated data lines"):
        bench.split_csv(source, [(tmp_path / "a.csv", 10)])


@pytest.mark.parametrize(("history", "files"), [(7, 7), (60, 25)])
def test_incremental_inputs_split_once_into_months_and_a_pending_new_file(
    tmp_path: Path, history: int, files: int
) -> None:
    rows = [f"{n},{n * 37}\n".encode() for n in range(history + 5)]
    source = tmp_path / "source.csv"
    source.write_bytes(HEADER + b"".join(rows))
    folder = tmp_path / "split"
    paths = bench.incremental_inputs(source, history, 5, folder)

    assert paths[:-1] == [folder / "months" / f"month_{n:02d}.csv" for n in range(1, files + 1)]
    assert paths[-1] == folder / "pending" / f"month_{files + 1:02d}.csv"
    contents = [path.read_bytes() for path in paths]
    assert all(content.startswith(HEADER) for content in contents)
    bodies = [content[len(HEADER) :] for content in contents]
    counts = [body.count(b"\n") for body in bodies]
    # About equal: no history file has more than one line over another.
    assert sum(counts[:-1]) == history and max(counts[:-1]) - min(counts[:-1]) <= 1
    assert counts[-1] == 5
    assert b"".join(bodies) == b"".join(rows)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["source.csv", "split"]
    # Split once: a second call reuses the folder, without reading the source.
    source.unlink()
    assert bench.incremental_inputs(source, history, 5, folder) == paths


def _measurement(lines: int, floor: float, build: float, peak_gb: float) -> bench.Measurement:
    return bench.Measurement(
        lines=lines,
        file_bytes=0,
        floor_seconds=floor,
        line_floor_seconds=floor / 4,
        build=bench.Build(
            wall_seconds=build,
            peak_rss_bytes=int(peak_gb * 1e9),
            dbt_elapsed_seconds=0.0,
            node_seconds_by_type={},
            slowest_nodes=[],
            node_count=0,
            database_bytes=0,
            ingestion_bytes=0,
        ),
        memory_limit="4GB",
    )


def _slower(m: bench.Measurement, seconds: float) -> bench.Measurement:
    return replace(m, build=replace(m.build, wall_seconds=seconds))


def _heavier(m: bench.Measurement, peak_gb: float) -> bench.Measurement:
    return replace(m, build=replace(m.build, peak_rss_bytes=int(peak_gb * 1e9)))


def test_targets_follow_the_issue() -> None:
    # 1k and 1M lines: a number of seconds, whatever the floor.
    one_thousand = _measurement(1_000, floor=10.0, build=6.0, peak_gb=9.0)
    assert bench.target_verdict(one_thousand).endswith(": met")
    assert "missed" in bench.target_verdict(_slower(one_thousand, 6.1))
    assert "missed" in bench.stretch_verdict(one_thousand)
    assert bench.stretch_verdict(_slower(one_thousand, 4.0)).endswith(": met")
    one_million = _measurement(1_000_000, floor=10.0, build=8.0, peak_gb=9.0)
    assert bench.target_verdict(one_million).endswith(": met")
    assert "missed" in bench.target_verdict(_slower(one_million, 8.1))
    # 10M: 10 x F and 2 GB; a 1.5 s floor allows 15 s. Stretch: 6 x F and 1.4 GB.
    ten_million = _measurement(10_000_000, floor=1.5, build=15.0, peak_gb=2.0)
    assert bench.target_verdict(ten_million).endswith(": met")
    assert "missed" in bench.target_verdict(_slower(ten_million, 15.1))
    assert "missed" in bench.target_verdict(_heavier(ten_million, 2.1))
    assert bench.stretch_verdict(_heavier(_slower(ten_million, 9.0), 1.4)).endswith(": met")
    assert "missed" in bench.stretch_verdict(_heavier(_slower(ten_million, 9.0), 1.5))
    # 100M: 12 x F and 5 GB.
    hundred_million = _measurement(100_000_000, floor=15.0, build=180.0, peak_gb=5.0)
    assert bench.target_verdict(hundred_million).endswith(": met")
    assert "missed" in bench.target_verdict(_heavier(hundred_million, 5.1))
    assert bench.target_verdict(_measurement(3_000, 1.0, 1.0, 1.0)) == "no target"
