"""The files the Spark suite builds on both engines, all in one folder read by one glob.

A Spark build costs minutes, so every input shares one build. The ingestion reads each file of a
glob on its own (its own encoding, delimiter, number format and date order), so the files keep
what they test side by side: the variant files of the foundation's tests (test_ingestion_inputs,
test_input_files, test_input_values), a dirty file with every rejection reason, and a generated
file large enough to be read in several splits. Lines repeated across files are rejected as
duplicates of the first, which both engines must judge alike too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from conftest import HEADER, PROJECT_ROOT, write_lines

GENERATED_LINES = 20_000
GENERATED_SEED = 15
GENERATED_NAME = "z_generated.csv"

SEMICOLON_HEADER = HEADER.replace(",", ";")
TAB_HEADER = HEADER.replace(",", "\t")
GOOD_LINES = [
    "489434,85048,15CM CHRISTMAS GLASS BALL 20 LIGHTS,12,2009-12-01 07:45:00,6.95,13085.0,United Kingdom",
    "489434,79323P,PINK CHERRY LIGHTS,12,2009-12-01 07:45:00,6.75,13085.0,United Kingdom",
    "489435,22350,CAT BOWL,12,2009-12-01 07:46:00,2.55,13085.0,United Kingdom",
]


def line(invoice: str, when: str, description: str = "X", customer: str = "17850") -> str:
    return f"{invoice},85123A,{description},6,{when},2.55,{customer},United Kingdom"


def dirty_lines() -> list[str]:
    """A header and lines that between them give every rejection reason, with accepted ones."""
    return [
        HEADER,
        "581001,22633,HAND WARMER,6,2010-12-01 09:06:00,1.85,13078.0,United Kingdom",
        "",  # blank_line
        "   ",  # blank_line (spaces only)
        "581002,22633,HAND WARMER,6,2010-12-01 09:06:00,1.85,13078.0,United Kingdom,EXTRA",
        "581003,22633,HAND WARMER,6,2010-12-01 09:06:00,1.85",  # malformed_line: too few
        '581004,22633,"HAND WARMER,6,2010-12-01 09:06:00,1.85,13078.0,United Kingdom',
        ",22633,HAND WARMER,6,2010-12-01 09:06:00,1.85,13078.0,United Kingdom",
        "581005,,HAND WARMER,6,2010-12-01 09:06:00,1.85,13078.0,United Kingdom",
        "581006,22633,HAND WARMER,6,31/31/2010 09:06,1.85,13078.0,United Kingdom",
        "581007,22633,HAND WARMER,6,,1.85,13078.0,United Kingdom",  # unparseable_date: missing
        "581008,22633,HAND WARMER,6,1999-12-31 23:59:00,1.85,13078.0,United Kingdom",
        "581009,22633,HAND WARMER,6,2099-12-01 08:26:00,1.85,13078.0,United Kingdom",
        "581010,22633,HAND WARMER,six,2010-12-01 09:06:00,1.85,13078.0,United Kingdom",
        "581011,22633,HAND WARMER,6,2010-12-01 09:06:00,1.8x5,13078.0,United Kingdom",
        "581012,22633,HAND WARMER,6,2010-12-01 09:06:00,1.85,NA,United Kingdom",
        "581013,22633,HAND WARMER,6,2010-12-01 09:06:00,1.85,-1,United Kingdom",
        "581014,22633,HAND WARMER,0,2010-12-01 09:06:00,1.85,13078.0,United Kingdom",
        "581015,22633,HAND WARMER,6,2010-12-01 09:06:00,0.00,13078.0,United Kingdom",
        "581016,22633,HAND WARMER,6,2010-12-01 09:06:00,-1.85,13078.0,United Kingdom",
        "581017,22633,HAND WARMER,-6,2010-12-01 09:06:00,1.85,13078.0,United Kingdom",
        "C581018,22633,HAND WARMER,6,2010-12-01 09:06:00,1.85,13078.0,United Kingdom",
        "581001,22633,HAND WARMER,6,2010-12-01 09:06:00,1.85,13078.0,United Kingdom",
        # Accepted: a return, a bad-debt adjustment (no customer needed to be positive), a
        # postage line, an unquoted inch mark, a quoted delimiter and an empty country.
        "C581019,22633,HAND WARMER,-2,2010-12-02 10:00:00,1.85,13078.0,United Kingdom",
        "A581020,B,Adjust bad debt,1,2010-12-02 10:00:00,-11062.06,13078.0,United Kingdom",
        "581021,POST,POSTAGE,1,2010-12-02 10:00:00,18.00,12583.0,France",
        '581022,22000,12" RECORD,1,2010-12-02 10:00:00,2.55,13085.0,United Kingdom',
        '581023,22001,"BOWL, LARGE",1,2010-12-02 10:00:00,2.55,13085.0,United Kingdom',
        "581024,22002,BOWL,1,2010-12-02 10:00:00,2.55,13085.0,",
    ]


def spreadsheet_1252(path: Path) -> Path:
    """A Windows-1252 file with the euro sign and curly quotes, and a byte (0x81) Windows-1252
    leaves undefined, which DuckDB's decoder keeps as Latin-1's U+0081 and Java's stops on."""
    write_lines(
        path, [HEADER, line("1003", "2010-12-01 08:26:00", "PRICE €5 “SPECIAL” CAFÉ")], "cp1252"
    )
    with path.open("ab") as file:
        file.write(line("1005", "2010-12-01 08:27:00", "ODD \x81 BYTE").encode("latin-1") + b"\n")
    return path


def write_inputs(folder: Path) -> list[Path]:
    """Writes every input file into `folder` (created); returns them, the generated one last."""
    files = [
        # test_ingestion_inputs: encodings, layouts, date formats, broken lines, duplicates.
        write_lines(
            folder / "a_latin1.csv",
            [
                HEADER,
                "489434,85048,CAFÉ CRÈME BOWL,12,2009-12-01 07:45:00,6.95,13085.0,France",
                "489434,85049,SMØRREBRØD PLATE,2,2009-12-01 07:45:00,3.95,13085.0,Denmark",
            ],
            encoding="latin-1",
        ),
        write_lines(
            folder / "a_utf8.csv",
            [HEADER, "489434,85048,CAFÉ CRÈME BOWL ø,12,2009-12-01 07:45:00,6.95,13085.0,France"],
        ),
        write_lines(
            folder / "b_old_layout_crlf.csv",
            [
                "InvoiceNo;StockCode;Description;Quantity;InvoiceDate;UnitPrice;CustomerID;Country",
                "536365;85123A;WHITE HANGING HEART T-LIGHT HOLDER;6;12/1/2010 8:26;2,55;17850;United Kingdom",
                "536365;71053;WHITE METAL LANTERN;6;12/1/2010 8:26;3.39;17850;United Kingdom",
            ],
            newline="\r\n",
        ),
        write_lines(
            folder / "b_date_formats.csv",
            [
                HEADER,
                "536365,85123A,X,6,12/1/2010 8:26,2.55,17850,United Kingdom",
                "536366,85123A,X,6,2/20/11 11:39,2.55,17850,United Kingdom",
                "536367,85123A,X,6,2009-12-01 07:45:00,2.55,17850,United Kingdom",
                "536368,85123A,X,6,2009-12-01T07:45,2.55,17850,United Kingdom",
            ],
        ),
        write_lines(
            folder / "b_duplicates.csv",
            [HEADER, GOOD_LINES[0], GOOD_LINES[1], GOOD_LINES[0], GOOD_LINES[0], GOOD_LINES[2]],
        ),
        write_lines(
            folder / "b_reordered_extra_column.csv",
            [
                "Country;Customer ID;Price;InvoiceDate;Quantity;Description;StockCode;Invoice;Extra",
                "United Kingdom;13085.0;2.55;2010-01-04 10:00:00;12;CAT BOWL;22350;489500;x",
                "United Kingdom;;2.55;2010-01-04 10:00:00;12;CAT BOWL;22350;489501;x",
            ],
        ),
        # test_input_files: a date order per file, files with no line, Windows-1252.
        write_lines(
            folder / "c_uk_dates.csv",
            [HEADER, line("1001", "01/12/2010 08:26"), line("1002", "13/12/2010 09:00")],
        ),
        write_lines(
            folder / "c_us_dates.csv",
            [HEADER, line("2001", "12/1/2010 08:26"), line("2002", "12/13/2010 09:00")],
        ),
        write_lines(folder / "c_unsure_dates.csv", [HEADER, line("3001", "02/11/2010 10:00")]),
        write_lines(folder / "c_header_only.csv", [HEADER]),
        spreadsheet_1252(folder / "d_spreadsheet_1252.csv"),
        # One Latin-1 byte after 5,000 ASCII lines: past the first split of the Spark read.
        write_lines(
            folder / "d_long_latin1.csv",
            [
                HEADER,
                *(line(str(200000 + n), "2010-12-02 09:00:00") for n in range(5_000)),
                line("1004", "2010-12-03 10:00:00", "CAFÉ AU LAIT"),
            ],
            encoding="latin-1",
        ),
        write_lines(
            folder / "d_trailing_delimiter.csv",
            [f"{HEADER},", line("1005", "2010-12-01 08:26:00")],
        ),
        write_lines(folder / "e_tr_{name}.csv", [HEADER, line("1006", "2010-12-01 08:26:00")]),
        write_lines(
            folder / "e_it's {1} (copy).csv", [HEADER, line("1007", "2010-12-01 08:26:00")]
        ),
        # test_input_values: number formats per delimiter, customer IDs, plausible dates. The
        # comma and semicolon files have customers of their own, so that a £1.48M line is not
        # set beside another customer's small history.
        write_lines(
            folder / "f_comma_numbers.csv",
            [
                HEADER,
                '489434,85048,BALL,"1,200",2010-12-01 08:26:00,"1,234.50",19001,United Kingdom',
                '489435,22350,CAT BOWL,12,2010-12-01 08:26:00,"1,234",19001,United Kingdom',
                '489436,22350,CAT BOWL,6,2010-12-01 08:26:00,"1,23",19001,United Kingdom',
                '489437,22350,CAT BOWL,"12,34,5",2010-12-01 08:26:00,2.55,19001,United Kingdom',
                "489438,22350,CAT BOWL,1.5,2010-12-01 08:26:00,2.55,19001,United Kingdom",
                "489439,22350,CAT BOWL,1.00001,2010-12-01 08:26:00,2.55,19001,United Kingdom",
                "489440,22350,CAT BOWL,6,2010-12-01 08:26:00,£2.55,19001,United Kingdom",
                "489441,22350,CAT BOWL,6,2010-12-01 08:26:00,2.55€,19001,United Kingdom",
                "489442,22350,CAT BOWL,six,2010-12-01 08:26:00,1.8x5,19001,United Kingdom",
            ],
        ),
        write_lines(
            folder / "f_semicolon_numbers.csv",
            [
                SEMICOLON_HEADER,
                "536365;85123A;HEART;6;2010-12-01 08:26:00;2,55;19002;United Kingdom",
                "536366;71053;LANTERN;1.200,00;2010-12-01 08:26:00;1.234,50;19002;United Kingdom",
                "536367;71053;LANTERN;6,0;2010-12-01 08:26:00;3.39;19002;United Kingdom",
                "536368;71053;LANTERN;1,200;2010-12-01 08:26:00;2,55;19002;United Kingdom",
                "536369;71053;LANTERN;6;2010-12-01 08:26:00;1,234.50;19002;United Kingdom",
            ],
        ),
        write_lines(
            folder / "f_tab_numbers.csv",
            [
                TAB_HEADER,
                "536370\t85123A\tHEART\t6\t2010-12-01 08:26:00\t1,234\t17850\tUnited Kingdom",
            ],
        ),
        write_lines(
            folder / "f_customer_ids.csv",
            [
                HEADER,
                *(
                    f"{489434 + n},22350,CAT BOWL,6,2010-12-01 08:26:00,2.55,{customer},United Kingdom"
                    for n, customer in enumerate(
                        [
                            "13085",
                            "13085.0",
                            "1.3085e4",
                            "013085",
                            "+13085",
                            '" 13085 "',
                            "-1",
                            "0",
                            "-1.0",
                            "",
                            "C13085",
                            "GUEST",
                        ]
                    )
                ),
            ],
        ),
        write_lines(
            folder / "g_dirty.csv",
            dirty_lines(),
        ),
    ]
    dated = write_lines(
        folder / "f_plausible_dates.csv",
        [
            HEADER,
            *(
                f"{581587 + n},22350,CAT BOWL,6,{when},2.55,13085,United Kingdom"
                for n, when in enumerate(
                    [
                        "2011-12-09 12:50:00",
                        "2011-12-11 09:00:00",
                        "2011-12-12 00:00:00",
                        "2099-12-01 08:26:00",
                        "1900-01-01 00:00:00",
                        "1999-12-31 23:59:00",
                        "2000-01-01 00:00:00",
                    ]
                )
            ),
        ],
    )
    # Written on 2011-12-10 (UTC): its lines may be dated up to 2011-12-11.
    written = datetime(2011, 12, 10, 18, 0, tzinfo=UTC).timestamp()
    os.utime(dated, (written, written))
    # No empty (0-byte) file, and no name starting with _ or .: Spark's file sources skip
    # them (DECISIONLOG: "Where the engines still differ").
    generated = folder / GENERATED_NAME
    subprocess.run(
        [
            sys.executable,
            "-m",
            "customer_lifecycle.generate",
            "--lines",
            str(GENERATED_LINES),
            "--seed",
            str(GENERATED_SEED),
            "--out",
            str(generated),
            "--quiet",
        ],
        cwd=PROJECT_ROOT,
        check=True,
        stdin=subprocess.DEVNULL,
    )
    return [*files, dated, generated]
