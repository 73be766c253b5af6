{{ config(materialized='table') }}

{#-
    One row per customer and calendar day with a product sale or return
    before the build's as-of date: the grain every customer feature, rolling
    window and BTYD column of every snapshot is computed from. Each day also
    carries what a snapshot needs of the finer grains: the stock codes first
    sold to the customer that day, and the country of its latest sale line.
    Non-product lines and adjustments are left out of revenue
    (docs/decision_logic.md).
-#}

with

customer_invoices as (

    {{ current_input_rows(ref('int_customer_invoices_aggregated')) }}

),

customer_products as (

    {{ current_input_rows(ref('int_customer_products_aggregated')) }}

),

duplicates as (

    select * from {{ ref('int_duplicate_lines_found') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}
    where is_current

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
        invoice_lines.invoice_amount
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
    group by customer_id, invoice_date

),

latest_sales as (

    -- A customer has one country in practice; the latest sale line settles
    -- the rare exception, and the greatest country name a tie between lines
    -- of the same time, so the answer never depends on scan order or on
    -- which copy of a repeated line was kept. The latest of the days'
    -- latest lines is the latest line, so a snapshot takes the country of
    -- its latest day.
    select
        customer_invoices.customer_id,
        customer_invoices.invoice_date,
        max(customer_invoices.last_invoiced_at) as last_sale_at,
        {{ arg_max(
            'customer_invoices.country',
            ordering_tuple(['customer_invoices.last_invoiced_at', 'customer_invoices.country'])
        ) }} as last_sale_country
    from customer_invoices
    cross join as_of
    where
        customer_invoices.transaction_type = 'sale'
        and customer_invoices.invoice_date < as_of.as_of_date
    group by customer_invoices.customer_id, customer_invoices.invoice_date

),

first_product_sales as (

    -- A stock code counts on the first day it was sold to the customer in
    -- any file; a line repeating another file's has the same day.
    select
        customer_id,
        stock_code,
        min(first_sale_date) as first_sale_date
    from customer_products
    group by customer_id, stock_code

),

new_products as (

    select
        first_product_sales.customer_id,
        first_product_sales.first_sale_date as invoice_date,
        count(*) as new_products
    from first_product_sales
    cross join as_of
    where first_product_sales.first_sale_date < as_of.as_of_date
    group by first_product_sales.customer_id, first_product_sales.first_sale_date

),

final as (

    select
        aggregated.customer_id,
        aggregated.invoice_date,
        aggregated.sale_invoices,
        aggregated.sale_lines,
        aggregated.gross_revenue,
        aggregated.returned_revenue,
        coalesce(new_products.new_products, 0) as new_products,
        latest_sales.last_sale_at,
        latest_sales.last_sale_country
    from aggregated
    left join latest_sales
        on
            aggregated.customer_id = latest_sales.customer_id
            and aggregated.invoice_date = latest_sales.invoice_date
    left join new_products
        on
            aggregated.customer_id = new_products.customer_id
            and aggregated.invoice_date = new_products.invoice_date

)

select * from final
