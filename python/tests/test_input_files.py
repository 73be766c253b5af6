"""Real exports, read right or refused clearly: how each input file is read.

Every test writes its own small files, runs `dbt build` on them in a subprocess, and checks
the values read, the per-file report, the build summary, or the message and exit code of a
build that must stop. The builds stop at ingestion (conftest.INGESTION) and its data tests,
except the one whose summary reads the customer marts.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from conftest import ACCEPTED, HEADER, INGESTION, PARSED, assert_report_balances, write_lines

from customer_lifecycle.summary import render_summary


def line(invoice: str, when: str, description: str = "X", customer: str = "17850") -> str:
    return f"{invoice},85123A,{description},6,{when},2.55,{customer},United Kingdom"


def file_report(result) -> dict[str, tuple]:
    """marts.data_quality_by_file by file name."""
    rows = result.query(
        "select source_file, date_order, date_order_basis, no_lines_reason, lines_read,"
        " lines_accepted, lines_rejected from marts.data_quality_by_file"
    )
    return {Path(row[0]).name: row[1:] for row in rows}


def stopped_with(result, message: str) -> None:
    assert result.returncode != 0
    assert message in result.output, result.output


def test_each_file_of_a_glob_gets_its_own_date_order_and_every_file_is_counted(
    build, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    # A UK spreadsheet export: 01/12/2010 is the 1st of December; the 13th gives it away.
    write_lines(
        folder / "a_uk.csv",
        [HEADER, line("1001", "01/12/2010 08:26"), line("1002", "13/12/2010 09:00")],
    )
    # The Online Retail layout: 12/1/2010 is the 1st of December; 12/13/2010 gives it away.
    write_lines(
        folder / "b_us.csv",
        [HEADER, line("2001", "12/1/2010 08:26"), line("2002", "12/13/2010 09:00")],
    )
    # Nothing above 12: either order gives a date, so the default (mdy) is used and said.
    write_lines(folder / "c_unsure.csv", [HEADER, line("3001", "02/11/2010 10:00")])
    write_lines(folder / "d_iso.csv", [HEADER, line("4001", "2010-12-05 10:00:00")])
    (folder / "e_empty.csv").write_bytes(b"")
    write_lines(folder / "f_header_only.csv", [HEADER])

    result = build(folder / "*.csv")

    assert_report_balances(result, data_lines=6)
    assert result.query(f"select invoice_id, invoiced_at from {ACCEPTED} order by 1") == [
        ("1001", datetime(2010, 12, 1, 8, 26)),
        ("1002", datetime(2010, 12, 13, 9, 0)),
        ("2001", datetime(2010, 12, 1, 8, 26)),
        ("2002", datetime(2010, 12, 13, 9, 0)),
        ("3001", datetime(2010, 2, 11, 10, 0)),
        ("4001", datetime(2010, 12, 5, 10, 0)),
    ]
    assert file_report(result) == {
        "a_uk.csv": ("dmy", "day_first_dates", None, 2, 2, 0),
        "b_us.csv": ("mdy", "month_first_dates", None, 2, 2, 0),
        "c_unsure.csv": ("mdy", "ambiguous_default", None, 1, 1, 0),
        "d_iso.csv": ("mdy", "no_slash_dates", None, 1, 1, 0),
        "e_empty.csv": ("mdy", "no_slash_dates", "empty_file", 0, 0, 0),
        "f_header_only.csv": ("mdy", "no_slash_dates", "header_only", 0, 0, 0),
    }

    summary = render_summary(result.db)
    assert f"  input           {folder / '*.csv'} (6 files)" in summary
    assert (
        f"  no lines from   2 of 6 files: {folder / 'e_empty.csv'} (empty),"
        f" {folder / 'f_header_only.csv'} (header only)"
    ) in summary
    assert (
        f"  date order      {folder / 'c_unsure.csv'}: every slash date is a date either way"
        " round (no day above 12), so it was read month-first (mdy), the default. If its dates"
        " are day-first, build again with VARS='{date_order: dmy}'."
    ) in summary
    # The as-of date is the day after the last accepted transaction, the 13th of December.
    assert "  as-of date      2010-12-14, the day after the last accepted transaction" in summary
    assert "  transactions    2010-02-11 to 2010-12-13, accepted lines" in summary
    # 180 days after the first transaction is 2010-08-10: the first month start after it is
    # September, then October, November, December and the as-of date.
    assert (
        "  history         5 snapshots, 2010-09-01 to 2010-12-14,"
        " in marts.customer_snapshot_history"
    ) in summary
    assert result.scalar("select max(as_of_date) from marts.customer_features") == date(
        2010, 12, 14
    )


def test_a_file_with_dates_in_both_orders_stops_the_build(build, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "both.csv",
        [
            HEADER,
            line("1001", "01/12/2010 08:26"),
            line("1002", "13/12/2010 09:00"),
            line("1003", "12/13/2010 09:00"),
            line("1004", "14/12/2010 09:00"),
        ],
    )
    stopped_with(
        build(path, select=INGESTION),
        f"The dates of {path} are written in both orders:"
        f' line 3 ("{line("1002", "13/12/2010 09:00")}") can only be day-first (DD/MM/YYYY),'
        f' and line 4 ("{line("1003", "12/13/2010 09:00")}") can only be month-first'
        " (MM/DD/YYYY). Set the var date_order to the file's order, dmy or mdy (for example"
        " --vars '{date_order: dmy}'); its lines in the other order are then rejected as"
        " unparseable_date.",
    )


def test_a_date_order_set_by_var_rejects_the_other_order(build, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "both.csv",
        [HEADER, line("1001", "01/12/2010 08:26"), line("1002", "12/13/2010 09:00")],
    )
    result = build(path, {"date_order": "dmy", "max_rejected_share": 0.9}, select=INGESTION)
    assert_report_balances(result, data_lines=2)
    assert result.query(f"select source_line_number, invoiced_at from {ACCEPTED}") == [
        (2, datetime(2010, 12, 1, 8, 26))
    ]
    assert result.query(
        "select source_line_number, rejection_reason from marts.rejected_transactions"
    ) == [(3, "unparseable_date")]
    assert file_report(result)["both.csv"][:2] == ("dmy", "set_by_var")


def test_windows_1252_files_are_decoded_even_past_the_first_lines(build, tmp_path: Path) -> None:
    folder = tmp_path / "legacy"
    # € is 0x80 and the curly quotes 0x93/0x94 in Windows-1252: no Latin-1 character.
    write_lines(
        folder / "a_spreadsheet.csv",
        [HEADER, line("1001", "2010-12-01 08:26:00", "PRICE €5 “SPECIAL” CAFÉ")],
        encoding="cp1252",
    )
    # Plain ASCII for 150,000 lines, then one Latin-1 byte (É as 0xC9).
    filler = [line(str(200000 + n), "2010-12-02 09:00:00") for n in range(150_000)]
    write_lines(
        folder / "b_long.csv",
        [HEADER, *filler, line("1002", "2010-12-03 10:00:00", "CAFÉ AU LAIT")],
        encoding="latin-1",
    )
    result = build(folder / "*.csv", select=INGESTION)
    assert_report_balances(result, data_lines=150_002)
    assert result.query(
        f"select source_line_number, description from {PARSED}"
        " where invoice_id in ('1001', '1002') order by invoice_id"
    ) == [(2, "PRICE €5 “SPECIAL” CAFÉ"), (150_002, "CAFÉ AU LAIT")]
    assert result.query(
        "select file_encoding from marts.data_quality_by_file order by file_order"
    ) == [("windows-1252",), ("windows-1252",)]


def test_a_file_with_utf8_and_windows_1252_lines_stops_the_build(build, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        f"{HEADER}\n{line('1001', '2010-12-01 08:26:00', 'CAFÉ')}\n".encode()
        + f"{line('1002', '2010-12-01 08:26:00', 'CAFÉ')}\n".encode("cp1252")
    )
    stopped_with(
        build(path, select=INGESTION),
        f"Cannot read {path}: it mixes two encodings. Some lines are UTF-8"
        f' (such as "{line("1001", "2010-12-01 08:26:00", "CAFÉ")[:60]}"), but line 3 has a byte'
        " that is not UTF-8 (Windows-1252 or Latin-1, as older spreadsheet exports write é or"
        " €). Export the file again as UTF-8.",
    )


def test_a_byte_that_is_not_utf8_stops_a_build_told_the_input_is_utf8(
    build, tmp_path: Path
) -> None:
    path = write_lines(
        tmp_path / "latin.csv",
        [HEADER, line("1001", "2010-12-01 08:26:00"), line("1002", "2010-12-01 08:26:00", "É")],
        encoding="latin-1",
    )
    stopped_with(
        build(path, {"input_encoding": "utf-8"}, select=INGESTION),
        f"Cannot read {path}: line 3 is not UTF-8 (a byte such as é or € written in"
        " Windows-1252 or Latin-1), but the var input_encoding is 'utf-8'. Set input_encoding"
        " to auto or windows-1252, or export the file again as UTF-8.",
    )


def test_utf16_stops_the_build(build, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "utf16.csv", [HEADER, line("1001", "2010-12-01 08:26:00")], encoding="utf-16"
    )
    stopped_with(
        build(path, select=INGESTION),
        f"Cannot read {path}: it is UTF-16 encoded, or not text at all (line 1 holds NUL bytes,"
        ' as UTF-16 has between its characters). Save it as UTF-8 instead (Excel: Save As "CSV'
        f" UTF-8\"), or convert it: iconv -f UTF-16 -t UTF-8 '{path}' > export.csv",
    )


def test_a_nul_byte_stops_the_build_at_its_line(build, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "nul.csv",
        [HEADER, line("1001", "2010-12-01 08:26:00"), line("1002", "2010-12-01 08:26:00", "X\0")],
    )
    stopped_with(
        build(path, select=INGESTION),
        f"Cannot read {path}: line 3 holds a NUL byte (0x00), which no text CSV file has; the"
        f" file is damaged there. Export it again, or remove the NUL bytes: tr -d '\\000' <"
        f" '{path}' > export.csv",
    )


def test_an_overlong_line_stops_the_build_without_echoing_it(build, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "long.csv",
        [
            HEADER,
            line("1001", "2010-12-01 08:26:00"),
            line("1002", "2010-12-01 08:26:00", "Y" * 5_000_000),
        ],
    )
    result = build(path, select=INGESTION)
    stopped_with(
        result,
        f"Cannot read {path}: line 3 is longer than 4 MiB, the most a line is read as. No"
        " transaction is that long: the export is damaged there, for example a missing line"
        " break or a field that never ends. Fix or delete that line.",
    )
    assert "Y" * 100 not in result.output


def test_a_spreadsheet_workbook_stops_the_build(build, tmp_path: Path) -> None:
    # The first bytes of every .xlsx file: a zip archive's local file header.
    workbook = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\x62\xee\x9dh^\x01\x00\x00"
    expected = (
        ': it is a spreadsheet workbook (Excel), not a CSV file. Open it and save it as "CSV'
        ' UTF-8 (Comma delimited)", then point transactions_path (or'
        " CUSTOMER_LIFECYCLE_TRANSACTIONS) at the .csv file."
    )
    named = tmp_path / "export.xlsx"
    named.write_bytes(workbook)
    stopped_with(build(named, select=INGESTION), f"Cannot read {named}{expected}")
    # Renamed to .csv, it is still recognised by its first bytes.
    renamed = tmp_path / "export.csv"
    renamed.write_bytes(workbook)
    stopped_with(build(renamed, select=INGESTION), f"Cannot read {renamed}{expected}")


def test_a_folder_given_as_the_input_suggests_a_glob(build, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    write_lines(folder / "2010-12.csv", [HEADER, line("1001", "2010-12-01 08:26:00")])
    stopped_with(
        build(folder, select=INGESTION),
        f"Transactions input '{folder}' is a folder (of 1 files), not a file. Point the var"
        " transactions_path or the env CUSTOMER_LIFECYCLE_TRANSACTIONS at the files in it with"
        f" a glob, such as '{folder}/*.csv'.",
    )


def test_paths_with_braces_quotes_and_parentheses_read_exactly_that_file(
    build, tmp_path: Path
) -> None:
    # What str.format would make of this path, and read instead: tr_transactions.csv.
    named = write_lines(tmp_path / "tr_{name}.csv", [HEADER, line("1001", "2010-12-01 08:26:00")])
    write_lines(tmp_path / "tr_transactions.csv", [HEADER, line("9999", "2010-12-01 08:26:00")])
    # And a path str.format cannot take at all.
    numbered = write_lines(
        tmp_path / "it's {1} (copy).csv", [HEADER, line("1002", "2010-12-01 08:26:00")]
    )
    for path, invoice in [(named, "1001"), (numbered, "1002")]:
        result = build(path, select=INGESTION)
        assert_report_balances(result, data_lines=1)
        assert result.query(f"select source_file, invoice_id from {ACCEPTED}") == [
            (str(path), invoice)
        ]
        assert result.scalar("select transactions_path from marts.data_quality_report") == str(path)


def test_a_header_with_a_trailing_delimiter_is_named_when_it_stops_the_build(
    build, tmp_path: Path
) -> None:
    # Every data line has 8 fields; the header's trailing comma gives it a 9th, empty one.
    path = write_lines(
        tmp_path / "trailing.csv", [f"{HEADER},", line("1001", "2010-12-01 08:26:00")]
    )
    result = build(path, select=INGESTION)
    stopped_with(
        result,
        "Rejected share 1.0 (1 of 1 lines) exceeds max_rejected_share 0.5. Most rejected:"
        f" malformed_line (1). First rejected lines: {path} line 2, malformed_line (expected 9"
        " fields, found 8: the header line ends with a delimiter, which gives it an empty last"
        " column; remove that delimiter from the header):"
        f' "{line("1001", "2010-12-01 08:26:00")}".',
    )
