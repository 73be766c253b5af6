{#-
    One row for the build: how many data lines were read, accepted (by
    transaction type) and rejected (by reason), and what the accepted data
    spans. lines_read = lines_accepted + lines_rejected is checked by
    tests/marts/assert_data_quality_report_balances.sql.
-#}

with

source_files as (

    select * from {{ ref('stg_retail__source_files') }}

),

transaction_lines as (

    select * from {{ ref('stg_retail__transaction_lines') }}

),

input_summary as (

    select
        count(*) as input_files,
        cast(sum(data_lines) as bigint) as lines_read
    from source_files

),

line_summary as (

    select
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
            count(*) filter (
                where rejection_reason = '{{ reason }}'
            ) as rejected_{{ reason }},
        {%- endfor %}
        min(invoiced_at) filter (where rejection_reason is null)
            as first_invoiced_at,
        max(invoiced_at) filter (where rejection_reason is null)
            as last_invoiced_at,
        count(distinct invoice_id) filter (where rejection_reason is null)
            as distinct_invoices,
        count(distinct customer_id) filter (where rejection_reason is null)
            as distinct_customers
    from transaction_lines

),

final as (

    select
        {{ sql_quote(transactions_path()) }} as transactions_path,
        input_summary.input_files,
        input_summary.lines_read,
        line_summary.lines_accepted,
        line_summary.lines_rejected,
        cast(
            line_summary.lines_rejected / nullif(input_summary.lines_read, 0)
            as decimal(9, 6)
        ) as rejected_share,
        cast({{ var('max_rejected_share') }} as decimal(9, 6)) as max_rejected_share,
        input_summary.lines_read
        = line_summary.lines_accepted + line_summary.lines_rejected
        and line_summary.lines_classified = input_summary.lines_read
            as is_balanced,
        {%- for transaction_type in transaction_types() %}
            line_summary.accepted_{{ transaction_type }}_lines,
        {%- endfor %}
        {%- for reason in rejection_reasons() %}
            line_summary.rejected_{{ reason }},
        {%- endfor %}
        line_summary.first_invoiced_at,
        line_summary.last_invoiced_at,
        line_summary.distinct_invoices,
        line_summary.distinct_customers
    from input_summary
    cross join line_summary

)

select * from final
