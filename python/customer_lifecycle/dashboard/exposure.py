"""The marts the dashboard reads, as its dbt exposure declares them.

models/marts/_marts__exposures.yml declares the exposure `marketing_dashboard` with the marts it
depends on, for dbt's lineage and docs. The dashboard takes its list from there, so the two
cannot drift: a mart read without being declared fails the dashboard's tests, and one declared
is required of every warehouse the dashboard opens.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from customer_lifecycle.paths import PROJECT_ROOT

EXPOSURES = PROJECT_ROOT.joinpath("models", "marts", "_marts__exposures.yml")
EXPOSURE = "marketing_dashboard"
_REF = re.compile(r"""ref\(\s*['"]([A-Za-z0-9_]+)['"]\s*\)""")


def marts_read(exposures: Path = EXPOSURES) -> tuple[str, ...]:
    """The depends_on of the exposure `marketing_dashboard`, as mart names, in the YAML's order."""
    try:
        document = yaml.safe_load(exposures.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise RuntimeError(
            f"Cannot read the dashboard's exposure in {exposures}: {error}. The dashboard runs "
            "from the project's checkout, which holds that file."
        ) from error
    for declared in document.get("exposures") or []:
        if declared.get("name") != EXPOSURE:
            continue
        refs = [str(ref).strip() for ref in declared.get("depends_on") or []]
        names = [match.group(1) for ref in refs if (match := _REF.fullmatch(ref))]
        if not names or len(names) != len(refs):
            raise RuntimeError(
                f"The exposure {EXPOSURE} in {exposures} must list the marts the dashboard "
                f"reads under depends_on, each as ref('<mart>'); it lists {refs!r}."
            )
        return tuple(names)
    raise RuntimeError(f"{exposures} has no exposure named {EXPOSURE}.")
