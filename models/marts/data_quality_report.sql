{#-
    One row for the build: how many data lines were read, accepted (by
    transaction type) and rejected (by reason), and what the accepted data
    spans. lines_read = lines_accepted + lines_rejected is checked by
    tests/marts/assert_data_quality_report_balances.sql.
-#}

with

source_files as (

    select * from {{ ref('int_source_files_summarised') }}

),

customer_invoices as (

    select * from {{ ref('int_customer_invoices_aggregated') }}

),

line_summary as (

    select
        count(*) as input_files,
        cast(coalesce(sum(data_lines), 0) as bigint) as lines_read,
        cast(coalesce(sum(lines_classified), 0) as bigint) as lines_classified,
        cast(coalesce(sum(lines_accepted), 0) as bigint) as lines_accepted,
        cast(coalesce(sum(lines_rejected), 0) as bigint) as lines_rejected,
        {%- for transaction_type in transaction_types() %}
            cast(coalesce(sum(accepted_{{ transaction_type }}_lines), 0) as bigint)
                as accepted_{{ transaction_type }}_lines,
        {%- endfor %}
        {%- for reason in rejection_reasons() %}
            cast(coalesce(sum(rejected_{{ reason }}), 0) as bigint) as rejected_{{ reason }},
        {%- endfor %}
        min(first_invoiced_at) as first_invoiced_at,
        max(last_invoiced_at) as last_invoiced_at
    from source_files

),

distinct_counts as (

    -- Every accepted line has an invoice and a customer, so the invoice
    -- partials hold them all; an invoice split across files counts once.
    select
        count(distinct invoice_id) as distinct_invoices,
        count(distinct customer_id) as distinct_customers
    from customer_invoices

),

final as (

    select
        {{ sql_quote(transactions_path()) }} as transactions_path,
        line_summary.input_files,
        line_summary.lines_read,
        line_summary.lines_accepted,
        line_summary.lines_rejected,
        cast(
            line_summary.lines_rejected / nullif(line_summary.lines_read, 0)
            as decimal(9, 6)
        ) as rejected_share,
        cast({{ var('max_rejected_share') }} as decimal(9, 6)) as max_rejected_share,
        line_summary.lines_read
        = line_summary.lines_accepted + line_summary.lines_rejected
        and line_summary.lines_classified = line_summary.lines_read
            as is_balanced,
        {%- for transaction_type in transaction_types() %}
            line_summary.accepted_{{ transaction_type }}_lines,
        {%- endfor %}
        {%- for reason in rejection_reasons() %}
            line_summary.rejected_{{ reason }},
        {%- endfor %}
        line_summary.first_invoiced_at,
        line_summary.last_invoiced_at,
        distinct_counts.distinct_invoices,
        distinct_counts.distinct_customers
    from line_summary
    cross join distinct_counts

)

select * from final
