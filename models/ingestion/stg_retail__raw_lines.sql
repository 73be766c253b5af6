{{ config(materialized=raw_lines_materialization()) }}

{#-
    The only model that reads the input files: one row per physical line of
    every file the input path matches, with the file's size and modification
    time from the file system's listing, and the encoding and date order it
    is read with (stg_retail__file_scans), in the file's own numbering (the
    header is line 1 of a CSV file; a Parquet file's column names stand in
    for a header, as line 0, and its rows are lines 1 and up). A view:
    nothing is read until a model selects from it, and then only the files
    it asks for. Each file is a branch of its own, named by constants, so a
    filter on source_file or is_header drops the other branches before
    DuckDB reads a byte (int_transaction_lines_validated reads only files it
    has not parsed yet; stg_retail__files reads only the headers).

    A CSV line arrives as one text column, decoded from UTF-8, Windows-1252
    or Latin-1, so a broken line cannot swallow its neighbours; a Parquet row
    is turned into the same shape, its values joined by the unit separator
    (chr(31)). Line numbers come from row_number() over () on each file's
    own read, which follows the file's order. Each line also carries the
    number of the first earlier line of its file with the same text, if any:
    a fact about the file, which validation turns into duplicate_line.
-#}

{%- set files = input_file_scans(input_files(), ref('stg_retail__file_scans')) %}
{#- The files of a glob are read at once already: ranges only share out the threads left. -#}
{%- set ranges_per_file = [1, (read_ranges_per_file() // [files | length, 1] | max)] | max %}

with

{% for file in files -%}
{%- set path = sql_quote(file.source_file) %}
{%- if file.file_encoding == 'parquet' %}
{%- set columns = parquet_columns(file.source_file) %}

header_{{ loop.index }} as (

    select
        {{ file_constants(path, file) }},
        cast(0 as bigint) as source_line_number,
        true as is_header,
        {{ sql_quote(columns | join('\x1f')) }} as raw_line,
        cast(null as bigint) as earlier_line_with_same_text

),

lines_{{ loop.index }} as (

    {{ numbered_with_repeats(path, file, parquet_numbered_rows(path, columns)) }}

),
{%- elif file.file_encoding == 'utf-8' %}
{%- set ranges_by_size = (file.file_bytes / var('csv_range_min_bytes')) | round(0, 'ceil') | int %}
{%- set ranges = [1, [ranges_per_file, ranges_by_size] | min] | max %}
{%- set range_lines = (file.physical_lines / ranges) | round(0, 'ceil') | int %}

header_{{ loop.index }} as (

    -- A row even for an empty file, whose header is null.
    select
        {{ file_constants(path, file) }},
        cast(1 as bigint) as source_line_number,
        true as is_header,
        first_line.line as raw_line,
        cast(null as bigint) as earlier_line_with_same_text
    from (select 1) as listed
    left join ({{ first_line(path) }}) as first_line on true

),

lines_{{ loop.index }} as (

    {{ numbered_with_repeats(
        path, file, csv_numbered_lines(path, 'utf-8', ranges, range_lines)
    ) }}

),
{%- else %}

header_{{ loop.index }} as (

    select
        {{ file_constants(path, file) }},
        cast(1 as bigint) as source_line_number,
        true as is_header,
        first_line.raw_line,
        cast(null as bigint) as earlier_line_with_same_text
    from (select 1) as listed
    left join (
        select raw_line
        from ({{ decoded_numbered_lines(path, file.file_encoding) }})
        where source_line_number = 1
    ) as first_line on true

),

lines_{{ loop.index }} as (

    {{ numbered_with_repeats(
        path, file,
        'select * from (' ~ decoded_numbered_lines(path, file.file_encoding)
        ~ ') where source_line_number > 1'
    ) }}

),
{%- endif %}
{%- endfor %}

physical_lines as (

    -- Typed and empty: all there is when the input path matches no file,
    -- which stg_retail__files reports.
    select
        cast(null as string) as source_file,
        cast(null as bigint) as file_bytes,
        cast(null as bigint) as modified_us,
        cast(null as string) as file_encoding,
        cast(null as string) as date_order,
        cast(null as string) as date_order_basis,
        cast(null as bigint) as source_line_number,
        cast(null as boolean) as is_header,
        cast(null as string) as raw_line,
        cast(null as bigint) as earlier_line_with_same_text
    where false
    {%- for file in files %}
    union all
    select * from header_{{ loop.index }}
    union all
    select * from lines_{{ loop.index }}
    {%- endfor %}

)

select * from physical_lines
