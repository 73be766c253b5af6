"""Stand-in for dbt's `adapter` context object, for linting only.

`adapter.dispatch(name)` picks the engine's version of a macro in dbt; the templater cannot call
the Jinja macros from here, so a dispatched macro lints as a call of the same name, or, for the
few that give a whole query, as a query with the columns that query has.
"""

_QUERIES = {
    "split_with_positions": "select 1 as source_file, '' as cell, 1 as field_position",
    "csv_numbered_lines": "select 1 as source_line_number, '' as raw_line",
    "decoded_numbered_lines": "select 1 as source_line_number, '' as raw_line",
    "parquet_numbered_rows": "select 1 as source_line_number, '' as raw_line",
    "first_line": "select '' as line",
}


def dispatch(name: str, namespace: str | None = None):
    def rendered(*args):
        if name in _QUERIES:
            return _QUERIES[name]
        if name == "per_file_materialization":
            return "incremental"
        if name == "raw_lines_materialization":
            return "view"
        if name == "sql_quote":
            return "'" + str(args[0]).replace("'", "''") + "'"
        if name == "row_hash":
            return f"hash({', '.join(args[0])})"
        return f"{name}({', '.join(str(arg) for arg in args if isinstance(arg, str))})"

    return rendered


def quote(identifier: str) -> str:
    return f'"{identifier}"'
