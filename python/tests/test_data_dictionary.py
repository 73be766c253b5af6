"""The data dictionary: rendered from dbt's manifest, and the committed copy is current."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import PROJECT_ROOT, run_dbt

from customer_lifecycle.data_dictionary import main, render_dictionary

COMMITTED = PROJECT_ROOT / "docs" / "data_dictionary.md"


def _column(name: str, description: str, data_type: str | None = None) -> dict[str, Any]:
    return {"name": name, "description": description, "data_type": data_type}


# A manifest cut down to the keys the renderer reads, written by hand. The
# nodes are listed out of order, and a model of another package and a test
# are included, to show what is sorted and what is left out.
TINY_MANIFEST: dict[str, Any] = {
    "metadata": {"project_name": "shop"},
    "sources": {
        "source.shop.erp.orders": {
            "package_name": "shop",
            "source_name": "erp",
            "name": "orders",
            "schema": "erp",
            "identifier": "orders",
            "description": "Orders as exported.\n",
            "source_description": "The ERP system.",
            "config": {"meta": {"external_location": "/home/someone/orders.csv"}},
            "original_file_path": "models/staging/_erp__sources.yml",
            "columns": {},
        },
    },
    "nodes": {
        "model.shop.orders": {
            "package_name": "shop",
            "resource_type": "model",
            "name": "orders",
            "fqn": ["shop", "marts", "orders"],
            "schema": "marts",
            "description": "One row per order.\n",
            "config": {"materialized": "table", "contract": {"enforced": True}},
            "original_file_path": "models/marts/orders.sql",
            "columns": {
                "order_id": _column("order_id", "The order.", "varchar"),
                "amount": _column("amount", "Net of\nreturns | fees.", "decimal(18, 2)"),
            },
        },
        "model.shop.stg_erp__orders": {
            "package_name": "shop",
            "resource_type": "model",
            "name": "stg_erp__orders",
            "fqn": ["shop", "ingestion", "erp", "stg_erp__orders"],
            "schema": "staging",
            "description": "",
            "config": {"materialized": "view", "contract": {"enforced": False}},
            "original_file_path": "models/ingestion/erp/stg_erp__orders.sql",
            "columns": {},
        },
        "model.shop.int_orders_joined": {
            "package_name": "shop",
            "resource_type": "model",
            "name": "int_orders_joined",
            "fqn": ["shop", "features", "int_orders_joined"],
            "schema": "intermediate",
            "description": "Orders with their lines.",
            "config": {"materialized": "view", "contract": {"enforced": False}},
            "original_file_path": "models/features/int_orders_joined.sql",
            "columns": {"order_id": _column("order_id", "The order.")},
        },
        "model.shop.a_stg_first": {
            "package_name": "shop",
            "resource_type": "model",
            "name": "a_stg_first",
            "fqn": ["shop", "ingestion", "a_stg_first"],
            "schema": "staging",
            "description": "Sorted first.",
            "config": {"materialized": "table", "contract": {"enforced": False}},
            "original_file_path": "models/ingestion/a_stg_first.sql",
            "columns": {},
        },
        "seed.shop.rules": {
            "package_name": "shop",
            "resource_type": "seed",
            "name": "rules",
            "fqn": ["shop", "rules"],
            "schema": "rules",
            "description": "One row per rule.",
            "config": {"materialized": "seed", "column_types": {"rule_id": "integer"}},
            "original_file_path": "seeds/rules.csv",
            "columns": {
                "rule_id": _column("rule_id", "The rule."),
                "label": _column("label", "What it says."),
            },
        },
        "model.other_package.elsewhere": {
            "package_name": "other_package",
            "resource_type": "model",
            "name": "elsewhere",
            "fqn": ["other_package", "elsewhere"],
            "schema": "main",
            "description": "Not ours.",
            "config": {"materialized": "view"},
            "original_file_path": "models/elsewhere.sql",
            "columns": {},
        },
        "test.shop.not_null_orders_order_id": {
            "package_name": "shop",
            "resource_type": "test",
            "name": "not_null_orders_order_id",
            "fqn": ["shop", "not_null_orders_order_id"],
            "schema": "main",
            "description": "",
            "config": {"materialized": "test"},
            "original_file_path": "models/marts/_marts.yml",
            "columns": {},
        },
    },
}

EXPECTED = """\
# Data dictionary

<!-- Generated from dbt's manifest by python -m customer_lifecycle.data_dictionary. \
Do not edit: change the YAML descriptions, then run `make docs-dictionary`. -->

Every source, seed and model of the dbt project `shop`, with the descriptions written in the \
YAML beside each one. Models are grouped by layer and sorted by name; columns are listed in the \
order the YAML declares them. A data type is shown where one is declared: by a model contract \
or by a seed's `column_types`.

## Sources

### erp.orders

Orders as exported.

Source `erp`: The ERP system.

- Location: a file read from disk (`external_location` in the source's meta)
- Defined in: `models/staging/_erp__sources.yml`

_No columns documented._

## Seeds

### rules

One row per rule.

- Materialization: `seed`
- Schema: `rules`
- Defined in: `seeds/rules.csv`

| Column | Data type | Description |
| --- | --- | --- |
| `rule_id` | `integer` | The rule. |
| `label` |  | What it says. |

## Ingestion models

### a_stg_first

Sorted first.

- Materialization: `table`
- Schema: `staging`
- Contract enforced: no
- Defined in: `models/ingestion/a_stg_first.sql`

_No columns documented._

### stg_erp__orders

_No description._

- Materialization: `view`
- Schema: `staging`
- Contract enforced: no
- Defined in: `models/ingestion/erp/stg_erp__orders.sql`

_No columns documented._

## Feature models

### int_orders_joined

Orders with their lines.

- Materialization: `view`
- Schema: `intermediate`
- Contract enforced: no
- Defined in: `models/features/int_orders_joined.sql`

| Column | Data type | Description |
| --- | --- | --- |
| `order_id` |  | The order. |

## Marts

### orders

One row per order.

- Materialization: `table`
- Schema: `marts`
- Contract enforced: yes
- Defined in: `models/marts/orders.sql`

| Column | Data type | Description |
| --- | --- | --- |
| `order_id` | `varchar` | The order. |
| `amount` | `decimal(18, 2)` | Net of returns \\| fees. |
"""


def test_renders_a_hand_written_manifest() -> None:
    assert render_dictionary(TINY_MANIFEST) == EXPECTED


def test_check_fails_on_a_stale_file_and_passes_once_regenerated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(TINY_MANIFEST), encoding="utf-8")
    out = tmp_path / "data_dictionary.md"
    out.write_text(EXPECTED.replace("One row per order.", "One row per invoice."), encoding="utf-8")

    assert main(["--manifest", str(manifest), "--out", str(out), "--check"]) == 1
    assert "is out of date" in capsys.readouterr().err
    assert main(["--manifest", str(manifest), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == EXPECTED
    assert main(["--manifest", str(manifest), "--out", str(out), "--check"]) == 0


def test_committed_dictionary_matches_the_project(tmp_path: Path) -> None:
    target = tmp_path / "target"
    env = {
        **os.environ,
        # Parse only: nothing is built, and the developer's target/ is left alone.
        "CUSTOMER_LIFECYCLE_DB": str(tmp_path / "parse.duckdb"),
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    parsed = run_dbt(env, "parse", "--no-use-colors")
    assert parsed.returncode == 0, parsed.stdout + parsed.stderr
    manifest = target / "manifest.json"
    assert main(["--manifest", str(manifest), "--out", str(COMMITTED), "--check"]) == 0, (
        "docs/data_dictionary.md is stale: run `make docs-dictionary`"
    )
