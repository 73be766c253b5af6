{{ config(
    materialized=per_file_materialization(),
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
        cast(null as string) as scan_key,
        cast(null as string) as source_file,
        cast(null as bigint) as file_bytes,
        cast(null as bigint) as modified_us,
        cast(null as string) as file_encoding,
        cast(null as bigint) as physical_lines,
        cast(null as double) as line_bytes,
        cast(null as bigint) as non_ascii_lines,
        cast(null as bigint) as slash_date_lines,
        cast(null as bigint) as day_first_lines,
        cast(null as bigint) as month_first_lines,
        cast(null as string) as date_order,
        cast(null as string) as date_order_basis
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
