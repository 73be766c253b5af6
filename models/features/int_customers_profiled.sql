{#-
    One row per customer with a product sale before the as-of date: the
    facts that need line grain rather than day grain, read from the per-file
    partials that keep just enough of it.
-#}

with

customer_invoices as (

    {{ current_input_rows(ref('int_customer_invoices_aggregated')) }}

),

customer_products as (

    {{ current_input_rows(ref('int_customer_products_aggregated')) }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}

),

countries as (

    -- A customer has one country in practice; the latest sale line settles
    -- the rare exception, and the greatest country name a tie between lines
    -- of the same time, so the answer never depends on scan order or on
    -- which copy of a repeated line was kept.
    select
        customer_invoices.customer_id,
        arg_max(
            customer_invoices.country,
            (customer_invoices.last_invoiced_at, customer_invoices.country)
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
