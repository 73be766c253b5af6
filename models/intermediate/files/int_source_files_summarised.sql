{#-
    One row per input file: its data lines counted by outcome (accepted by
    transaction type, rejected by reason) and the span of its accepted
    lines. Built per file and kept between builds, like the lines it
    counts, so the data-quality report and the rejected-share check read a
    row per file instead of every line.
-#}

with

source_files as (

    select * from {{ ref('stg_retail__source_files') }}

),

transaction_lines as (

    select * from {{ ref('stg_retail__transaction_lines') }}

),

new_source_files as (

    select *
    from source_files
    where {{ only_unseen_files(ref('stg_retail__input_files')) }}

),

new_lines as (

    select *
    from transaction_lines
    where {{ only_unseen_files(ref('stg_retail__input_files')) }}

),

line_counts as (

    select
        file_key,
        count(*) as lines_classified,
        count(*) filter (where rejection_reason is null) as lines_accepted,
        count(*) filter (where rejection_reason is not null) as lines_rejected,
        {%- for transaction_type in transaction_types() %}
            count(*) filter (
                where rejection_reason is null
                and transaction_type = '{{ transaction_type }}'
            ) as accepted_{{ transaction_type }}_lines,
        {%- endfor %}
        {%- for reason in rejection_reasons() %}
            count(*) filter (where rejection_reason = '{{ reason }}') as rejected_{{ reason }},
        {%- endfor %}
        min(invoiced_at) filter (where rejection_reason is null) as first_invoiced_at,
        max(invoiced_at) filter (where rejection_reason is null) as last_invoiced_at,
        -- The row rules of the staging lines, checked in this one scan of
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
                            and unit_price is not null
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
                        and (raw_line is not null or rejection_reason = 'blank_line')
                end,
                false
            )
        ) as lines_breaking_rules
    from new_lines
    group by file_key

),

summarised as (

    -- Starting from the files keeps a file with a header and no data line.
    select
        new_source_files.file_key,
        new_source_files.source_file,
        new_source_files.file_order,
        new_source_files.data_lines,
        coalesce(line_counts.lines_classified, 0) as lines_classified,
        coalesce(line_counts.lines_accepted, 0) as lines_accepted,
        coalesce(line_counts.lines_rejected, 0) as lines_rejected,
        {%- for transaction_type in transaction_types() %}
            coalesce(line_counts.accepted_{{ transaction_type }}_lines, 0)
                as accepted_{{ transaction_type }}_lines,
        {%- endfor %}
        {%- for reason in rejection_reasons() %}
            coalesce(line_counts.rejected_{{ reason }}, 0) as rejected_{{ reason }},
        {%- endfor %}
        line_counts.first_invoiced_at,
        line_counts.last_invoiced_at,
        coalesce(line_counts.lines_breaking_rules, 0) as lines_breaking_rules
    from new_source_files
    left join line_counts
        on new_source_files.file_key = line_counts.file_key

)

select * from summarised
