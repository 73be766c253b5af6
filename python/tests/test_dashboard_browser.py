"""The dashboard in a real browser: the launcher serves it, headless Chromium visits every page.

The server is started the way a user starts it (`python -m customer_lifecycle.dashboard`) on a
free localhost port, against the tiny warehouse of test_dashboard.py. Playwright drives the
Debian Chromium at /usr/bin/chromium (it cannot download its own browser here); a missing
Chromium fails the test, it never skips.

Environment:
- DASHBOARD_SCREENSHOT_DIR: where the page screenshots go, as dashboard_<page>.png (default: the
  test's tmp_path).
- DASHBOARD_SCREENSHOT_PAGES: comma-separated pages to save (default: all); every page is still
  visited and checked.
- DASHBOARD_TEST_WAREHOUSE: serve this existing warehouse instead of the tiny one (the app opens
  it read-only), e.g. the one `make build` publishes, for the screenshots in docs/images. It
  must have its snapshot history (a build with the default snapshot_frequency).
- DASHBOARD_TEST_CUSTOMER: the customer ID to look up (default: one from the warehouse), a
  customer in more than one snapshot.

Besides every page rendering without an error, the history panels must draw: the stage-migration
Sankey has links, the backtest has a bar per risk level, and the customer's timeline has a point
per snapshot that holds them, more than one.

A second test serves the tiny warehouse with its reporting marts scaled past a billion (as a
100M-line build has them): every KPI tile shows a compact figure that fits it, and its tooltip
the exact figure. (The window is VIEWPORT's: below about 1,250 pixels, five tiles beside the
sidebar are too narrow for even a short figure, whatever its units.)
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, sync_playwright
from test_dashboard import KNOWN_CUSTOMER, KNOWN_EXPLANATION, write_test_warehouse

from customer_lifecycle.lineage_screenshot import CHROMIUM, CHROMIUM_ARGS, free_port
from customer_lifecycle.paths import PROJECT_ROOT

VIEWPORT = {"width": 1440, "height": 1000}
HEALTH_TRIES = 240  # polls of the health endpoint, 0.25 s apart
WAIT_MS = 60_000  # Playwright's bound for any one page to render

# (screenshot name, url path, h1 title, plotly charts at least)
PAGES = [
    ("overview", "", "Overview", 2),
    ("segments", "segments", "Segments", 2),
    ("risk", "risk", "Risk", 3),
    ("actions", "actions", "Actions", 2),
    ("customer_lookup", "customer_lookup", "Customer lookup", 0),
    ("data_quality", "data_quality", "Data quality", 1),
]


@dataclass(frozen=True)
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


def _wait_until_healthy(server: Server) -> None:
    for _ in range(HEALTH_TRIES):
        if server.process.poll() is not None:
            pytest.fail(
                f"The dashboard exited with code {server.process.returncode}:\n"
                + server.log.read_text(errors="replace")
            )
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    pytest.fail(
        f"The dashboard did not answer at {server.url} after {HEALTH_TRIES} tries:\n"
        + server.log.read_text(errors="replace")
    )


@pytest.fixture
def chromium() -> Path:
    """The browser, or a failure that says how to install it (CI installs it; never a skip)."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: run `apt-get install chromium` "
            "(CI installs it) to run the browser test."
        )
    return CHROMIUM


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    chosen = os.environ.get("DASHBOARD_TEST_WAREHOUSE")
    if chosen:
        path = Path(chosen).resolve()
        assert path.is_file(), f"DASHBOARD_TEST_WAREHOUSE={chosen} is not a file"
        return path
    return write_test_warehouse(tmp_path / "warehouse.duckdb")


@pytest.fixture
def server(warehouse: Path, tmp_path: Path) -> Iterator[Server]:
    with _serve(warehouse, tmp_path) as running:
        yield running


@contextlib.contextmanager
def _serve(warehouse: Path, tmp_path: Path) -> Iterator[Server]:
    """The dashboard, started as a user starts it, on `warehouse`, until the block ends."""
    port = free_port()
    log = tmp_path / "dashboard.log"
    env = {
        **os.environ,
        "CUSTOMER_LIFECYCLE_DB": str(warehouse),
        "STREAMLIT_SERVER_PORT": str(port),
        "HOME": str(tmp_path),  # Streamlit keeps its machine id under ~/.streamlit
    }
    env.pop("STREAMLIT_SERVER_ADDRESS", None)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "customer_lifecycle.dashboard"],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    running = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_until_healthy(running)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _customer_to_look_up(warehouse: Path) -> str:
    chosen = os.environ.get("DASHBOARD_TEST_CUSTOMER")
    if chosen:
        return chosen
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select customer_id from marts.customer_360 where customer_id = ?"
            " union all (select customer_id from marts.customer_360"
            " order by value_at_stake desc, customer_id limit 1)",
            [KNOWN_CUSTOMER],
        ).fetchall()
    assert rows, "the warehouse has no customer to look up"
    return str(rows[0][0])


def _wait_for_page(page: Page, title: str, least_charts: int) -> None:
    page.wait_for_selector(f'h1:has-text("{title}")', timeout=WAIT_MS)
    page.wait_for_function(
        "least => document.querySelectorAll('.js-plotly-plot').length >= least",
        arg=least_charts,
        timeout=WAIT_MS,
    )
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=WAIT_MS)


# What each Plotly chart on the page drew: its traces (type, name, points, hover template,
# point marks in the SVG), its Sankey links and its bars. Plotly keeps the figure it drew on
# the chart's element (_fullData, with numeric arrays decoded).
_DRAWN_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(plot => ({
    traces: (plot._fullData || []).map(trace => ({
        type: trace.type,
        name: trace.name || '',
        points: trace._length || 0,
        hover: String(trace.hovertemplate || ''),
        marks: plot.querySelectorAll('.trace' + trace.uid + ' .point').length,
    })),
    sankeyLinks: plot.querySelectorAll('.sankey-link').length,
    bars: plot.querySelectorAll('.barlayer .point').length,
}))"""


def _drawn(page: Page) -> list[dict[str, Any]]:
    return page.evaluate(_DRAWN_JS)


def _wait_until_drawn(page: Page, name: str, predicate: str) -> list[dict[str, Any]]:
    """Waits until `predicate` (JS over _DRAWN_JS's result) holds; fails with what was drawn."""
    try:
        page.wait_for_function(f"() => ({predicate})(({_DRAWN_JS})())", timeout=WAIT_MS)
    except PlaywrightError:
        pytest.fail(f"{name}: the history chart was not drawn; the charts drew {_drawn(page)}")
    return _drawn(page)


def _assert_history_drawn(page: Page, name: str) -> str:
    """The history chart of `name`'s page is drawn and not empty; a line for the report."""
    if name == "segments":
        plots = _wait_until_drawn(page, name, "plots => plots.some(plot => plot.sankeyLinks > 0)")
        links = max(plot["sankeyLinks"] for plot in plots)
        return f"segments: stage-migration Sankey with {links} links"
    if name == "risk":
        plots = _wait_until_drawn(
            page,
            name,
            "plots => plots.some(plot => plot.bars > 0 && plot.traces.some("
            "trace => trace.type === 'bar' && trace.hover.includes('customer-snapshots')))",
        )
        pooled = next(
            plot
            for plot in plots
            if any("customer-snapshots" in trace["hover"] for trace in plot["traces"])
        )
        (bars,) = pooled["traces"]
        assert bars["points"] >= 2 and pooled["bars"] == bars["points"], pooled
        return f"risk: backtest with {bars['points']} risk levels"
    if name == "customer_lookup":
        plots = _wait_until_drawn(
            page,
            name,
            "plots => plots.some(plot => plot.traces.some("
            "trace => trace.name === 'Net revenue' && trace.marks > 1))",
        )
        (line,) = (
            trace for plot in plots for trace in plot["traces"] if trace["name"] == "Net revenue"
        )
        assert line["marks"] == line["points"], line
        return f"customer_lookup: timeline with {line['points']} points"
    return ""


def _assert_no_errors(page: Page, name: str) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, f"{name}: {exceptions.all_inner_texts()}"
    errors = page.locator('[data-testid="stAlertContentError"]')
    assert errors.count() == 0, f"{name}: {errors.all_inner_texts()}"


def _screenshot(page: Page, directory: Path, name: str) -> Path:
    """The whole page: the viewport is stretched to the height of the app's main block."""
    height = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMainBlockContainer\"]').scrollHeight"
    )
    page.set_viewport_size({"width": VIEWPORT["width"], "height": int(height) + 120})
    page.wait_for_timeout(1_000)  # let Plotly redraw at the new size; not an assertion
    path = directory / f"dashboard_{name}.png"
    page.screenshot(path=str(path))
    page.set_viewport_size(VIEWPORT)
    return path


def test_every_page_in_a_real_browser(
    chromium: Path, server: Server, warehouse: Path, tmp_path: Path
) -> None:
    shots = Path(os.environ.get("DASHBOARD_SCREENSHOT_DIR") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    wanted = {name.strip() for name in os.environ.get("DASHBOARD_SCREENSHOT_PAGES", "").split(",")}
    wanted.discard("")
    unknown = wanted - {name for name, *_ in PAGES}
    assert not unknown, f"DASHBOARD_SCREENSHOT_PAGES names unknown pages: {sorted(unknown)}"
    customer = _customer_to_look_up(warehouse)
    saved = []
    history: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=str(chromium),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport=VIEWPORT,
        )
        try:
            page = browser.new_page()
            for name, path, title, least_charts in PAGES:
                page.goto(f"{server.url}/{path}", timeout=WAIT_MS)
                _wait_for_page(page, title, least_charts)
                if name == "customer_lookup":
                    page.get_by_role("textbox", name="Customer ID").fill(customer)
                    page.keyboard.press("Enter")
                    page.wait_for_selector(f'h3:has-text("Customer {customer}")', timeout=WAIT_MS)
                    _wait_for_page(page, title, 2)
                    explanation = page.get_by_text(f"Customer {customer} (", exact=False)
                    assert explanation.count() >= 1
                    if customer == KNOWN_CUSTOMER:
                        assert page.get_by_text(KNOWN_EXPLANATION).count() == 1
                _assert_no_errors(page, name)
                drawn = _assert_history_drawn(page, name)
                if drawn:
                    history.append(drawn)
                assert (
                    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').count()
                    == 4
                )
                if not wanted or name in wanted:
                    saved.append(_screenshot(page, shots, name))
        finally:
            browser.close()
    print("\n" + "\n".join(history))  # what the history charts drew; pytest -s shows it
    assert len(history) == 3, history
    assert saved, "no screenshot was saved"
    assert all(path.stat().st_size > 10_000 for path in saved), saved


# -- numbers at scale -------------------------------------------------------------------------

# The tiny warehouse's reporting marts scaled: 6 customers become 2.4 billion and every amount
# a million times larger.
CUSTOMERS_SCALE = 400_000_000
MONEY_SCALE = 1_000_000
MONEY_MEASURES = (
    "net_revenue",
    "value_at_stake",
    "revenue_at_risk",
    "action_cost",
    "expected_benefit",
    "net_benefit",
)
# tile -> (shown, exact), written out from test_dashboard.py's rows times the scales.
BIG_TILES = {
    "overview": {
        "Customers": ("2.40bn", "2,400,000,000"),  # 6 customers
        "Net revenue": ("£34.7bn", "£34,712,500,000.00"),  # 34,712.50
        "Revenue at risk": ("£8.18bn", "£8,177,100,000.00"),  # 8,156.82 + 20.28
        "Planned spend": ("£18.3m", "£18,300,000.00"),  # 12 + 5 + 1 + 0.30
        "Expected margin": ("£1.58bn", "£1,575,680,000.00"),  # 815.68 + 520 + 90 + 150
    },
    "actions": {
        "Customers to contact": ("1.60bn", "1,600,000,000"),  # 4 in the plan
        "Expected net benefit": ("£1.56bn", "£1,557,380,000.00"),  # 1,575.68 - 18.30
    },
}

# Per KPI tile: its label, its value's text, and the widest overflow of the value's boxes
# (scrollWidth - clientWidth: above 0, the text is cut off).
_TILES_JS = """() => Array.from(document.querySelectorAll('[data-testid="stMetric"]')).map(tile => {
    const value = tile.querySelector('[data-testid="stMetricValue"]');
    const boxes = [value, ...value.querySelectorAll('*')];
    return {
        label: tile.querySelector('[data-testid="stMetricLabel"]').innerText.trim(),
        value: value.innerText.trim(),
        overflow: Math.max(...boxes.map(box => box.scrollWidth - box.clientWidth)),
    };
})"""


def _big_warehouse(path: Path) -> Path:
    write_test_warehouse(path)
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "update marts.segment_metrics set customers = customers * ?, "
            + ", ".join(f"{measure} = {measure} * ?" for measure in MONEY_MEASURES),
            [CUSTOMERS_SCALE, *(MONEY_SCALE for _ in MONEY_MEASURES)],
        )
    return path


def _tooltip(page: Page, label: str) -> str:
    """The text of the tooltip of the KPI tile `label`, as hovering its help icon shows it."""
    tile = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    tile.locator('[data-testid="stTooltipHoverTarget"]').first.hover()
    content = page.locator('[data-testid="stTooltipContent"]').last
    content.wait_for(state="visible", timeout=WAIT_MS)
    text = content.inner_text()
    page.mouse.move(0, 0)
    content.wait_for(state="hidden", timeout=WAIT_MS)
    return text


def test_kpi_tiles_fit_figures_past_a_billion(chromium: Path, tmp_path: Path) -> None:
    warehouse = _big_warehouse(tmp_path / "billions.duckdb")
    seen = []
    with (
        _serve(warehouse, tmp_path) as running,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=str(chromium),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport=VIEWPORT,
        )
        try:
            page = browser.new_page()
            for name, path, title, least_charts in PAGES:
                if name not in BIG_TILES:
                    continue
                page.goto(f"{running.url}/{path}", timeout=WAIT_MS)
                _wait_for_page(page, title, least_charts)
                _assert_no_errors(page, name)
                tiles = {tile["label"]: tile for tile in page.evaluate(_TILES_JS)}
                for label, (shown, exact) in BIG_TILES[name].items():
                    tile = tiles[label]
                    assert tile["value"] == shown, tile
                    assert f"Exact figure: {exact}." in _tooltip(page, label), label
                    seen.append(f"{label}: {shown} ({exact}), overflow {tile['overflow']} px")
                cut = {label: tile for label, tile in tiles.items() if tile["overflow"] > 0}
                assert not cut, f"{name}: cut-off tiles {cut}"
                assert not any("…" in tile["value"] for tile in tiles.values()), tiles
        finally:
            browser.close()
    print("\n" + "\n".join(seen))
