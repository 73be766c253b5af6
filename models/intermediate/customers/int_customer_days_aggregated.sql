{{ config(materialized='table') }}

{#-
    One row per customer and calendar day with a product sale or return
    before the as-of date: the grain every customer feature, rolling window
    and BTYD column is computed from. Non-product lines and adjustments are
    left out of revenue (docs/decision_logic.md).
-#}

with

customer_invoices as (

    select * from {{ ref('int_customer_invoices_aggregated') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}

),

product_invoices as (

    select
        customer_invoices.customer_id,
        customer_invoices.invoice_date,
        customer_invoices.invoice_id,
        customer_invoices.transaction_type,
        customer_invoices.invoice_lines,
        customer_invoices.invoice_amount,
        as_of.as_of_date
    from customer_invoices
    cross join as_of
    where
        customer_invoices.transaction_type in ('sale', 'return')
        and customer_invoices.invoice_date < as_of.as_of_date

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
