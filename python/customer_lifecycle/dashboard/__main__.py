"""Starts the dashboard: `python -m customer_lifecycle.dashboard [extra streamlit flags]`.

Runs `streamlit run` on app.py in place of this process. The dashboard holds customer data, so
it listens on 127.0.0.1 unless the env var STREAMLIT_SERVER_ADDRESS names another address;
Streamlit reads STREAMLIT_SERVER_PORT (default 8501) itself. It runs headless, without usage
statistics, and reads the warehouse named by CUSTOMER_LIFECYCLE_DB.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

APP = Path(__file__).resolve().with_name("app.py")
LOCALHOST = "127.0.0.1"


def streamlit_command(
    extra_args: Sequence[str] = (), environ: Mapping[str, str] | None = None
) -> list[str]:
    """The `streamlit run` command line for the environment `environ`."""
    environ = os.environ if environ is None else environ
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
    ]
    if not environ.get("STREAMLIT_SERVER_ADDRESS"):
        command += ["--server.address", LOCALHOST]
    return [*command, *extra_args]


def main(argv: Sequence[str] | None = None) -> None:
    command = streamlit_command(sys.argv[1:] if argv is None else argv)
    sys.stdout.flush()
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
