{{ config(
    materialized='incremental',
    incremental_strategy='by_file_key',
    on_schema_change='append_new_columns',
) }}

{#-
    One row per data line of the input (header lines excluded), accepted or
    not. Each line is split with its own file's delimiter, typed, classified,
    and given the first rejection reason that applies, in the order of
    docs/decision_logic.md. Accepted lines have a null rejection_reason.
    Nothing is filtered out here: row conservation is tested against
    stg_retail__source_files. Only the files read in this build are parsed;
    the lines of files parsed by an earlier build are kept (incremental by
    file key, see macros/ingestion/incremental_files.sql).
-#}

with

lines as not materialized (

    select * from {{ ref('stg_retail__lines') }}

),

source_files as (

    -- The padding probes and the layout's hash are computed once per file,
    -- not once per line.
    select
        *,
        field_delimiter || ' ' as delimiter_then_space,
        ' ' || field_delimiter as space_then_delimiter,
        hash(
            {%- for column in canonical_columns() %}
                {{ column }}_position,
            {%- endfor %}
            file_format,
            field_delimiter,
            header_field_count
        ) as layout_key
    from {{ ref('stg_retail__source_files') }}

),

stock_code_rules as (

    select * from {{ ref('stock_code_rules') }}

),

data_lines as not materialized (

    -- Read three times below (the parse and the two duplicate scans), and
    -- each reads only the columns it needs: a materialised copy of every
    -- line would cost more than the scans.
    select
        lines.line_seq,
        source_files.source_file,
        source_files.file_key,
        lines.line_seq - source_files.first_line_seq + 1 as source_line_number,
        lines.raw_line,
        -- The same text in a file of the same layout parses the same way;
        -- only such lines can repeat one another.
        hash(lines.raw_line, source_files.layout_key) as line_key,
        {%- for column in canonical_columns() %}
            source_files.{{ column }}_position,
        {%- endfor %}
        source_files.file_format,
        source_files.field_delimiter,
        source_files.delimiter_then_space,
        source_files.space_then_delimiter,
        source_files.header_field_count
    from lines
    inner join source_files
        on lines.source_file = source_files.source_file
    where
        lines.line_seq > source_files.first_line_seq
        or not source_files.has_header_line

),

-- Duplicates are found without sorting every line: first the line keys
-- (hashes) that occur more than once, then, for those lines only, the
-- first line of each distinct text, so that a hash collision between two
-- different texts cannot make either a duplicate.
repeated_line_keys as (

    select line_key
    from data_lines
    group by line_key
    having count(*) > 1

),

first_occurrences as (

    select
        data_lines.line_key,
        data_lines.raw_line,
        min(data_lines.line_seq) as first_line_seq
    from data_lines
    semi join repeated_line_keys
        on data_lines.line_key = repeated_line_keys.line_key
    group by data_lines.line_key, data_lines.raw_line

),

split_lines as (

    select
        *,
        {{ split_fields(
            'raw_line', 'field_delimiter', "file_format = 'csv'"
        ) }} as field_values,
        {{ may_have_padded_fields(
            'raw_line', 'delimiter_then_space', 'space_then_delimiter'
        ) }}
            as may_have_padded_fields
    from data_lines

),

trimmed as (

    -- A line with the wrong number of fields is malformed; its values are
    -- still read here but never reach the output (see final), because
    -- position 3 of a shifted line is not the description.
    select
        line_seq,
        source_file,
        file_key,
        source_line_number,
        raw_line,
        line_key,
        header_field_count,
        {%- for column in canonical_columns() %}
            case
                when may_have_padded_fields
                    then trim(field_values[{{ column }}_position])
                else field_values[{{ column }}_position]
            end as {{ column }}_trimmed,
        {%- endfor %}
        may_have_padded_fields,
        field_values,
        len(field_values) as field_count
    from split_lines

),

extracted as (

    select
        line_seq,
        source_file,
        file_key,
        source_line_number,
        raw_line,
        line_key,
        header_field_count,
        may_have_padded_fields,
        field_values,
        field_count,
        field_count = header_field_count as is_well_formed,

        -- ids
        {{ null_if_token('invoice_id_trimmed') }} as invoice_id,
        {{ null_if_token('stock_code_trimmed') }} as stock_code,
        {{ null_if_token('customer_id_trimmed') }} as customer_id_text,

        -- strings
        {{ null_if_token('description_trimmed') }} as description,
        {{ null_if_token('country_trimmed') }} as country,

        -- numerics
        {{ null_if_token('quantity_trimmed') }} as quantity_text,
        {{ null_if_token('unit_price_trimmed') }} as unit_price_text,

        -- timestamps
        {{ null_if_token('invoiced_at_trimmed') }} as invoiced_at_text
    from trimmed

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

-- Stock-code rules are LIKE patterns. Those without a wildcard are looked
-- up by hash; only the rest are tried one by one on each line. A join or an
-- EXISTS over all of them would make DuckDB parse every line twice.
stock_code_rule_kinds as (

    select
        stock_code_pattern,
        regexp_matches(
            regexp_replace(stock_code_pattern, '\\.', '', 'g'), '[%_]'
        ) as has_wildcard
    from stock_code_rules

),

exact_non_product_codes as (

    -- Distinct, so that the left join below cannot repeat a line.
    select distinct regexp_replace(stock_code_pattern, '\\(.)', '\1', 'g') as stock_code
    from stock_code_rule_kinds
    where not has_wildcard

),

wildcard_non_product_patterns as (

    select list(stock_code_pattern) as stock_code_patterns
    from stock_code_rule_kinds
    where has_wildcard

),

classified as (

    select
        typed.*,
        case
            when typed.is_well_formed is not true then null
            when starts_with(upper(typed.invoice_id), 'A') then 'adjustment'
            when
                exact_non_product_codes.stock_code is not null
                or list_bool_or(list_transform(
                    wildcard_non_product_patterns.stock_code_patterns,
                    -- sqlfluff takes the lambda's parameter for a column.
                    lambda stock_code_pattern: like_escape(
                        upper(typed.stock_code), stock_code_pattern, '\'  -- noqa: RF02
                    )
                ))
                then 'non_product'
            when starts_with(upper(typed.invoice_id), 'C') then 'return'
            else 'sale'
        end as transaction_type
    from typed
    -- One row, always: an aggregate without GROUP BY.
    cross join wildcard_non_product_patterns
    left join exact_non_product_codes
        on upper(typed.stock_code) = exact_non_product_codes.stock_code

),

validated as (

    select
        *,
        case
            when
                raw_line is null
                or (raw_line = '' or may_have_padded_fields) and trim(raw_line) = ''
                then 'blank_line'
            when is_well_formed is not true then 'malformed_line'
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

fingerprinted as (

    -- A second hash of the text, independent of line_key, so that a line
    -- can be matched against the accepted lines of earlier builds, whose
    -- text is not kept: two 64-bit hashes agreeing by chance is about as
    -- likely as one in 10^20 for a hundred million lines.
    select
        *,
        case
            when rejection_reason is null then hash(raw_line || chr(31))
        end as line_check
    from validated

),

earlier_accepted_lines as (

    {% if is_incremental() -%}
        -- The files of earlier builds whose key still stands come before this
        -- build's in read order (a change to one renews the key of every file
        -- after it), so a text they accepted makes this build's copy a
        -- duplicate. Rows under keys that no longer stand are about to be
        -- replaced and count for nothing. (stg_retail__input_files is upstream
        -- already, through the lines; a ref() here would only be seen in
        -- incremental builds.)
        select distinct
            line_key,
            line_check
        from {{ this }}
        where
            file_key in (
                select input_files.file_key
                from {{ existing_model_relation('stg_retail__input_files') }} as input_files
            )
            and line_key in (select data_lines.line_key from data_lines)
    {%- else -%}
        -- A first build has no earlier lines.
        select
            null::ubigint as line_key,
            null::ubigint as line_check
        where false
    {%- endif %}

),

deduplicated as (

    -- Only a line that passes every other check can be a duplicate, and
    -- the first occurrence of a text is kept.
    select
        fingerprinted.*,
        case
            when
                fingerprinted.rejection_reason is null
                and (
                    fingerprinted.line_seq > first_occurrences.first_line_seq
                    or earlier_accepted_lines.line_key is not null
                )
                then 'duplicate_line'
            else fingerprinted.rejection_reason
        end as final_rejection_reason
    from fingerprinted
    left join first_occurrences
        on
            fingerprinted.line_key = first_occurrences.line_key
            and fingerprinted.raw_line = first_occurrences.raw_line
    left join earlier_accepted_lines
        on
            fingerprinted.line_key = earlier_accepted_lines.line_key
            and fingerprinted.line_check = earlier_accepted_lines.line_check

),

final as (

    select
        -- ids
        source_file,
        file_key,
        source_line_number,
        case when is_well_formed then invoice_id end as invoice_id,
        case when is_well_formed then stock_code end as stock_code,
        case when is_well_formed then customer_id end as customer_id,

        -- strings
        case when is_well_formed then description end as description,
        case when is_well_formed then coalesce(country, 'Unspecified') end as country,
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
        -- The raw text is only kept where someone needs to read it; an
        -- accepted line keeps its hashes, for later builds' duplicate check.
        case when final_rejection_reason is not null then raw_line end as raw_line,
        case when final_rejection_reason is null then line_key end as line_key,
        case when final_rejection_reason is null then line_check end as line_check,

        -- numerics
        case when final_rejection_reason is null then parsed_quantity end
            as quantity,
        case when is_well_formed then unit_price end as unit_price,

        -- timestamps
        case when is_well_formed then invoiced_at end as invoiced_at
    from deduplicated

)

select * from final
