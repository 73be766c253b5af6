{{ config(materialized='table') }}

{#-
    One row per file the input path matches, in read order (sorted by path):
    its size and modification time, its header, delimiter, number format and
    the position of each canonical column, the last date its lines may
    carry, and the file_key that every row parsed from it
    carries. Reads only the header rows of stg_retail__raw_lines, which
    carry the file system's listing, so no file is read past its first line. Stops the build, with a message that says what to do,
    when the path matches no file, when a header lacks a required column,
    or when it names one twice.
-#}

with

header_lines as (

    -- A header row for every file, even an empty one (its header is null):
    -- the listing of the input.
    select
        source_file,
        file_bytes,
        modified_us,
        file_encoding,
        date_order,
        date_order_basis,
        raw_line as header_line
    from {{ ref('stg_retail__raw_lines') }}
    where is_header

),

column_aliases as (

    select
        *,
        {{ header_key('header_name') }} as header_key
    from {{ ref('column_aliases') }}

),

stock_code_rules as (

    select * from {{ ref('stock_code_rules') }}

),

rules_key as (

    -- The rule seeds decide how a line is mapped and classified, so they
    -- are part of every file's key, beside the code and vars that
    -- ingestion_fingerprint() covers.
    select
        {{ row_hash([
            sql_quote(ingestion_fingerprint()),
            '(select ' ~ ordered_string_agg(
                "concat_ws('|', header_name, canonical_column, cast(is_required as "
                ~ dbt.type_string() ~ "))",
                'chr(10)',
                'header_name, canonical_column'
            ) ~ ' from column_aliases)',
            '(select ' ~ ordered_string_agg('stock_code_pattern', 'chr(10)', 'stock_code_pattern')
            ~ ' from stock_code_rules)',
        ]) }} as rules_key

),

headers as (

    select
        header_lines.source_file,
        header_lines.file_bytes,
        {{ timestamp_from_micros('header_lines.modified_us') }} as modified_at,
        header_lines.file_encoding,
        header_lines.date_order,
        header_lines.date_order_basis,
        {%- if is_parquet_input() %}
            'parquet' as file_format,
            chr(31) as field_delimiter,
        {%- else %}
            'csv' as file_format,
            -- The delimiter is the candidate that occurs most often in the
            -- header; a tie (such as a one-column header) falls back to the comma.
            case greatest(
                {%- for candidate in delimiter_candidates() %}
                    length(header_lines.header_line)
                    - length(replace(header_lines.header_line, {{ candidate.sql }}, ''))
                    {{- ',' if not loop.last }}
                {%- endfor %}
            )
                when 0 then ','
                {%- for candidate in delimiter_candidates() %}
                    when
                        length(header_lines.header_line)
                        - length(replace(header_lines.header_line, {{ candidate.sql }}, ''))
                        then {{ candidate.sql }}
                {%- endfor %}
                else ','
            end as field_delimiter,
        {%- endif %}
        header_lines.header_line,
        -- The encoding and date order a file is read with are decided from
        -- its own lines, so they are part of what its lines depend on.
        {{ row_hash([
            'header_lines.source_file',
            'header_lines.file_bytes',
            'header_lines.modified_us',
            'header_lines.file_encoding',
            'header_lines.date_order',
            'rules_key.rules_key',
        ]) }} as file_key
    from header_lines
    cross join rules_key

),

header_cells as (

    select
        source_file,
        field_position,
        {{ trim_chars('cell', "' \"'") }} as header_cell,
        {{ header_key('cell') }} as header_key
    from (
        {{ split_with_positions(
            'headers', 'source_file', 'headers.header_line', 'headers.field_delimiter'
        ) }}
    ) as cells

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
        {{ ordered_string_agg('header_cell', "', '", 'field_position') }} as found_columns,
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
        {{ ordered_string_agg('header_name', "' or '", 'header_name') }} as accepted_headers
    from column_aliases
    where is_required
    group by canonical_column

),

missing_columns as (

    select
        positions.source_file,
        {{ ordered_string_agg(
            'required_columns.accepted_headers', "', '", 'required_columns.canonical_column'
        ) }} as missing_columns
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

    -- An empty file has no header and no cells: it reads as a file
    -- without data lines, which int_rejected_share_checked reports.
    select
        headers.source_file,
        cast(row_number() over (order by headers.source_file) as bigint) as file_order,
        headers.file_key,
        headers.file_format,
        headers.file_bytes,
        headers.modified_at,
        headers.file_encoding,
        headers.date_order,
        headers.date_order_basis,
        headers.header_line,
        headers.field_delimiter,
        {{ number_format('headers.field_delimiter') }} as number_format,
        {{ latest_plausible_date('headers.modified_at') }} as latest_plausible_date,
        positions.header_field_count,
        -- A trailing delimiter gives the header an empty last column that
        -- the lines do not have, which makes every line malformed: the
        -- rejection detail names it.
        headers.file_format = 'csv'
        and right(headers.header_line, 1) = headers.field_delimiter
            as header_ends_with_delimiter,
        positions.found_columns,
        {%- for column in canonical_columns() %}
            positions.{{ column }}_position,
        {%- endfor %}
        missing_columns.missing_columns,
        coalesce(positions.has_repeated_columns, false) as has_repeated_columns
    from headers
    left join positions
        on headers.source_file = positions.source_file
    left join missing_columns
        on headers.source_file = missing_columns.source_file

),

input_check as (

    select count(*) as input_files from header_lines

),

{%- set folder_files = files_in_folder(transactions_path()) -%}

{%- set folder_message -%}
    'Transactions input ''' || {{ sql_quote(transactions_path()) }}
    || ''' is a folder (of ' || {{ folder_files }}
    || ' files), not a file. Point the var transactions_path or the env'
    || ' CUSTOMER_LIFECYCLE_TRANSACTIONS at the files in it with a glob, such as '''
    || {{ sql_quote(transactions_path().rstrip('/') ~ '/*.csv') }}
    || '''.'
{%- endset -%}

{%- set missing_message -%}
    'Transactions input not found: ''' || {{ sql_quote(transactions_path()) }}
    || ''' matches no file (relative paths are read from the project root).'
    || ' Point the var transactions_path or the env CUSTOMER_LIFECYCLE_TRANSACTIONS'
    || ' at an existing CSV file, glob of CSV files, or Parquet file;'
    || ' ''make build'' generates the bundled sample.'
    || {{ sql_quote(unlisted_files_note()) }}
{%- endset -%}

{%- set not_found_message = (
    folder_message if folder_files > 0 else missing_message
) -%}

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

    -- Starting from the one-row check keeps the not-found message even
    -- when there is no file to report on.
    select layouts.*
    from input_check
    left join layouts on true
    where
        {{ raise_if('input_check.input_files = 0', not_found_message) }}
        and {{ raise_if(
            'layouts.header_line is not null and layouts.missing_columns is not null',
            missing_columns_message
        ) }}
        and {{ raise_if('layouts.has_repeated_columns', repeated_columns_message) }}

)

select * from final
