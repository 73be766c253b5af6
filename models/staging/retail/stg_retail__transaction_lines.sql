{{ config(materialized='table') }}

{#-
    One row per data line of the input (header lines excluded), accepted or
    not. Each line is split with its own file's delimiter, typed, classified,
    and given the first rejection reason that applies, in the order of
    docs/decision_logic.md. Accepted lines have a null rejection_reason.
    Nothing is filtered out here: row conservation is tested against
    stg_retail__source_files.
-#}

with

lines as (

    select * from {{ ref('stg_retail__lines') }}

),

source_files as (

    select * from {{ ref('stg_retail__source_files') }}

),

stock_code_rules as (

    select * from {{ ref('stock_code_rules') }}

),

data_lines as (

    select
        lines.line_seq,
        source_files.source_file,
        lines.line_seq - source_files.first_line_seq + 1 as source_line_number,
        lines.raw_line,
        source_files.file_format,
        source_files.field_delimiter,
        source_files.header_field_count,
        source_files.invoice_id_position,
        source_files.stock_code_position,
        source_files.description_position,
        source_files.quantity_position,
        source_files.invoiced_at_position,
        source_files.unit_price_position,
        source_files.customer_id_position,
        source_files.country_position
    from lines
    inner join source_files
        on lines.source_file = source_files.source_file
    where
        lines.line_seq > source_files.first_line_seq
        or not source_files.has_header_line

),

split_lines as (

    select
        *,
        {{ split_fields(
            'raw_line', 'field_delimiter', "file_format = 'csv'"
        ) }} as field_values
    from data_lines

),

usable_lines as (

    -- A line with the wrong number of fields is malformed, and none of its
    -- values is read: position 3 of a shifted line is not the description.
    select
        *,
        len(field_values) as field_count,
        case when len(field_values) = header_field_count then field_values end
            as usable_field_values
    from split_lines

),

extracted as (

    select
        line_seq,
        source_file,
        source_line_number,
        raw_line,
        field_values,
        usable_field_values,
        header_field_count,
        field_count,

        -- ids
        {{ clean_text('usable_field_values[invoice_id_position]') }} as invoice_id,
        {{ clean_text('usable_field_values[stock_code_position]') }} as stock_code,
        {{ clean_text('usable_field_values[customer_id_position]') }} as customer_id_text,

        -- strings
        {{ clean_text('usable_field_values[description_position]') }} as description,
        {{ clean_text('usable_field_values[country_position]') }} as country,

        -- numerics
        {{ clean_text('usable_field_values[quantity_position]') }} as quantity_text,
        {{ clean_text('usable_field_values[unit_price_position]') }} as unit_price_text,

        -- timestamps
        {{ clean_text('usable_field_values[invoiced_at_position]') }} as invoiced_at_text
    from usable_lines

),

typed as (

    select
        *,
        {{ normalise_customer_id('customer_id_text') }} as customer_id,
        {{ parse_whole_number('quantity_text') }} as parsed_quantity,
        {{ parse_decimal('unit_price_text') }} as unit_price,
        {{ parse_timestamp('invoiced_at_text') }} as invoiced_at
    from extracted

),

-- Stock codes are classified once per distinct code, not once per line.
distinct_stock_codes as (

    select distinct stock_code
    from typed
    where stock_code is not null

),

non_product_stock_codes as (

    select distinct_stock_codes.stock_code
    from distinct_stock_codes
    inner join stock_code_rules
        on like_escape(
            upper(distinct_stock_codes.stock_code),
            stock_code_rules.stock_code_pattern,
            '\'
        )
    group by distinct_stock_codes.stock_code

),

classified as (

    select
        typed.*,
        case
            when typed.usable_field_values is null then null
            when starts_with(upper(typed.invoice_id), 'A') then 'adjustment'
            when non_product_stock_codes.stock_code is not null then 'non_product'
            when starts_with(upper(typed.invoice_id), 'C') then 'return'
            else 'sale'
        end as transaction_type
    from typed
    left join non_product_stock_codes
        on typed.stock_code = non_product_stock_codes.stock_code

),

validated as (

    select
        *,
        case
            when raw_line is null or trim(raw_line) = '' then 'blank_line'
            when usable_field_values is null then 'malformed_line'
            when invoice_id is null then 'missing_invoice_id'
            when stock_code is null then 'missing_stock_code'
            when invoiced_at is null then 'unparseable_date'
            when parsed_quantity is null or unit_price is null
                then 'unparseable_number'
            when customer_id is null then 'missing_customer_id'
            when parsed_quantity = 0 then 'zero_quantity'
            when transaction_type <> 'adjustment' and unit_price <= 0
                then 'non_positive_price'
            when
                transaction_type = 'sale' and parsed_quantity < 0
                or transaction_type = 'return' and parsed_quantity > 0
                then 'quantity_sign_mismatch'
        end as rejection_reason
    from classified

),

deduplicated as (

    -- Only lines that pass every other check compete as duplicates, so the
    -- window sorts the smallest set; the first occurrence is kept.
    select
        *,
        case
            when
                rejection_reason is null
                and row_number() over (
                    partition by rejection_reason is null, raw_line
                    order by line_seq
                ) > 1
                then 'duplicate_line'
            else rejection_reason
        end as final_rejection_reason
    from validated

),

final as (

    select
        -- ids
        source_file,
        source_line_number,
        invoice_id,
        stock_code,
        customer_id,

        -- strings
        description,
        case
            when usable_field_values is not null then coalesce(country, 'Unspecified')
        end as country,
        transaction_type,
        final_rejection_reason as rejection_reason,
        case final_rejection_reason
            when 'blank_line' then 'the line is empty'
            when 'malformed_line'
                then
                    case
                        when field_values is null then 'unbalanced double quote'
                        else
                            'expected ' || header_field_count || ' fields, found '
                            || field_count
                    end
            when 'missing_invoice_id' then 'no invoice number'
            when 'missing_stock_code' then 'no stock code'
            when 'unparseable_date'
                then
                    'invoice date ' || coalesce('"' || invoiced_at_text || '"', 'missing')
                    || ' is not a recognised date'
            when 'unparseable_number'
                then
                    'quantity ' || coalesce('"' || quantity_text || '"', 'missing')
                    || ' must be a whole number and price '
                    || coalesce('"' || unit_price_text || '"', 'missing')
                    || ' a decimal'
            when 'missing_customer_id' then 'no customer id'
            when 'zero_quantity' then 'quantity is 0'
            when 'non_positive_price' then 'price ' || unit_price || ' is not positive'
            when 'quantity_sign_mismatch'
                then
                    'quantity ' || parsed_quantity || ' on a ' || transaction_type
            when 'duplicate_line' then 'same text as an earlier line'
        end as rejection_detail,
        -- The raw text is only kept where someone needs to read it.
        case when final_rejection_reason is not null then raw_line end as raw_line,

        -- numerics
        case when final_rejection_reason is null then parsed_quantity end
            as quantity,
        unit_price,

        -- timestamps
        invoiced_at
    from deduplicated

)

select * from final
