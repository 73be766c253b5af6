{#-
    The only model that reads the input files: one row per physical line of
    every file the input path matches, in its own numbering (the header is
    line 1 of a CSV file; a Parquet file's column names stand in for a
    header, as line 0, and its rows are lines 1 and up). A view: nothing is
    read until a model selects from it, and then only the files it asks for.
    Each file is a branch of its own, named by constants, so a filter on
    source_file or is_header drops the other branches before DuckDB reads a
    byte (int_transaction_lines_validated reads only files it has not parsed
    yet; stg_retail__files reads only the headers).

    A CSV line arrives as one text column, decoded from UTF-8 or Latin-1
    (macros/ingestion/input_encoding.sql), so a broken line cannot swallow
    its neighbours; a Parquet row is turned into the same shape, its values
    joined by the unit separator (chr(31)). Line numbers come from
    row_number() over () on each file's own read, which follows the file's
    order.
-#}

{%- set files = input_files() %}

with

{% for file in files -%}
{%- set path = sql_quote(file.source_file) %}
{%- if is_parquet_input() %}
{%- set columns = parquet_columns(file.source_file) %}

header_{{ loop.index }} as (

    select
        {{ path }} as source_file,
        0::bigint as source_line_number,
        true as is_header,
        {{ sql_quote(columns | join('\x1f')) }} as raw_line

),

lines_{{ loop.index }} as (

    select
        {{ path }} as source_file,
        file_row_number + 1 as source_line_number,
        false as is_header,
        concat_ws(
            chr(31),
            {%- for column in columns %}
                coalesce(cast({{ adapter.quote(column) }} as varchar), ''){{ ',' if not loop.last }}
            {%- endfor %}
        ) as raw_line
    from read_parquet({{ path }}, file_row_number = true)

),
{%- else %}
{%- set encoding = input_encoding(file.source_file) %}

header_{{ loop.index }} as (

    -- A row even for an empty file, whose header is null.
    select
        {{ path }} as source_file,
        1::bigint as source_line_number,
        true as is_header,
        first_line.line as raw_line
    from (select 1) as listed
    left join (
        select line from {{ read_physical_lines(path, encoding) }} limit 1
    ) as first_line on true

),

lines_{{ loop.index }} as (

    select
        {{ path }} as source_file,
        source_line_number,
        false as is_header,
        line as raw_line
    from (
        select
            row_number() over () as source_line_number,
            line
        from {{ read_physical_lines(path, encoding) }}
    )
    where source_line_number > 1

),
{%- endif %}
{%- endfor %}

physical_lines as (

    {% for file in files -%}
    select * from header_{{ loop.index }}
    union all
    select * from lines_{{ loop.index }}
    {{ 'union all' if not loop.last }}
    {% else -%}
    -- The input path matches no file: stg_retail__files says so.
    select
        null::varchar as source_file,
        null::bigint as source_line_number,
        null::boolean as is_header,
        null::varchar as raw_line
    where false
    {%- endfor %}

)

select * from physical_lines
