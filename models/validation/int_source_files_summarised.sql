{{ config(
    materialized=per_file_materialization(),
    incremental_strategy='delete+insert',
    unique_key='file_key',
    on_schema_change='sync_all_columns',
) }}

{#-
    One row per input file parsed so far: its data lines counted by outcome
    as int_transaction_lines_validated judged them (accepted by transaction
    type, rejected by reason), its first rejected lines, the span of its
    accepted lines, and how many lines break a row rule. Kept by file_key
    like the lines it counts, so a build counts only new files; lines that
    repeat another file's are taken off by the models that add files up
    (int_rejected_share_checked, marts.data_quality_report).
-#}

{%- set new_files = new_input_files(ref('stg_retail__files'), 'file_key') %}

with

input_files as (

    select * from {{ ref('stg_retail__files') }}
    where {{ new_files }}

),

new_lines as (

    select * from {{ ref('int_transaction_lines_validated') }}
    where {{ new_files }}

),

line_counts as (

    select
        file_key,
        count(*) as data_lines,
        {%- for transaction_type in transaction_types() %}
            count(*) filter (
                where rejection_reason is null
                and transaction_type = '{{ transaction_type }}'
            ) as accepted_{{ transaction_type }}_lines,
        {%- endfor %}
        {%- for reason in rejection_reasons() %}
            count(*) filter (where rejection_reason = '{{ reason }}') as rejected_{{ reason }},
        {%- endfor %}
        -- The first rejected lines, for the message that stops a build
        -- whose share of rejected lines is too high.
        {{ smallest_rows(
            {
                'source_line_number': 'source_line_number',
                'rejection_reason': 'rejection_reason',
                'rejection_detail': 'rejection_detail',
                'raw_line': 'left(raw_line, 160)'
            },
            'source_line_number',
            3,
            'rejection_reason is not null'
        ) }} as first_rejected_lines,
        min(invoiced_at) filter (where rejection_reason is null) as first_invoiced_at,
        max(invoiced_at) filter (where rejection_reason is null) as last_invoiced_at,
        -- The row rules of the validated lines, checked in this one scan of
        -- each new file rather than by a test that would read every line of
        -- the history again: an accepted line is complete, typed and signed
        -- as its transaction type says; a rejected one carries a known
        -- reason and its raw text. A data test wants this to be 0.
        count(*) filter (
            where not coalesce(
                case
                    when rejection_reason is null
                        then
                            invoice_id is not null and stock_code is not null
                            and customer_id is not null and invoiced_at is not null
                            and quantity is not null and quantity <> 0
                            and unit_price is not null and country is not null
                            and transaction_type in (
                                {%- for transaction_type in transaction_types() -%}
                                    '{{ transaction_type }}'{{ ', ' if not loop.last }}
                                {%- endfor -%}
                            )
                            and (transaction_type = 'adjustment' or unit_price > 0)
                            and (transaction_type <> 'sale' or quantity > 0)
                            and (transaction_type <> 'return' or quantity < 0)
                    else
                        rejection_reason in (
                            {%- for reason in rejection_reasons() -%}
                                '{{ reason }}'{{ ', ' if not loop.last }}
                            {%- endfor -%}
                        )
                        and rejection_detail is not null
                        and (raw_line is not null or rejection_reason = 'blank_line')
                end,
                false
            )
        ) as lines_breaking_rules
    from new_lines
    group by file_key

),

summarised as (

    -- Starting from the files keeps a file without a data line.
    select
        input_files.file_key,
        input_files.source_file,
        coalesce(line_counts.data_lines, 0) as data_lines,
        {%- for transaction_type in transaction_types() %}
            coalesce(line_counts.accepted_{{ transaction_type }}_lines, 0)
                as accepted_{{ transaction_type }}_lines,
        {%- endfor %}
        {%- for reason in rejection_reasons() %}
            coalesce(line_counts.rejected_{{ reason }}, 0) as rejected_{{ reason }},
        {%- endfor %}
        line_counts.first_rejected_lines,
        line_counts.first_invoiced_at,
        line_counts.last_invoiced_at,
        coalesce(line_counts.lines_breaking_rules, 0) as lines_breaking_rules
    from input_files
    left join line_counts
        on input_files.file_key = line_counts.file_key

)

select * from summarised
