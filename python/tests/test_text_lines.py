"""decode_text_lines: the Windows-1252 and Latin-1 lines the ingestion reads through DuckDB."""

from __future__ import annotations

import duckdb
import pytest

from customer_lifecycle.text_lines import decode_text_lines, register_functions


def test_windows_1252_keeps_the_euro_sign_and_curly_quotes() -> None:
    # 0x80 is € and 0x93/0x94 are “ ” in Windows-1252; 0xE9 is é in both encodings.
    assert decode_text_lines(b"\x80 5 caf\xe9 \x93A\x94\n", "windows-1252") == ["€ 5 café “A”"]
    # In Latin-1 the same bytes are control characters.
    assert decode_text_lines(b"\x80\x93\n", "latin-1") == ["\x80\x93"]


def test_bytes_windows_1252_leaves_undefined_keep_their_latin_1_meaning() -> None:
    assert decode_text_lines(b"\x81\x8d\x8f\x90\x9d", "windows-1252") == ["\x81\x8d\x8f\x90\x9d"]


def test_lines_are_split_as_duckdb_splits_them() -> None:
    # CRLF and LF alike; a final line break ends the last line; an empty line is null.
    assert decode_text_lines(b"a,b\r\n1,2\r\n\r\n3,4\n", "windows-1252") == [
        "a,b",
        "1,2",
        None,
        "3,4",
    ]
    # Without a final line break, and with old Mac line breaks (CR alone).
    assert decode_text_lines(b"a\nb", "latin-1") == ["a", "b"]
    assert decode_text_lines(b"a\rb\r", "latin-1") == ["a", "b"]
    assert decode_text_lines(b"", "latin-1") == []


def test_another_encoding_is_refused() -> None:
    with pytest.raises(ValueError, match="reads windows-1252 or latin-1, not 'utf-16'"):
        decode_text_lines(b"a", "utf-16")


def test_registered_functions_serve_sql() -> None:
    with duckdb.connect() as connection:
        register_functions(connection)
        rows = connection.execute(
            "select unnest(decode_text_lines(?::blob, 'windows-1252'))", [b"x\x80\ny\n"]
        ).fetchall()
    assert rows == [("x€",), ("y",)]
