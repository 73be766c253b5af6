"""Properties of the synthetic Online Retail II generator, checked on the files it writes."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from customer_lifecycle.generate import GenerationStats, generate, parse_line_count

HEADER = "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country"
NON_PRODUCT = {"POST", "DOT", "M", "D", "C2", "BANK CHARGES", "AMAZONFEE", "ADJUST"}
SMALL = 20_000
# Large enough for every malformation kind (one per 50k lines) and for stable shares.
MEDIUM = 150_000


@dataclass(frozen=True)
class Row:
    invoice: str
    code: str
    description: str
    quantity: int
    date: datetime
    date_text: str
    price: float
    price_text: str
    customer: str
    country: str
    raw: str


@dataclass(frozen=True)
class Parsed:
    path: Path
    stats: GenerationStats
    raw_lines: list[str]  # physical data lines, without the header
    rows: list[Row]  # the well-formed ones
    malformed: list[str]


def _parse(path: Path, stats: GenerationStats) -> Parsed:
    text = path.read_bytes().decode("utf-8")
    assert text.endswith("\n")
    physical = text[:-1].split("\n")
    assert physical[0] == HEADER
    rows: list[Row] = []
    malformed: list[str] = []
    for line in physical[1:]:
        # One physical line at a time: an unclosed quote must not swallow the next lines.
        fields = next(csv.reader([line]))
        if len(fields) != 8 or line.count('"') % 2:
            malformed.append(line)
            continue
        inv, code, desc, qty, when, price, cust, country = fields
        rows.append(
            Row(
                inv,
                code,
                desc,
                int(qty),
                datetime.strptime(when, "%Y-%m-%d %H:%M:%S"),
                when,
                float(price),
                price,
                cust,
                country,
                line,
            )
        )
    return Parsed(path, stats, physical[1:], rows, malformed)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Parsed:
    path = tmp_path_factory.mktemp("small") / "nested" / "dir" / "retail.csv"
    return _parse(path, generate(SMALL, 42, path, progress=False))


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> Parsed:
    path = tmp_path_factory.mktemp("medium") / "retail.csv"
    return _parse(path, generate(MEDIUM, 7, path, progress=False))


def _share(rows: list[Row], predicate: object) -> float:
    assert callable(predicate)
    return sum(1 for r in rows if predicate(r)) / len(rows)


# --- file format -------------------------------------------------------------------------------


@pytest.mark.parametrize("lines", [0, 1, 2, 7, 170, 999, 10_000, 12_345])
def test_exact_line_count(tmp_path: Path, lines: int) -> None:
    out = tmp_path / "f.csv"
    stats = generate(lines, 3, out, progress=False)
    data = out.read_bytes()
    assert data.count(b"\n") == lines + 1
    assert data.startswith(HEADER.encode() + b"\n")
    assert stats.lines == lines


def test_header_line_endings_and_encoding(small: Parsed) -> None:
    data = small.path.read_bytes()
    assert data.startswith((HEADER + "\n").encode())
    assert b"\r" not in data
    assert b"\x00" not in data
    data.decode("utf-8")
    assert len(small.raw_lines) == SMALL
    assert small.stats.lines == SMALL


def test_deterministic_for_same_seed_and_different_for_other_seed(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    generate(SMALL, 11, a, progress=False)
    generate(SMALL, 11, b, progress=False)
    generate(SMALL, 12, c, progress=False)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_atomic_write_leaves_no_temporary_files(small: Parsed) -> None:
    assert [p.name for p in small.path.parent.iterdir()] == [small.path.name]


def test_field_formats(small: Parsed) -> None:
    for r in small.rows:
        assert re.fullmatch(r"[CA]?\d{6}", r.invoice), r.raw
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:00", r.date_text), r.raw
        # pandas-style floats: at least one and at most three decimals.
        assert re.fullmatch(r"-?\d+\.\d{1,3}", r.price_text), r.raw
        assert r.customer == "" or re.fullmatch(r"\d{5,}\.0", r.customer), r.raw
        assert r.country, r.raw
    product_codes = {r.code for r in small.rows if r.code not in NON_PRODUCT | {"B"}}
    assert all(re.fullmatch(r"\d{5}[A-Z]{0,2}", c) for c in product_codes)


def test_quoted_descriptions_with_commas(medium: Parsed) -> None:
    with_comma = [r for r in medium.rows if "," in r.description]
    assert with_comma
    for r in with_comma:
        assert f'"{r.description.replace(chr(34), 2 * chr(34))}"' in r.raw
    assert all(r.description == r.description.strip() for r in medium.rows if r.description)


# --- time ----------------------------------------------------------------------------------------


def test_date_range_weekly_rhythm_and_business_hours(medium: Parsed) -> None:
    dates = [r.date for r in medium.rows]
    assert min(dates) >= datetime(2009, 12, 1)
    assert max(dates) < datetime(2011, 12, 10)
    weekdays = Counter(d.weekday() for d in dates)
    assert weekdays[5] / len(dates) <= 0.001  # Saturday
    busiest = max(weekdays[d] for d in range(5))
    assert weekdays[6] < busiest and weekdays[4] < busiest  # quieter Sunday and Friday
    assert all(7 <= d.hour <= 20 for d in dates)


def test_november_peak_and_growth(medium: Parsed) -> None:
    months = Counter((r.date.year, r.date.month) for r in medium.rows)
    average = sum(months.values()) / len(months)
    assert months[(2010, 11)] > 1.2 * average
    assert months[(2011, 11)] > 1.2 * average
    year_2010 = sum(v for (y, _), v in months.items() if y == 2010)
    year_2011_jan_nov = sum(v for (y, m), v in months.items() if y == 2011 and m <= 11)
    year_2010_jan_nov = year_2010 - months[(2010, 12)]
    assert year_2011_jan_nov > year_2010_jan_nov


def test_invoices_chronological_and_contiguous(small: Parsed) -> None:
    seen: set[str] = set()
    previous: Row | None = None
    for r in small.rows:
        if previous is None or r.invoice != previous.invoice:
            assert r.invoice not in seen, f"invoice {r.invoice} is split"
            seen.add(r.invoice)
            if previous is not None:
                assert int(r.invoice.lstrip("CA")) > int(previous.invoice.lstrip("CA"))
                assert r.date >= previous.date
        else:
            assert r.date == previous.date and r.customer == previous.customer
        previous = r
    assert small.rows[0].invoice == "489434"


# --- customers and countries -------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["small", "medium"])
def test_country_and_missing_customer_shares(fixture: str, request: pytest.FixtureRequest) -> None:
    parsed: Parsed = request.getfixturevalue(fixture)
    assert 0.85 <= _share(parsed.rows, lambda r: r.country == "United Kingdom") <= 0.95
    assert 0.15 <= _share(parsed.rows, lambda r: r.customer == "") <= 0.25


def test_many_countries_and_one_country_per_customer(medium: Parsed) -> None:
    countries: dict[str, set[str]] = defaultdict(set)
    for r in medium.rows:
        if r.customer:
            countries[r.customer].add(r.country)
    assert all(len(c) == 1 for c in countries.values())
    assert len({r.country for r in medium.rows}) >= 20
    assert {"Germany", "France", "EIRE"} <= {r.country for r in medium.rows}


def test_customers_scale_with_lines_and_have_distinct_rhythms(medium: Parsed) -> None:
    invoices: dict[str, set[str]] = defaultdict(set)
    first: dict[str, datetime] = {}
    last: dict[str, datetime] = {}
    for r in medium.rows:
        if r.customer and r.invoice[0].isdigit():
            invoices[r.customer].add(r.invoice)
            first.setdefault(r.customer, r.date)
            last[r.customer] = r.date
    ids = [float(c) for c in invoices]
    assert min(ids) >= 12346
    assert 0.85 * MEDIUM / 170 <= len(invoices) <= 1.1 * MEDIUM / 170
    counts = [len(v) for v in invoices.values()]
    assert sum(1 for c in counts if c == 1) / len(counts) > 0.15  # one-off buyers
    assert max(counts) >= 40  # loyal regulars
    newcomers = [c for c in first if first[c] >= datetime(2011, 9, 9)]
    assert len(newcomers) / len(first) > 0.05
    churned = [c for c in last if last[c] < datetime(2011, 6, 1) and len(invoices[c]) >= 3]
    assert len(churned) / len(last) > 0.05


# --- products, baskets, quantities -----------------------------------------------------------


def test_products_have_stable_descriptions_and_prices(medium: Parsed) -> None:
    seen: dict[str, set[tuple[str, float]]] = defaultdict(set)
    for r in medium.rows:
        if r.code not in NON_PRODUCT | {"B"} and r.price > 0:
            seen[r.code].add((r.description, r.price))
    assert 3000 <= len(seen) <= 4000
    assert all(len(v) == 1 for v in seen.values())
    assert all(d.upper() == d for v in seen.values() for d, _ in v)
    assert seen["85123A"] == {("WHITE HANGING HEART T-LIGHT HOLDER", 2.55)}


def test_heavy_tailed_baskets_and_quantities(medium: Parsed) -> None:
    basket = Counter(r.invoice for r in medium.rows if r.invoice[0].isdigit())
    sizes = sorted(basket.values())
    assert sizes[len(sizes) // 2] <= 30
    assert sizes[-1] >= 150
    quantities = sorted(r.quantity for r in medium.rows if r.invoice[0].isdigit())
    positive = [q for q in quantities if q > 0]
    assert positive[len(positive) // 2] <= 24
    assert positive[-1] >= 1000
    prices = sorted(r.price for r in medium.rows if r.code[:1].isdigit() and r.price > 0)
    assert prices[len(prices) // 2] < 5 < 50 < prices[-1]


# --- data-quality warts ------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["small", "medium"])
def test_cancellations_reverse_earlier_sales_of_same_customer(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    parsed: Parsed = request.getfixturevalue(fixture)
    sales: dict[tuple[str, str, float], list[Row]] = defaultdict(list)
    checked = 0
    for r in parsed.rows:
        if r.invoice.startswith("C"):
            assert r.quantity < 0, r.raw
            if r.code in NON_PRODUCT:
                continue
            assert r.customer, r.raw
            earlier = sales[(r.customer, r.code, r.price)]
            assert any(s.date < r.date and s.quantity >= -r.quantity for s in earlier), r.raw
            checked += 1
        elif r.invoice[0].isdigit():
            sales[(r.customer, r.code, r.price)].append(r)
    assert 0.01 <= _share(parsed.rows, lambda r: r.invoice.startswith("C")) <= 0.03
    assert checked > 0


@pytest.mark.parametrize("fixture", ["small", "medium"])
def test_non_product_codes(fixture: str, request: pytest.FixtureRequest) -> None:
    parsed: Parsed = request.getfixturevalue(fixture)
    by_code = Counter(r.code for r in parsed.rows if r.code in NON_PRODUCT)
    assert set(by_code) == NON_PRODUCT
    assert 0.002 <= sum(by_code.values()) / len(parsed.rows) <= 0.01
    descriptions = {r.code: r.description for r in parsed.rows if r.code in NON_PRODUCT}
    assert descriptions["POST"] == "POSTAGE"
    assert descriptions["DOT"] == "DOTCOM POSTAGE"
    assert descriptions["C2"] == "CARRIAGE"
    assert descriptions["AMAZONFEE"] == "AMAZON FEE"
    assert descriptions["ADJUST"].startswith("Adjustment by")
    for r in parsed.rows:
        if r.code == "D":
            assert r.invoice.startswith("C") and r.quantity < 0 and r.description == "Discount"


def test_bad_debt_adjustments(small: Parsed, medium: Parsed) -> None:
    for parsed in (small, medium):
        adjustments = [r for r in parsed.rows if r.invoice.startswith("A")]
        assert adjustments
        for r in adjustments:
            assert (r.code, r.description, r.quantity, r.customer) == (
                "B",
                "Adjust bad debt",
                1,
                "",
            )
        assert parsed.stats.adjustments == len(adjustments)
    assert any(r.price < 0 for r in medium.rows if r.invoice.startswith("A"))


@pytest.mark.parametrize("fixture", ["small", "medium"])
def test_exact_duplicates_within_invoices(fixture: str, request: pytest.FixtureRequest) -> None:
    parsed: Parsed = request.getfixturevalue(fixture)
    seen: set[str] = set()
    duplicates = 0
    adjacent = 0
    previous = ""
    for line in parsed.raw_lines:
        # The invoice number is part of the line, so this only finds repeats within an invoice.
        if line in seen:
            duplicates += 1
            adjacent += line == previous
        seen.add(line)
        previous = line
    assert 0.005 <= duplicates / len(parsed.raw_lines) <= 0.02
    assert 0 < adjacent < duplicates  # right after itself, and elsewhere in the invoice


@pytest.mark.parametrize("fixture", ["small", "medium"])
def test_zero_prices_mostly_without_customer(fixture: str, request: pytest.FixtureRequest) -> None:
    parsed: Parsed = request.getfixturevalue(fixture)
    zero = [r for r in parsed.rows if r.price == 0]
    assert 0.001 <= len(zero) / len(parsed.rows) <= 0.006
    assert sum(1 for r in zero if not r.customer) / len(zero) > 0.5


def test_malformed_lines_small(small: Parsed) -> None:
    assert 1 <= len(small.malformed) <= 3
    assert small.stats.malformed == len(small.malformed)


def test_malformed_line_kinds(medium: Parsed) -> None:
    assert len(medium.malformed) == medium.stats.malformed
    assert 2 <= len(medium.malformed) <= 5
    too_few = too_many = unclosed = 0
    for line in medium.malformed:
        assert "\r" not in line and line.startswith(("4", "5"))
        if line.count('"') % 2:
            unclosed += 1
        else:
            n_fields = len(next(csv.reader([line])))
            too_few += n_fields < 8
            too_many += n_fields > 8
    assert too_few and too_many and unclosed


def test_stats_agree_with_file(medium: Parsed) -> None:
    s, rows = medium.stats, medium.rows
    assert s.lines == len(medium.raw_lines)
    assert s.cancellation_lines == sum(1 for r in rows if r.invoice.startswith("C"))
    assert abs(s.lines_without_customer - sum(1 for r in rows if not r.customer)) <= s.malformed
    assert s.non_product == sum(1 for r in rows if r.code in NON_PRODUCT)
    assert s.zero_price == sum(1 for r in rows if r.price == 0)
    assert s.customers == len({r.customer for r in rows if r.customer})
    assert abs(s.invoices - len({r.invoice for r in rows})) <= s.malformed


# --- command line ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"), [("300000", 300_000), ("1e6", 1_000_000), ("1_000_000", 1_000_000)]
)
def test_lines_argument_formats(text: str, value: int) -> None:
    assert parse_line_count(text) == value


def test_command_line(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "cli.csv"
    completed = subprocess.run(
        [sys.executable, "-m", "customer_lifecycle.generate", "--lines", "2e3", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert completed.returncode == 0, completed.stderr
    reference = tmp_path / "api.csv"
    generate(2000, 42, reference, progress=False)  # 42 is the CLI's default seed
    assert out.read_bytes() == reference.read_bytes()
