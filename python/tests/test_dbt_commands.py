"""Every dbt command a user reaches for works, on a fresh checkout and after a build.

The module runs dbt as a new user would, with the profile's own paths pointed at an empty
folder: no warehouse, no landing cache, no target folder, and at first not even the input file
(a fresh clone has no sample until `make build` writes it). Then it builds, and tries every
command again, down to `make docs` serving the lineage.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import HEADER, PROJECT_ROOT, run_dbt, write_lines

from customer_lifecycle.lineage_screenshot import free_port

LINES = [
    HEADER,
    "489434,85048,CHRISTMAS GLASS BALL,12,2010-01-04 07:45:00,6.95,13085.0,United Kingdom",
    "489435,22350,CAT BOWL,12,2010-02-05 07:46:00,2.55,13078.0,United Kingdom",
    "489436,22350,CAT BOWL,6,2010-03-05 07:46:00,2.55,,United Kingdom",
]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("fresh")
    return {
        **os.environ,
        "CUSTOMER_LIFECYCLE_DB": str(folder / "warehouse" / "customer_lifecycle.duckdb"),
        "CUSTOMER_LIFECYCLE_INGESTION_DB": str(folder / "warehouse" / "ingestion.duckdb"),
        "CUSTOMER_LIFECYCLE_TRANSACTIONS": str(folder / "input" / "export.csv"),
        "DBT_TARGET_PATH": str(folder / "target"),
        "DBT_LOG_PATH": str(folder / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def dbt(env: dict[str, str], *arguments: str) -> str:
    completed = run_dbt(env, *arguments, "--no-use-colors")
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    return output


def compiled_nodes(env: dict[str, str]) -> set[str]:
    manifest = json.loads((Path(env["DBT_TARGET_PATH"]) / "manifest.json").read_text())
    return {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node.get("compiled")
    }


@pytest.fixture(scope="module")
def built(fresh: dict[str, str]) -> Iterator[dict[str, str]]:
    """The commands that work before anything exists, then a build of a small export."""
    Path(fresh["CUSTOMER_LIFECYCLE_DB"]).parent.mkdir(parents=True)
    dbt(fresh, "parse")
    dbt(fresh, "compile")
    dbt(fresh, "docs", "generate")
    assert (Path(fresh["DBT_TARGET_PATH"]) / "catalog.json").exists()
    write_lines(Path(fresh["CUSTOMER_LIFECYCLE_TRANSACTIONS"]), LINES)
    dbt(fresh, "build", "--exclude-resource-type", "unit_test")
    yield fresh


def test_compile_works_before_any_build(fresh: dict[str, str], built: dict[str, str]) -> None:
    # The fixture compiled every model on an empty warehouse, with no input file yet; the
    # manifest of that run was overwritten by the build, so compile once more the same way.
    empty = {
        **fresh,
        "CUSTOMER_LIFECYCLE_DB": str(Path(fresh["DBT_TARGET_PATH"]).parent / "empty.duckdb"),
        "CUSTOMER_LIFECYCLE_INGESTION_DB": str(
            Path(fresh["DBT_TARGET_PATH"]).parent / "empty_ingestion.duckdb"
        ),
    }
    dbt(empty, "compile")
    assert {"stg_retail__raw_lines", "int_transaction_lines_validated", "customer_360"} <= (
        compiled_nodes(empty)
    )


def test_compile_and_docs_generate_after_a_build(built: dict[str, str]) -> None:
    dbt(built, "compile")
    assert "rejected_transactions" in compiled_nodes(built)
    dbt(built, "docs", "generate")
    catalog = json.loads((Path(built["DBT_TARGET_PATH"]) / "catalog.json").read_text())
    # The catalog describes the tables of both databases: the marts and the landing cache.
    assert "model.customer_lifecycle.customer_features" in catalog["nodes"]
    assert "model.customer_lifecycle.int_transaction_lines_validated" in catalog["nodes"]


def test_ls_and_show(built: dict[str, str]) -> None:
    listed = dbt(built, "ls", "--resource-type", "model", "--output", "name", "--quiet")
    assert {"stg_retail__raw_lines", "customer_360"} <= set(listed.split())
    shown = dbt(built, "show", "--select", "stg_retail__lines", "--limit", "3")
    assert "489434" in shown
    shown = dbt(built, "show", "--select", "rejected_transactions")
    assert "missing_customer_id" in shown


def test_a_selective_build_and_a_full_refresh(built: dict[str, str]) -> None:
    dbt(built, "build", "--select", "int_transaction_lines_validated+")
    dbt(built, "build", "--full-refresh", "--exclude-resource-type", "unit_test")
    dbt(built, "build", "--select", "customer_features+", "--exclude-resource-type", "unit_test")


def test_make_docs_serves_the_lineage(built: dict[str, str]) -> None:
    port = free_port()
    server = subprocess.Popen(
        ["make", "docs", f"DOCS_PORT={port}"],
        cwd=PROJECT_ROOT,
        env=built,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    status = response.status
                    break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        assert status == 200, server.stdout.read().decode() if server.poll() is not None else ""
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/manifest.json", timeout=5
        ) as response:
            manifest = json.loads(response.read())
        assert "model.customer_lifecycle.stg_retail__raw_lines" in manifest["nodes"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_every_unit_test_passes(built: dict[str, str]) -> None:
    """Production builds leave the unit tests out; they run here, once, on their own."""
    dbt(built, "test", "--select", "test_type:unit")
    manifest = json.loads((Path(built["DBT_TARGET_PATH"]) / "manifest.json").read_text())
    results = json.loads((Path(built["DBT_TARGET_PATH"]) / "run_results.json").read_text())
    unit_tests = set(manifest["unit_tests"])
    assert len(unit_tests) >= 25
    assert {result["unique_id"] for result in results["results"]} == unit_tests
    assert {result["status"] for result in results["results"]} == {"pass"}
