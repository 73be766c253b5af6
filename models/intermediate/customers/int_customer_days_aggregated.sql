{{ config(materialized='table') }}

{#-
    One row per customer and calendar day with a product sale or return
    before the as-of date: the grain every customer feature, rolling window
    and BTYD column is computed from. Non-product lines and adjustments are
    left out of revenue (docs/decision_logic.md).
-#}

with

transactions as (

    select * from {{ ref('stg_retail__transactions') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}

),

product_lines as (

    select
        transactions.customer_id,
        transactions.invoice_date,
        transactions.invoice_id,
        transactions.transaction_type,
        transactions.line_amount,
        as_of.as_of_date
    from transactions
    cross join as_of
    where
        transactions.transaction_type in ('sale', 'return')
        and transactions.invoice_date < as_of.as_of_date

),

aggregated as (

    select
        customer_id,
        invoice_date,
        as_of_date,
        {{ dbt.datediff('invoice_date', 'as_of_date', 'day') }} as days_before_as_of,
        count(distinct invoice_id) filter (where transaction_type = 'sale') as sale_invoices,
        count(*) filter (where transaction_type = 'sale') as sale_lines,
        cast(
            coalesce(sum(line_amount) filter (where transaction_type = 'sale'), 0)
            as decimal(18, 4)
        ) as gross_revenue,
        cast(
            coalesce(-sum(line_amount) filter (where transaction_type = 'return'), 0)
            as decimal(18, 4)
        ) as returned_revenue
    from product_lines
    group by customer_id, invoice_date, as_of_date

)

select * from aggregated
