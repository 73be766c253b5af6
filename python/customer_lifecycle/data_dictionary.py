"""Renders docs/data_dictionary.md from dbt's manifest.

Usage: python -m customer_lifecycle.data_dictionary [--manifest PATH] [--out PATH] [--check]

The YAML beside each model, seed and source is the only place a description is
written; this page is generated from it so that the two cannot drift apart.
`--check` exits 1 when the file on disk is not what the manifest renders, so a
test (and CI) can prove the committed dictionary is current. The manifest's
descriptions are already rendered by dbt (`{{ doc() }}` included), so nothing
is resolved here.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from customer_lifecycle.paths import PROJECT_ROOT

Node = Mapping[str, Any]

# Model groups, in page order (the product's flow), keyed by the folder under models/.
MODEL_GROUPS: tuple[tuple[str, str], ...] = (
    ("ingestion", "Ingestion models"),
    ("validation", "Validation models"),
    ("features", "Feature models"),
    ("segments", "Segment models"),
    ("risk", "Risk models"),
    ("decisions", "Decision models"),
    ("marts", "Marts"),
)
OTHER_MODELS = "Other models"
REGENERATE = "make docs-dictionary"
MAX_DIFF_LINES = 40


def default_manifest() -> Path:
    """Where dbt writes the manifest: $DBT_TARGET_PATH or target/, under the project root."""
    return PROJECT_ROOT / os.environ.get("DBT_TARGET_PATH", "target") / "manifest.json"


def default_out() -> Path:
    return PROJECT_ROOT / "docs" / "data_dictionary.md"


def _cell(text: str | None) -> str:
    """Text fit for one markdown table cell: one line, pipes escaped."""
    return re.sub(r"\s+", " ", text or "").strip().replace("|", "\\|")


def _paragraph(text: str | None) -> str:
    return (text or "").strip() or "_No description._"


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def _columns_table(node: Node, declared_types: Mapping[str, str]) -> list[str]:
    """Columns in the order the YAML declares them (the manifest keeps that order)."""
    columns: Mapping[str, Node] = node.get("columns") or {}
    if not columns:
        return ["_No columns documented._"]
    lines = ["| Column | Data type | Description |", "| --- | --- | --- |"]
    for name, column in columns.items():
        data_type = column.get("data_type") or declared_types.get(name) or ""
        type_cell = f"`{_cell(data_type)}`" if data_type else ""
        lines.append(f"| `{_cell(name)}` | {type_cell} | {_cell(column.get('description'))} |")
    return lines


def _external_location(source: Node) -> bool:
    config_meta = (source.get("config") or {}).get("meta") or {}
    return bool(
        config_meta.get("external_location") or (source.get("meta") or {}).get("external_location")
    )


def _render_source(source: Node) -> list[str]:
    lines = [
        f"### {source['source_name']}.{source['name']}",
        "",
        _paragraph(source.get("description")),
    ]
    source_description = (source.get("source_description") or "").strip()
    if source_description:
        lines += ["", f"Source `{source['source_name']}`: {source_description}"]
    lines.append("")
    if _external_location(source):
        # The location itself is left out: it is rendered from an env var at
        # parse time, and the page must not depend on who parsed it.
        lines.append("- Location: a file read from disk (`external_location` in the source's meta)")
    else:
        lines.append(f"- Relation: `{source['schema']}.{source['identifier']}`")
    lines += [f"- Defined in: `{source['original_file_path']}`", ""]
    return lines + _columns_table(source, {})


def _render_node(node: Node) -> list[str]:
    config: Node = node.get("config") or {}
    contract: Node = config.get("contract") or {}
    declared_types: Mapping[str, str] = config.get("column_types") or {}
    lines = [f"### {node['name']}", "", _paragraph(node.get("description")), ""]
    lines.append(f"- Materialization: `{config.get('materialized')}`")
    if config.get("database"):
        # Configured only on the line-grain models, which live in the attached database.
        lines.append(
            f"- Schema: `{config['database']}.{node['schema']}` (the attached ingestion database,"
            " the landing cache: not in the warehouse file)"
        )
    else:
        lines.append(f"- Schema: `{node['schema']}`")
    if node["resource_type"] == "model":
        lines.append(f"- Contract enforced: {_yes_no(bool(contract.get('enforced')))}")
    lines += [f"- Defined in: `{node['original_file_path']}`", ""]
    return lines + _columns_table(node, declared_types)


def _model_group(model: Node) -> str:
    """The folder right under models/ (fqn is [project, folder, ..., name])."""
    fqn: list[str] = model.get("fqn") or []
    folder = fqn[1] if len(fqn) > 2 else ""
    return next((title for key, title in MODEL_GROUPS if key == folder), OTHER_MODELS)


def _section(title: str, entries: Iterable[list[str]]) -> list[str]:
    lines = [f"## {title}", ""]
    for entry in entries:
        lines += [*entry, ""]
    return lines


def render_dictionary(manifest: Mapping[str, Any]) -> str:
    """The markdown page for every source, seed and model of the manifest's own project."""
    project = manifest["metadata"]["project_name"]
    nodes = [
        node
        for node in (manifest.get("nodes") or {}).values()
        if node.get("package_name") == project
    ]
    sources = sorted(
        (
            source
            for source in (manifest.get("sources") or {}).values()
            if source.get("package_name") == project
        ),
        key=lambda source: (source["source_name"], source["name"]),
    )
    seeds = sorted((n for n in nodes if n["resource_type"] == "seed"), key=lambda n: n["name"])
    models = sorted((n for n in nodes if n["resource_type"] == "model"), key=lambda n: n["name"])

    lines = [
        "# Data dictionary",
        "",
        f"<!-- Generated from dbt's manifest by python -m customer_lifecycle.data_dictionary."
        f" Do not edit: change the YAML descriptions, then run `{REGENERATE}`. -->",
        "",
        f"Every source, seed and model of the dbt project `{project}`, with the descriptions"
        " written in the YAML beside each one. Models are grouped by layer and sorted by name;"
        " columns are listed in the order the YAML declares them. A data type is shown where"
        " one is declared: by a model contract or by a seed's `column_types`.",
        "",
    ]
    if sources:
        lines += _section("Sources", (_render_source(source) for source in sources))
    if seeds:
        lines += _section("Seeds", (_render_node(seed) for seed in seeds))
    titles = [title for _, title in MODEL_GROUPS] + [OTHER_MODELS]
    for title in titles:
        group = [model for model in models if _model_group(model) == title]
        if group:
            lines += _section(title, (_render_node(model) for model in group))
    return "\n".join(lines).rstrip("\n") + "\n"


def _diff(current: str, rendered: str, path: Path) -> str:
    diff = list(
        difflib.unified_diff(
            current.splitlines(),
            rendered.splitlines(),
            fromfile=f"{path} (on disk)",
            tofile=f"{path} (from the manifest)",
            lineterm="",
        )
    )
    shown = diff[:MAX_DIFF_LINES]
    if len(diff) > MAX_DIFF_LINES:
        shown.append(f"... {len(diff) - MAX_DIFF_LINES} more diff lines")
    return "\n".join(shown)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m customer_lifecycle.data_dictionary",
        description="Render docs/data_dictionary.md from dbt's manifest (run dbt parse first).",
    )
    parser.add_argument(
        "--manifest",
        type=Path,
        default=default_manifest(),
        help="dbt manifest.json (default: $DBT_TARGET_PATH or target/, under the project root)",
    )
    parser.add_argument(
        "--out", type=Path, default=default_out(), help="markdown file to write or check"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when the file differs from what the manifest renders",
    )
    args = parser.parse_args(argv)

    if not args.manifest.is_file():
        print(f"No dbt manifest at {args.manifest}: run dbt parse first.", file=sys.stderr)
        return 2
    rendered = render_dictionary(json.loads(args.manifest.read_text(encoding="utf-8")))

    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        if current == rendered:
            return 0
        print(
            f"{args.out} is out of date with the dbt project's YAML: run `{REGENERATE}`"
            " and commit the result.",
            file=sys.stderr,
        )
        print(_diff(current, rendered, args.out), file=sys.stderr)
        return 1

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(rendered, encoding="utf-8")
    print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
