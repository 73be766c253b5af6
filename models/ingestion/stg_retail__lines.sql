{#-
    One row per data line of every input file (header lines excluded),
    split with its own file's delimiter and typed: the canonical columns by
    the positions of stg_retail__files, nulls for the var null_tokens, and
    each value parsed or left null when it cannot be. Nothing is judged
    here: int_transaction_lines_validated classifies and rejects. A view, so
    that a model selecting some files parses only those.
-#}

with

raw_lines as (

    select * from {{ ref('stg_retail__raw_lines') }}
    where not is_header

),

input_files as (

    -- The padding probes and the layout's hash are computed once per file,
    -- not once per line.
    select
        *,
        field_delimiter || ' ' as delimiter_then_space,
        ' ' || field_delimiter as space_then_delimiter,
        -- The same text in a file of the same layout parses the same way;
        -- only such lines can repeat one another.
        {%- set layout = [] %}
        {%- for column in canonical_columns() %}
            {%- do layout.append(column ~ '_position') %}
        {%- endfor %}
        {{ row_hash(layout + ['file_format', 'field_delimiter', 'header_field_count']) }}
            as layout_key
    from {{ ref('stg_retail__files') }}

),

split_lines as (

    select
        raw_lines.source_file,
        input_files.file_key,
        raw_lines.source_line_number,
        raw_lines.raw_line,
        input_files.header_field_count,
        input_files.header_ends_with_delimiter,
        input_files.date_order,
        input_files.number_format,
        input_files.latest_plausible_date,
        {{ row_hash(['raw_lines.raw_line', 'input_files.layout_key']) }} as line_key,
        raw_lines.earlier_line_with_same_text,
        {%- for column in canonical_columns() %}
            input_files.{{ column }}_position,
        {%- endfor %}
        {{ split_fields(
            'raw_lines.raw_line',
            'input_files.field_delimiter',
            "input_files.file_format = 'csv'"
        ) }} as field_values,
        {{ may_have_padded_fields(
            'raw_lines.raw_line',
            'input_files.delimiter_then_space',
            'input_files.space_then_delimiter'
        ) }} as may_have_padded_fields
    from raw_lines
    inner join input_files
        on raw_lines.source_file = input_files.source_file

),

trimmed as (

    -- trim() is the costliest step of parsing a clean line, so it runs only
    -- where a field may be padded. Values are read by position even from a
    -- line with the wrong number of fields; validation rejects such a line
    -- before any of them is used.
    select
        source_file,
        file_key,
        source_line_number,
        raw_line,
        line_key,
        earlier_line_with_same_text,
        header_field_count,
        header_ends_with_delimiter,
        date_order,
        number_format,
        latest_plausible_date,
        field_values,
        {{ list_size('field_values') }} as field_count,
        may_have_padded_fields,
    {%- for column in canonical_columns() %}
        case
            when may_have_padded_fields
                then trim({{ list_element('field_values', column ~ '_position') }})
            else {{ list_element('field_values', column ~ '_position') }}
        end as {{ column }}_trimmed{{ ',' if not loop.last }}
    {%- endfor %}
    from split_lines

),

extracted as (

    select
        *,
    {%- for column in canonical_columns() %}
        {{ null_if_token(column ~ '_trimmed') }} as {{ column }}_text
        {{- ',' if not loop.last }}
    {%- endfor %}
    from trimmed

),

typed as (

    select
        -- ids
        source_file,
        file_key,
        source_line_number,
        line_key,
        earlier_line_with_same_text,
        invoice_id_text as invoice_id,
        stock_code_text as stock_code,
        {{ normalise_customer_id('customer_id_text') }} as customer_id,

        -- strings
        description_text as description,
        country_text as country,
        raw_line,
        quantity_text,
        unit_price_text,
        invoiced_at_text,
        number_format,

        -- numerics
        field_count,
        header_field_count,
        {{ parse_whole_number('quantity_text', 'number_format') }} as quantity,
        {{ parse_decimal('unit_price_text', 'number_format') }} as unit_price,

        -- booleans
        raw_line is null
        or (raw_line = '' or may_have_padded_fields) and trim(raw_line) = ''
            as is_blank,
        -- The splitter gives no fields for a line whose quotes do not close.
        raw_line is not null and field_values is null as has_unbalanced_quote,
        coalesce(field_count = header_field_count, false) as is_well_formed,
        header_ends_with_delimiter,

        -- dates and timestamps
        latest_plausible_date,
        {{ parse_timestamp('invoiced_at_text', 'date_order') }} as invoiced_at
    from extracted

)

select * from typed
