"""A gross_margin_rate that is not a share of revenue stops the build, naming the var."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import dbt_env, run_dbt

MESSAGE = (
    "The var gross_margin_rate is {value}; give the contribution margin as a share of revenue,"
    " above 0 and at most 1 (for example 0.3 for 30%)."
)


def parse(tmp_path: Path, gross_margin_rate: Any) -> tuple[int, str]:
    """`dbt parse` with the var set: the check runs when the model is rendered, before any SQL."""
    env = {
        **dbt_env(tmp_path, tmp_path / "unused.csv"),
        # Its own target, so the shared partial parse of the other tests is left alone.
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
    }
    completed = run_dbt(
        env,
        "parse",
        "--no-use-colors",
        "--vars",
        json.dumps({"gross_margin_rate": gross_margin_rate}),
    )
    return completed.returncode, completed.stdout + completed.stderr


@pytest.mark.parametrize(("value", "shown"), [(0, "0"), (1.5, "1.5"), ("30%", "30%")])
def test_a_margin_outside_zero_to_one_stops_the_build(
    tmp_path: Path, value: Any, shown: str
) -> None:
    returncode, output = parse(tmp_path, value)
    assert returncode != 0
    assert MESSAGE.format(value=shown) in output


def test_a_margin_of_one_is_accepted(tmp_path: Path) -> None:
    returncode, output = parse(tmp_path, 1)
    assert returncode == 0, output
