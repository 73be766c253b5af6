{#-
    One row per customer with a product sale before the as-of date: the
    facts that need line grain rather than day grain, read from the per-file
    partials that keep just enough of it.
-#}

with

customer_invoices as (

    select * from {{ ref('int_customer_invoices_aggregated') }}

),

customer_products as (

    select * from {{ ref('int_customer_products_aggregated') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}

),

countries as (

    -- A customer has one country in practice; the latest sale line settles
    -- the rare exception, with the line's file and number as a tie-break
    -- so the answer never depends on scan order.
    select
        customer_invoices.customer_id,
        arg_max(
            customer_invoices.country,
            (
                customer_invoices.last_invoiced_at,
                customer_invoices.last_source_file,
                customer_invoices.last_source_line_number
            )
        ) as country
    from customer_invoices
    cross join as_of
    where
        customer_invoices.transaction_type = 'sale'
        and customer_invoices.invoice_date < as_of.as_of_date
    group by customer_invoices.customer_id

),

products as (

    select
        customer_products.customer_id,
        count(distinct customer_products.stock_code) as distinct_products
    from customer_products
    cross join as_of
    where customer_products.first_sale_date < as_of.as_of_date
    group by customer_products.customer_id

),

profiled as (

    select
        countries.customer_id,
        countries.country,
        coalesce(products.distinct_products, 0) as distinct_products
    from countries
    left join products
        on countries.customer_id = products.customer_id

)

select * from profiled
