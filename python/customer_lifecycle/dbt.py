"""Runs dbt from Python the way the Makefile does: in the project root, from this venv."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from customer_lifecycle.paths import PROJECT_ROOT

DBT = Path(sys.executable).with_name("dbt")


class DbtError(RuntimeError):
    """A dbt command exited non-zero; the message carries its output's tail."""


def dbt_command(arguments: Sequence[str], dbt_vars: Mapping[str, Any] | None = None) -> list[str]:
    """The command line of `dbt <arguments>`, to run from PROJECT_ROOT."""
    command = [str(DBT), *arguments, "--no-use-colors"]
    if dbt_vars:
        command += ["--vars", json.dumps(dict(dbt_vars), default=str)]
    return command


def run_dbt(
    arguments: Sequence[str],
    dbt_vars: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
) -> str:
    """Runs `dbt <arguments>` and returns its output; raises DbtError when it fails."""
    completed = subprocess.run(
        dbt_command(arguments, dbt_vars),
        cwd=PROJECT_ROOT,
        env=dict(env) if env is not None else None,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    output = completed.stdout + completed.stderr
    if completed.returncode != 0:
        tail = "\n".join(output.strip().splitlines()[-25:])
        raise DbtError(f"dbt {' '.join(arguments)} failed (exit {completed.returncode}):\n{tail}")
    return output
