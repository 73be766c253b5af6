{{ config(
    materialized=per_file_materialization(),
    incremental_strategy='delete+insert',
    unique_key='file_key',
    on_schema_change='sync_all_columns',
) }}

{#-
    The landing cache: one row per data line of every file parsed so far,
    classified and judged by the rules of docs/decision_logic.md, kept
    between builds by file_key. A build parses only the input files whose
    key no row carries yet (new_input_files), so a second build of the
    same input parses nothing and a new monthly file costs its own lines.
    A key covers the file's path, size and modification time and the
    ingestion settings, so each file's rows depend on that file alone:
    rows of files no longer in the input stay in the cache, unread, until
    `make clean`.

    Duplicates within a file are judged here, from the earlier line with the
    same text that stg_retail__raw_lines finds; a line that repeats one of an
    earlier file is found downstream, in int_duplicate_lines_found. Only
    what later models read is kept: the raw text of rejected lines (the
    accepted ones keep a hash of theirs), no description.
-#}

{%- set new_files = new_input_files(ref('stg_retail__files'), 'source_file') %}

with

lines as (

    select * from {{ ref('stg_retail__lines') }}
    where {{ new_files }}

),

-- Stock-code rules are LIKE patterns. Those without a wildcard are looked
-- up by hash; only the rest are tried one by one on each line. A join or an
-- EXISTS over all of them would make DuckDB parse every line twice.
stock_code_rules as (

    select
        stock_code_pattern,
        {{ regexp_matches(
            regexp_replace_all('stock_code_pattern', sql_quote('\\\\.'), "''"), "'[%_]'"
        ) }} as has_wildcard
    from {{ ref('stock_code_rules') }}

),

exact_non_product_codes as (

    -- Distinct, so that the left join below cannot repeat a line.
    select distinct
        {{ regexp_keep_group('stock_code_pattern', sql_quote('\\\\(.)'), 1) }} as stock_code
    from stock_code_rules
    where not has_wildcard

),

wildcard_non_product_patterns as (

    select {{ list_agg('stock_code_pattern') }} as stock_code_patterns
    from stock_code_rules
    where has_wildcard

),

classified as (

    select
        lines.*,
        case
            when lines.has_unbalanced_quote or not lines.is_well_formed then null
            when {{ starts_with(
                'upper(lines.invoice_id)', sql_quote(var('adjustment_invoice_prefix') | upper)
            ) }} then 'adjustment'
            when
                exact_non_product_codes.stock_code is not null
                or {{ like_any_of(
                    'upper(lines.stock_code)',
                    'wildcard_non_product_patterns.stock_code_patterns'
                ) }}
                then 'non_product'
            when {{ starts_with(
                'upper(lines.invoice_id)', sql_quote(var('return_invoice_prefix') | upper)
            ) }} then 'return'
            else 'sale'
        end as transaction_type
    from lines
    -- One row, always: an aggregate without GROUP BY.
    cross join wildcard_non_product_patterns
    left join exact_non_product_codes
        on upper(lines.stock_code) = exact_non_product_codes.stock_code

),

judged as (

    select
        *,
        {{ line_rejection_reason() }} as line_rejection_reason
    from classified

),

deduplicated as (

    -- A line that passes every rule is a duplicate when an earlier line of
    -- its file has the same text (two lines of the same text pass or fail
    -- the rules alike, so the earlier one passed too).
    select
        *,
        earlier_line_with_same_text as first_line_number,
        coalesce(
            line_rejection_reason,
            case when earlier_line_with_same_text is not null then 'duplicate_line' end
        ) as rejection_reason
    from judged

),

final as (

    select
        -- ids
        file_key,
        source_line_number,
        case when is_well_formed then invoice_id end as invoice_id,
        case when is_well_formed then stock_code end as stock_code,
        case when is_well_formed then customer_id end as customer_id,
        line_key,

        -- strings
        case
            when is_well_formed then coalesce(country, '{{ var('unknown_country') }}')
        end as country,
        transaction_type,
        rejection_reason,
        {{ rejection_detail('rejection_reason') }} as rejection_detail,
        case when rejection_reason is not null then raw_line end as raw_line,

        -- numerics
        case when is_well_formed then quantity end as quantity,
        case when is_well_formed then unit_price end as unit_price,

        -- timestamps
        case when is_well_formed then invoiced_at end as invoiced_at
    from deduplicated

)

select * from final
