{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='scan_key',
    on_schema_change='sync_all_columns',
) }}

{#-
    One row per version of an input file scanned so far: what reading it
    needs to know, found by reading the whole file once when it is new
    (macros/ingestion/input_scan.sql). Its encoding, its number of lines,
    and the order of day and month in its slash dates, with the counts each
    decision rests on. stg_retail__raw_lines reads a file with these, so a
    later build scans only the files it has not seen. A file that cannot be
    read as text stops the build while it is scanned, with a message that
    names the file and the line and says what to do.
-#}

{%- set scans = input_file_scans(input_files(), this if is_incremental() else none) %}

with

scanned as (

    -- Typed and empty, then one row per file scanned by this build.
    select
        null::varchar as scan_key,
        null::varchar as source_file,
        null::bigint as file_bytes,
        null::bigint as modified_us,
        null::varchar as file_encoding,
        null::bigint as physical_lines,
        null::double as line_bytes,
        null::bigint as non_ascii_lines,
        null::bigint as slash_date_lines,
        null::bigint as day_first_lines,
        null::bigint as month_first_lines,
        null::varchar as date_order,
        null::varchar as date_order_basis
    where false
    {%- for scan in scans if scan.is_new %}
    union all
    select
        {{ sql_quote(scan.scan_key) }},
        {{ sql_quote(scan.source_file) }},
        {{ scan.file_bytes }},
        {{ scan.modified_us }},
        {{ sql_quote(scan.file_encoding) }},
        {{ scan.physical_lines }},
        {{ scan.line_bytes }},
        {{ scan.non_ascii_lines }},
        {{ scan.slash_date_lines }},
        {{ scan.day_first_lines }},
        {{ scan.month_first_lines }},
        {{ sql_quote(scan.date_order) }},
        {{ sql_quote(scan.date_order_basis) }}
    {%- endfor %}

)

select * from scanned
