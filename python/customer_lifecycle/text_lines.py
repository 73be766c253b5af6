"""The decoder DuckDB lacks offline: the lines of a Windows-1252 or Latin-1 file.

DuckDB's CSV reader decodes UTF-8, UTF-16 and a Latin-1 without bytes 0x80-0x9F; its `encodings`
extension would have to be downloaded. The ingestion reads such a file whole with `read_blob`
and calls `decode_text_lines` (macros/ingestion/input.sql, decoded_numbered_lines), which the
profile's plugin registers on every dbt connection. A client that selects from the ingestion
views outside dbt registers it too, with `register_functions`.
"""

from __future__ import annotations

import duckdb

# Windows-1252 differs from Latin-1 only in bytes 0x80-0x9F, control characters in Latin-1,
# where it has the euro sign, curly quotes and dashes. The five bytes it leaves undefined keep
# their Latin-1 meaning, as browsers decode them.
_WINDOWS_1252 = str.maketrans(
    {
        chr(byte): bytes([byte]).decode("cp1252")
        for byte in range(0x80, 0xA0)
        if byte not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
    }
)


def decode_text_lines(content: bytes, encoding: str) -> list[str | None]:
    """The lines of a file's bytes in `encoding` (windows-1252 or latin-1), as DuckDB's CSV
    reader splits them: on the file's line break (LF, else CR), a CR before an LF dropped, no
    line after a final break, and an empty line as null."""
    if encoding not in ("windows-1252", "latin-1"):
        raise ValueError(f"decode_text_lines reads windows-1252 or latin-1, not {encoding!r}")
    text = content.decode("latin-1")
    if encoding == "windows-1252":
        text = text.translate(_WINDOWS_1252)
    lines = text.split("\n") if "\n" in text else text.split("\r")
    if lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") or None for line in lines]


def register_functions(connection: duckdb.DuckDBPyConnection) -> None:
    """Gives `connection` the functions the ingestion views call: a client that selects from
    stg_retail__raw_lines or stg_retail__lines outside dbt needs them too."""
    connection.create_function(
        "decode_text_lines", decode_text_lines, ["BLOB", "VARCHAR"], duckdb.list_type("VARCHAR")
    )
