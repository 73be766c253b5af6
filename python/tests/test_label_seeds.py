"""A label renamed in a seed CSV is renamed in the explanations and on the dashboard.

The project is copied, one seed row of the copy is edited, and the copy is built by dbt on a
generated file: no Python, SQL or YAML changes, only the CSV.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import DBT, dbt_env
from streamlit.testing.v1 import AppTest

from customer_lifecycle.generate import generate
from customer_lifecycle.paths import PROJECT_ROOT

APP = PROJECT_ROOT / "python" / "customer_lifecycle" / "dashboard" / "app.py"
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests")
RENAMED_SEGMENT = "Top Fans"


def _rename(seed: Path, code_column: str, code: str, label_column: str, label: str) -> str:
    """Sets `label_column` of the row whose `code_column` is `code`; returns the old label."""
    with seed.open(newline="", encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    (row,) = [row for row in rows if row[code_column] == code]
    old = row[label_column]
    row[label_column] = label
    with seed.open("w", newline="", encoding="utf-8") as target:
        writer = csv.DictWriter(target, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return old


def test_a_label_renamed_in_its_seed_is_renamed_in_the_explanations_and_the_dashboard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    for name in PROJECT_FILES:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        else:
            project.mkdir(exist_ok=True)
            shutil.copy2(source, project / name)
    old_label = _rename(
        project / "seeds" / "rfm_segments.csv",
        "rfm_segment",
        "champions",
        "display_label",
        RENAMED_SEGMENT,
    )
    transactions = tmp_path / "online_retail_ii.csv"
    generate(20_000, 11, transactions, progress=False)
    env = dbt_env(tmp_path, transactions) | {
        # The copy's own parse: the shared target holds the original project's.
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
    }
    completed = subprocess.run(
        [str(DBT), "build", "--no-use-colors", "--exclude-resource-type", "unit_test"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    warehouse = Path(env["CUSTOMER_LIFECYCLE_BUILD_DB"])

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        champions, renamed, old = connection.execute(
            "select count(*),"
            " count(*) filter (where explanation like '%(' || ? || ')%'),"
            " count(*) filter (where explanation like '%(' || ? || ')%')"
            " from marts.customer_360 where rfm_segment = 'champions'",
            [RENAMED_SEGMENT, old_label],
        ).fetchone()
    assert champions > 0
    assert (renamed, old) == (champions, 0)

    monkeypatch.setenv("CUSTOMER_LIFECYCLE_DB", str(warehouse))
    app = AppTest.from_file(str(APP), default_timeout=60).run()
    app.switch_page("views/segments.py").run()
    assert not app.exception, [element.value for element in app.exception]
    treemap_labels = [
        label
        for chart in app.get("plotly_chart")
        for trace in json.loads(chart.proto.spec).get("data", [])
        if trace.get("type") == "treemap"
        for label in trace["labels"]
    ]
    assert RENAMED_SEGMENT in treemap_labels
    assert old_label not in treemap_labels
