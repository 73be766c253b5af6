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

    # The same input built again without the snapshot history, into a warehouse, landing cache
    # and target of its own, with the var given to dbt.
    without = tmp_path / "bench" / "warehouse_2000_7_without_history.duckdb"
    with duckdb.connect(str(without), read_only=True) as connection:
        assert connection.execute(
            "select lines_read from marts.data_quality_report"
        ).fetchall() == [(2000,)]
    assert not (tmp_path / "bench" / "ingestion_2000_7_without_history.duckdb").exists()
    target = tmp_path / "bench" / "target_2000_7_without_history"
    assert json.loads((target / "run_results.json").read_text())["args"]["vars"] == {
        "snapshot_frequency": "none"
    }
    assert results["args"].get("vars", {}) == {}
    history = text[text.index("## What the snapshot history costs") :]
    history_row = next(line for line in history.splitlines() if line.startswith("| 2,000 |"))
    assert float(history_row.split("|")[2].strip().removesuffix(" s")) == build
    assert "### 2,000 lines: the ten nodes the history adds most to" in text
    assert "not judged, 10,000,000 lines were not measured" in text


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


def _build(seconds: float, peak_gb: float, nodes: dict[str, float] | None = None) -> bench.Build:
    nodes = nodes or {}
    return bench.Build(
        wall_seconds=seconds,
        peak_rss_bytes=int(peak_gb * 1e9),
        dbt_elapsed_seconds=0.0,
        node_seconds_by_type={},
        slowest_nodes=sorted(nodes.items(), key=lambda node: -node[1]),
        node_seconds=nodes,
        node_count=len(nodes),
        database_bytes=0,
        ingestion_bytes=0,
    )


def _measurement(
    lines: int,
    floor: float,
    build: float,
    peak_gb: float,
    without_history: bench.Build | None = None,
) -> bench.Measurement:
    return bench.Measurement(
        lines=lines,
        file_bytes=0,
        floor_seconds=floor,
        line_floor_seconds=floor / 4,
        build=_build(build, peak_gb),
        memory_limit="4GB",
        without_history=without_history,
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


def _row(text: str, section: str, first_cell: str) -> list[str]:
    """The cells of the first table row under `section` whose first cell is `first_cell`."""
    for line in text[text.index(section) :].splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row {first_cell!r} under {section!r}")


def test_report_shows_both_builds_and_what_the_history_adds() -> None:
    history = "## What the snapshot history costs"
    snapshots = "model.customer_lifecycle.customer_snapshot_history"
    features = "model.customer_lifecycle.customer_features"
    lines = "model.customer_lifecycle.int_transaction_lines_validated"
    one_million = _measurement(
        1_000_000, floor=0.5, build=13.0, peak_gb=0.6, without_history=_build(10.0, 0.5)
    )
    ten_million = replace(
        _measurement(10_000_000, floor=1.5, build=50.0, peak_gb=1.8),
        build=_build(50.0, 1.8, {snapshots: 4.0, features: 3.0, lines: 2.0}),
        without_history=_build(40.0, 1.2, {features: 1.0, lines: 2.5}),
    )
    text = bench.report([one_million, ten_million])

    # The sizes table stays the default build's, with its floor ratio: 50 / 1.5 = 33.3.
    assert _row(text, "| lines | CSV |", "10,000,000")[5:7] == ["50.0 s", "33.3"]
    # 13 s with history, 10 s without: +3 s, 30% of 10 s. 50 s and 40 s: +10 s, 25% of 40 s.
    assert _row(text, history, "1,000,000") == [
        "1,000,000", "13.0 s", "10.0 s", "+3.0 s", "+30.0%", "0.60 GB", "0.50 GB", "0 MB", "0 MB",
    ]  # fmt: skip
    assert _row(text, history, "10,000,000")[1:7] == [
        "50.0 s", "40.0 s", "+10.0 s", "+25.0%", "1.80 GB", "1.20 GB",
    ]  # fmt: skip
    assert "at most 30% to the full build at 10,000,000 lines: +10.0 s, +25.0%" in text
    assert bench.history_verdict([ten_million]).endswith(": met")
    # 54 s against 40 s: +14 s, 35%, over the 30% allowed.
    slower = replace(ten_million, build=replace(ten_million.build, wall_seconds=54.0))
    assert bench.history_added(slower) == pytest.approx((14.0, 0.35))
    assert bench.history_verdict([slower]).endswith(
        "+14.0 s, +35.0% of the build without history: **missed**"
    )

    # Node by node, most added first; a node the build without history does not run counts 0 s.
    nodes = text[text.index("### 10,000,000 lines: the ten nodes the history adds most to") :]
    assert _row(nodes, "| node |", f"`{snapshots}`")[1:] == ["4.00 s", "not run", "+4.00 s"]
    assert _row(nodes, "| node |", f"`{features}`")[1:] == ["3.00 s", "1.00 s", "+2.00 s"]
    assert _row(nodes, "| node |", f"`{lines}`")[1:] == ["2.00 s", "2.50 s", "-0.50 s"]
    assert nodes.index(snapshots) < nodes.index(features) < nodes.index(lines)


def test_history_target_is_not_judged_without_both_builds_at_its_size() -> None:
    one_million = _measurement(1_000_000, 0.5, 13.0, 0.6, without_history=_build(10.0, 0.5))
    ten_million = _measurement(10_000_000, 1.5, 50.0, 1.8)
    assert bench.history_added(ten_million) is None
    assert bench.history_verdict([one_million]).endswith(
        "not judged, 10,000,000 lines were not measured"
    )
    assert bench.history_verdict([one_million, ten_million]).endswith(
        "not judged, 10,000,000 lines were not built without history"
    )
    # With no size built without history (--no-without-history), the section says so.
    text = bench.report([ten_million])
    assert "Not measured: no size was built without history" in text
    assert "not built without history" in text


@pytest.mark.parametrize(("flag", "expected"), [([], True), (["--no-without-history"], False)])
def test_builds_without_history_unless_told_not_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flag: list[str], expected: bool
) -> None:
    asked: list[bool] = []

    def fake_measure(
        lines: int, seed: int, progress: object, memory_limit: str, bench_dir: Path, **options: bool
    ) -> bench.Measurement:
        asked.append(options["without_history"])
        return _measurement(lines, 1.0, 2.0, 0.1)

    monkeypatch.setattr(bench, "measure", fake_measure)
    report, chart = tmp_path / "benchmarks.md", tmp_path / "benchmarks.svg"
    argv = ["--lines", "1000", "--report", str(report), "--chart", str(chart), *flag]
    assert bench.main(argv) == 0
    assert asked == [expected]
