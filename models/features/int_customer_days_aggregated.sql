{{ config(materialized='table') }}

{#-
    One row per customer and calendar day with a product sale or return
    before the as-of date: the grain every customer feature, rolling window
    and BTYD column is computed from. Non-product lines and adjustments are
    left out of revenue (docs/decision_logic.md).
-#}

with

customer_invoices as (

    {{ current_input_rows(ref('int_customer_invoices_aggregated')) }}

),

duplicates as (

    select * from {{ ref('int_duplicate_lines_found') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}

),

invoice_lines as (

    -- The per-file partials, less the lines that repeat a line of an
    -- earlier file (folded into their own file's partial, counted here
    -- with a minus sign). An invoice is counted by its number, so a
    -- partial emptied this way still counts it once, as the line it
    -- repeats does.
    select
        customer_id,
        invoice_date,
        invoice_id,
        transaction_type,
        invoice_lines,
        invoice_amount
    from customer_invoices
    union all
    select
        customer_id,
        invoice_date,
        invoice_id,
        transaction_type,
        -1 as invoice_lines,
        -line_amount as invoice_amount
    from duplicates

),

product_invoices as (

    select
        invoice_lines.customer_id,
        invoice_lines.invoice_date,
        invoice_lines.invoice_id,
        invoice_lines.transaction_type,
        invoice_lines.invoice_lines,
        invoice_lines.invoice_amount,
        as_of.as_of_date
    from invoice_lines
    cross join as_of
    where
        invoice_lines.transaction_type in ('sale', 'return')
        and invoice_lines.invoice_date < as_of.as_of_date

),

aggregated as (

    select
        customer_id,
        invoice_date,
        as_of_date,
        {{ dbt.datediff('invoice_date', 'as_of_date', 'day') }} as days_before_as_of,
        -- An invoice split across two files has a row in each: counted once.
        count(distinct invoice_id) filter (where transaction_type = 'sale') as sale_invoices,
        cast(
            coalesce(sum(invoice_lines) filter (where transaction_type = 'sale'), 0)
            as bigint
        ) as sale_lines,
        cast(
            coalesce(sum(invoice_amount) filter (where transaction_type = 'sale'), 0)
            as decimal(18, 4)
        ) as gross_revenue,
        cast(
            coalesce(-sum(invoice_amount) filter (where transaction_type = 'return'), 0)
            as decimal(18, 4)
        ) as returned_revenue
    from product_invoices
    group by customer_id, invoice_date, as_of_date

)

select * from aggregated
