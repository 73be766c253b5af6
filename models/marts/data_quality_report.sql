{#-
    One row for the build: how many data lines were read, accepted (by
    transaction type) and rejected (by reason), and what the accepted data
    spans. lines_read = lines_accepted + lines_rejected is checked by
    tests/marts/assert_data_quality_report_balances.sql.
-#}

with

input_files as (

    select * from {{ ref('stg_retail__files') }}

),

source_files as (

    {{ current_input_rows(ref('int_source_files_summarised')) }}

),

customer_invoices as (

    {{ current_input_rows(ref('int_customer_invoices_aggregated')) }}

),

duplicates as (

    select * from {{ ref('int_duplicate_lines_found') }}

),

duplicate_counts as (

    -- Lines that repeat a line of an earlier file: counted as accepted in
    -- their own file's summary, moved to rejected here.
    select
        count(*) as duplicate_lines,
    {%- for transaction_type in transaction_types() %}
        count(*) filter (where transaction_type = '{{ transaction_type }}')
            as duplicate_{{ transaction_type }}_lines{{ ',' if not loop.last }}
    {%- endfor %}
    from duplicates

),

line_summary as (

    select
        (select count(*) from input_files) as input_files,
        cast(coalesce(sum(source_files.data_lines), 0) as bigint) as lines_read,
        {%- for transaction_type in transaction_types() %}
            cast(coalesce(sum(source_files.accepted_{{ transaction_type }}_lines), 0) as bigint)
            - any_value(duplicate_counts.duplicate_{{ transaction_type }}_lines)
                as accepted_{{ transaction_type }}_lines,
        {%- endfor %}
        {%- for reason in rejection_reasons() %}
            cast(coalesce(sum(source_files.rejected_{{ reason }}), 0) as bigint)
            {%- if reason == 'duplicate_line' %}
                + any_value(duplicate_counts.duplicate_lines)
            {%- endif %}
                as rejected_{{ reason }},
        {%- endfor %}
        min(source_files.first_invoiced_at) as first_invoiced_at,
        max(source_files.last_invoiced_at) as last_invoiced_at
    from duplicate_counts
    left join source_files on true

),

distinct_counts as (

    -- Every accepted line has an invoice and a customer, so the invoice
    -- partials hold them all; an invoice split across files counts once.
    select
        count(distinct invoice_id) as distinct_invoices,
        count(distinct customer_id) as distinct_customers
    from customer_invoices

),

totals as (

    select
        *,
        {% for transaction_type in transaction_types() -%}
            accepted_{{ transaction_type }}_lines{{ ' + ' if not loop.last }}
        {%- endfor %} as lines_accepted,
        {% for reason in rejection_reasons() -%}
            rejected_{{ reason }}{{ ' + ' if not loop.last }}
        {%- endfor %} as lines_rejected
    from line_summary

),

final as (

    select
        {{ sql_quote(transactions_path()) }} as transactions_path,
        totals.input_files,
        totals.lines_read,
        totals.lines_accepted,
        totals.lines_rejected,
        {{ double_as_decimal(
            'totals.lines_rejected / nullif(totals.lines_read, 0)', 9, 6
        ) }} as rejected_share,
        cast({{ var('max_rejected_share') }} as decimal(9, 6)) as max_rejected_share,
        totals.lines_read = totals.lines_accepted + totals.lines_rejected as is_balanced,
        {%- for transaction_type in transaction_types() %}
            totals.accepted_{{ transaction_type }}_lines,
        {%- endfor %}
        {%- for reason in rejection_reasons() %}
            totals.rejected_{{ reason }},
        {%- endfor %}
        totals.first_invoiced_at,
        totals.last_invoiced_at,
        distinct_counts.distinct_invoices,
        distinct_counts.distinct_customers
    from totals
    cross join distinct_counts

)

select * from final
