"""The landing cache's key sees every macro that shapes a parsed or validated line.

`ingestion_fingerprint()` (macros/ingestion/input.sql) renders those macros and hashes the text,
so that editing one makes the next build parse every file again. A macro added to
macros/ingestion or macros/validation without being listed there would change lines without
changing the key; this test names it.
"""

from __future__ import annotations

import re

from conftest import PROJECT_ROOT

# Macros that decide which files are read, and how, but not what a line's values become: the
# input path and format, the file listing (and the not-found message's note on what Spark
# lists), the fingerprint itself, a Parquet file's columns
# (they are its header, read again every build), the scan of a new file and its messages (the
# encoding and date order it decides are part of each file's key, in stg_retail__files; the SQL
# its decision rests on is in the fingerprint), the constants every row of a file carries (the
# listing and those decisions) and where a file is cut into ranges (the
# numbering is exact wherever the cuts fall). Also the engine helpers that only other
# macros of the key call (a Spark file path, a regex's groups), whose text the key renders
# through their callers.
NOT_IN_THE_KEY = {
    "input_listing",
    "spark_listable",
    "unlisted_files_note",
    "utf8_scan",
    "describe_parquet",
    "spark_path",
    "regexp_groups",
    "transactions_path",
    "is_parquet_input",
    "input_files",
    "files_in_folder",
    "ingestion_fingerprint",
    "parquet_columns",
    "input_file_scans",
    "scan_input_file",
    "scan_counts",
    "with_date_order",
    "spreadsheet_message",
    "date_order_conflict_message",
    "csv_buffer_bytes",
    "file_constants",
    "read_ranges_per_file",
}


def _macros(folder: str) -> set[str]:
    """The macros of `folder`, an engine's version (duckdb__x, spark__x) named as x: the key
    renders x, and dbt renders the version of the engine it runs on."""
    names: set[str] = set()
    for path in (PROJECT_ROOT / "macros" / folder).glob("*.sql"):
        found = re.findall(r"{%-?\s*macro\s+(\w+)\s*\(", path.read_text())
        names |= {re.sub(r"^(duckdb|spark|default)__", "", name) for name in found}
    return names


def test_every_macro_that_shapes_a_line_is_in_the_fingerprint() -> None:
    source = (PROJECT_ROOT / "macros" / "ingestion" / "input.sql").read_text()
    fingerprint = source[source.index("macro ingestion_fingerprint") :]
    fingerprint = fingerprint[: fingerprint.index("endmacro")]
    shaping = (_macros("ingestion") | _macros("validation")) - NOT_IN_THE_KEY
    assert shaping, "no macro found: the folders moved?"
    missing = {name for name in shaping if not re.search(rf"\b{name}\(", fingerprint)}
    assert missing == set()
    # The exceptions are real macros, so the list cannot go stale unnoticed.
    assert _macros("ingestion") >= NOT_IN_THE_KEY
