{{ config(
    materialized='incremental',
    incremental_strategy='by_file_key',
    on_schema_change='append_new_columns',
) }}

{#-
    One row per input file: its key, where its lines sit in the read that
    parsed it, and how its header maps onto the canonical columns. Files
    parsed by an earlier build keep their rows (incremental by file key, see
    macros/ingestion/incremental_files.sql). A header without a required
    column stops the build here, with a message naming the file; an input
    without a single data line is stopped by int_rejected_share_checked,
    which sees every file, not only the ones parsed in this build.
-#}

with

lines as (

    select * from {{ ref('stg_retail__lines') }}

),

input_files as (

    select * from {{ ref('stg_retail__input_files') }}

),

column_aliases as (

    select
        *,
        {{ header_key('header_name') }} as header_key
    from {{ ref('column_aliases') }}

),

file_spans as (

    select
        lines.source_file,
        input_files.file_key,
        input_files.file_order,
        min(lines.line_seq) as first_line_seq,
        count(*) as physical_lines,
        arg_min(lines.raw_line, lines.line_seq) as first_line
    from lines
    inner join input_files
        on lines.source_file = input_files.source_file
    group by lines.source_file, input_files.file_key, input_files.file_order

),

headers as (

    {% if is_parquet_input() -%}
        {#- Parquet has no header line: its column names stand in for one. -#}
        {%- set parquet_columns = parquet_input_columns() if execute else [] %}
        select
            source_file,
            file_key,
            file_order,
            first_line_seq,
            physical_lines,
            'parquet' as file_format,
            false as has_header_line,
            concat_ws(
            chr(31),
            {%- for column in parquet_columns %}
            {{ sql_quote(column) }}{{ ',' if not loop.last }}
            {%- endfor %}
        ) as header_line,
        chr(31) as field_delimiter
        from file_spans
    {%- else %}
        select
            source_file,
            file_key,
            file_order,
            first_line_seq,
            physical_lines,
            'csv' as file_format,
            true as has_header_line,
            first_line as header_line,
            -- The delimiter is the candidate that occurs most often in the header;
            -- a tie (such as a one-column header) falls back to the comma.
            case greatest(
                {%- for candidate in delimiter_candidates() %}
                    length(first_line)
                    - length(replace(first_line, {{ candidate.sql }}, '')){{ ',' if not loop.last }}
                {%- endfor %}
            )
                when 0 then ','
                {%- for candidate in delimiter_candidates() %}
                    when length(first_line) - length(replace(first_line, {{ candidate.sql }}, ''))
                        then {{ candidate.sql }}
                {%- endfor %}
            end as field_delimiter
        from file_spans
    {%- endif %}

),

header_cells as (

    select
        headers.source_file,
        cells.field_position,
        trim(cells.cell, ' "') as header_cell,
        {{ header_key('cells.cell') }} as header_key
    from headers
    cross join unnest(
        string_split(coalesce(headers.header_line, ''), headers.field_delimiter)
    ) with ordinality as cells (cell, field_position)

),

alias_keys as (

    -- Spellings that differ only in case or spacing share a key.
    select distinct
        header_key,
        canonical_column
    from column_aliases

),

mapped_cells as (

    select
        header_cells.source_file,
        header_cells.field_position,
        header_cells.header_cell,
        alias_keys.canonical_column
    from header_cells
    left join alias_keys
        on header_cells.header_key = alias_keys.header_key

),

positions as (

    select
        source_file,
        count(*) as header_field_count,
        string_agg(header_cell, ', ' order by field_position) as found_columns,
        {%- for column in canonical_columns() %}
            min(field_position) filter (where canonical_column = '{{ column }}')
                as {{ column }}_position,
        {%- endfor %}
        -- Two header cells feeding one canonical column would make the
        -- mapping a guess.
        count(canonical_column) > count(distinct canonical_column)
            as has_repeated_columns
    from mapped_cells
    group by source_file

),

required_columns as (

    select
        canonical_column,
        string_agg(header_name, ' or ' order by header_name) as accepted_headers
    from column_aliases
    where is_required
    group by canonical_column

),

missing_columns as (

    select
        positions.source_file,
        string_agg(
            required_columns.accepted_headers, ', '
            order by required_columns.canonical_column
        ) as missing_columns
    from positions
    cross join required_columns
    left join mapped_cells
        on
            positions.source_file = mapped_cells.source_file
            and required_columns.canonical_column = mapped_cells.canonical_column
    where mapped_cells.source_file is null
    group by positions.source_file

),

layouts as (

    select
        headers.source_file,
        headers.file_key,
        headers.file_order,
        headers.file_format,
        headers.has_header_line,
        headers.first_line_seq,
        headers.physical_lines,
        headers.physical_lines - headers.has_header_line::integer as data_lines,
        headers.header_line,
        headers.field_delimiter,
        positions.header_field_count,
        positions.found_columns,
        {%- for column in canonical_columns() %}
            positions.{{ column }}_position,
        {%- endfor %}
        missing_columns.missing_columns,
        positions.has_repeated_columns
    from headers
    inner join positions
        on headers.source_file = positions.source_file
    left join missing_columns
        on headers.source_file = missing_columns.source_file

),

{%- set missing_columns_message -%}
    'The header of ' || layouts.source_file
    || ' lacks required column(s): ' || layouts.missing_columns
    || '. Found columns: ' || layouts.found_columns
    || '. Rename the header, or add its spelling to seeds/column_aliases.csv.'
{%- endset -%}

{%- set repeated_columns_message -%}
    'The header of ' || layouts.source_file
    || ' names the same column twice (found: ' || layouts.found_columns
    || '). Remove or rename the extra column.'
{%- endset %}

final as (

    select *
    from layouts
    where
        {{ raise_if('layouts.missing_columns is not null', missing_columns_message) }}
        and {{ raise_if('layouts.has_repeated_columns', repeated_columns_message) }}

)

select * from final
