{#-
    The only model that reads the input files: one row per physical line of
    every file the input path matches, with the file's size and modification
    time from the file system's listing and the encoding it is read with, in
    the file's own numbering (the header is
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
{%- set thread_count = read_ranges_per_file() if files else 1 %}

with

{% for file in files -%}
{%- set path = sql_quote(file.source_file) %}
{%- if is_parquet_input() %}
{%- set columns = parquet_columns(file.source_file) %}

header_{{ loop.index }} as (

    select
        {{ path }} as source_file,
        {{ file.file_bytes }}::bigint as file_bytes,
        {{ file.modified_us }}::bigint as modified_us,
        'parquet' as file_encoding,
        0::bigint as source_line_number,
        true as is_header,
        {{ sql_quote(columns | join('\x1f')) }} as raw_line

),

lines_{{ loop.index }} as (

    select
        {{ path }} as source_file,
        {{ file.file_bytes }}::bigint as file_bytes,
        {{ file.modified_us }}::bigint as modified_us,
        'parquet' as file_encoding,
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
{%- set sample = sample_csv_file(file.source_file) %}
{%- set ranges = [1, [thread_count, (file.file_bytes / var('csv_range_min_bytes')) | round(0, 'ceil') | int] | min] | max %}
{%- set range_lines = (file.file_bytes / sample.line_bytes / ranges) | round(0, 'ceil') | int %}

header_{{ loop.index }} as (

    -- A row even for an empty file, whose header is null. The numbering
    -- makes LIMIT take the first line, whatever the read order.
    select
        {{ path }} as source_file,
        {{ file.file_bytes }}::bigint as file_bytes,
        {{ file.modified_us }}::bigint as modified_us,
        {{ sql_quote(sample.encoding) }} as file_encoding,
        1::bigint as source_line_number,
        true as is_header,
        first_line.line as raw_line
    from (select 1) as listed
    left join (
        select line
        from (
            select
                row_number() over () as line_number,
                line
            from {{ read_physical_lines(path, sample.encoding) }}
        )
        where line_number = 1
        limit 1
    ) as first_line on true

),

lines_{{ loop.index }} as (

    -- row_number() over () follows the file's order, but keeps the reading
    -- and all that follows it on one thread. A large file is therefore read
    -- as `ranges` ranges of lines at once, each numbered from the line
    -- before it (read_csv's skip): the cuts come from the sampled mean line
    -- length, and numbering stays exact wherever they fall.
    {%- for range_index in range(ranges) %}
    {%- set first_skipped = range_index * range_lines %}
    select
        {{ path }} as source_file,
        {{ file.file_bytes }}::bigint as file_bytes,
        {{ file.modified_us }}::bigint as modified_us,
        {{ sql_quote(sample.encoding) }} as file_encoding,
        line_number + {{ first_skipped }} as source_line_number,
        false as is_header,
        line as raw_line
    from (
        select
            row_number() over () as line_number,
            line
        from {{ read_physical_lines(
            path,
            sample.encoding,
            'skip = ' ~ first_skipped if first_skipped else ''
        ) }}
        {%- if not loop.last %}
        limit {{ range_lines }}
        {%- endif %}
    )
    where line_number + {{ first_skipped }} > 1
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),
{%- endif %}
{%- endfor %}

physical_lines as (

    -- Typed and empty: all there is when the input path matches no file,
    -- which stg_retail__files reports.
    select
        null::varchar as source_file,
        null::bigint as file_bytes,
        null::bigint as modified_us,
        null::varchar as file_encoding,
        null::bigint as source_line_number,
        null::boolean as is_header,
        null::varchar as raw_line
    where false
    {%- for file in files %}
    union all
    select * from header_{{ loop.index }}
    union all
    select * from lines_{{ loop.index }}
    {%- endfor %}

)

select * from physical_lines
