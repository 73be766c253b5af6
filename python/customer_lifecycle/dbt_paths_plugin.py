"""A dbt-duckdb plugin that reads relative paths from the project root, wherever dbt started.

dbt changes into the project folder for some commands but not for `dbt build --project-dir`
run from elsewhere, and DuckDB resolves relative paths against the process's current folder.
The profile loads this plugin, so that a relative CUSTOMER_LIFECYCLE_DB, a relative
CUSTOMER_LIFECYCLE_INGESTION_DB and a relative input path (transactions_path) always mean the
same files as they do in the project root.

It also gives DuckDB the one decoder it lacks offline, `decode_text_lines`
(customer_lifecycle.text_lines), for CSV files in Windows-1252 or Latin-1.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin
from dbt_common.exceptions import DbtRuntimeError

from customer_lifecycle.paths import INGESTION_DB_ENV, PROJECT_ROOT, anchored
from customer_lifecycle.publish import BUILD_DB_ENV
from customer_lifecycle.text_lines import register_functions

THREADS_ENV = "CUSTOMER_LIFECYCLE_THREADS"


class Plugin(BasePlugin):
    def update_connection_config(self, creds: Any, config: dict[str, Any]) -> None:
        # Called just before duckdb.connect(creds.path, ...). During a publish the build writes
        # to a private file named by CUSTOMER_LIFECYCLE_BUILD_DB (see customer_lifecycle.publish);
        # it is read here, not in the profile, so that the profile stays the same from build to
        # build and dbt can reuse its parse of the project.
        build_db = os.environ.get(BUILD_DB_ENV)
        if build_db and Path(build_db).stem != Path(creds.path).stem:
            # dbt names the catalog after the profile's file; another name fails later, in
            # DuckDB, with a message about nested schemas.
            raise DbtRuntimeError(
                f"{BUILD_DB_ENV}={build_db} must have the same file name as the profile's "
                f"database, {Path(creds.path).name}: put the file in another folder, or set "
                "CUSTOMER_LIFECYCLE_DB instead."
            )
        creds.path = anchored(build_db or creds.path)
        for attachment in creds.attach or []:
            if attachment.alias == "ingestion":
                attachment.path = os.environ.get(INGESTION_DB_ENV) or attachment.path
            attachment.path = anchored(attachment.path)
        # DuckDB runs one thread per core unless told otherwise; a profile setting could only
        # replace that default with a fixed number.
        if os.environ.get(THREADS_ENV):
            creds.settings = {**(creds.settings or {}), "threads": os.environ[THREADS_ENV]}

    def configure_connection(self, conn: Any) -> None:
        register_functions(conn)

    def configure_cursor(self, cursor: Any) -> None:
        # DuckDB looks for relative input files (read_csv, read_parquet, glob) in these folders.
        root = str(PROJECT_ROOT).replace("'", "''")
        cursor.execute(f"set file_search_path = '{root}'")
