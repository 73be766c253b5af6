"""Saves a picture of the dbt lineage graph, from the raw CSV to the dashboard exposure.

Usage: python -m customer_lifecycle.lineage_screenshot [--out docs/images/lineage.png]

It generates the dbt docs site from a copy of the published warehouse (dbt opens the file for
writing, which would lock readers out of the original), serves it on a free localhost port,
and photographs the lineage view in Debian's headless Chromium (apt-get install chromium).
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import socket
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from customer_lifecycle.dbt import run_dbt
from customer_lifecycle.paths import PROJECT_ROOT, warehouse_path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Everything upstream of the dashboard: source, staging, intermediate, marts.
LINEAGE_URL = (
    "/#!/exposure/exposure.customer_lifecycle.marketing_dashboard"
    "?g_v=1&g_i=%2Bexposure:marketing_dashboard"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def generate_docs(site: Path) -> None:
    """`dbt docs generate` into `site`, reading the catalog from a copy of the warehouse."""
    published = warehouse_path()
    if not published.exists():
        raise SystemExit(f"No warehouse at {published}: run 'make build' first.")
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "catalog.duckdb"
        shutil.copyfile(published, copy)
        run_dbt(
            ["docs", "generate", "--quiet"],
            env={
                **os.environ,
                "CUSTOMER_LIFECYCLE_DB": str(copy),
                "DBT_TARGET_PATH": str(site),
                "DBT_LOG_PATH": str(Path(scratch) / "logs"),
            },
        )


def photograph(site: Path, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(site))
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
            browser = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=str(CHROMIUM),
                args=CHROMIUM_ARGS,
                headless=True,
                viewport={"width": 1800, "height": 1000},
            )
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}{LINEAGE_URL}", wait_until="networkidle")
            page.wait_for_selector("#cy canvas, .graph-container canvas", timeout=30_000)
            # The graph lays itself out after the canvas appears.
            page.wait_for_timeout(3_000)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
            browser.close()
    finally:
        server.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=PROJECT_ROOT / "docs" / "images" / "lineage.png"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as site:
        generate_docs(Path(site))
        photograph(Path(site), args.out)
    print(f"Saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
