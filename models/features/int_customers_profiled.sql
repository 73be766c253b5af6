{#-
    One row per customer with a product sale before the as-of date: the
    facts that need line grain rather than day grain, read from the per-file
    partials that keep just enough of it.
-#}

with

input_files as (

    select * from {{ ref('stg_retail__files') }}

),

customer_invoices as (

    select customer_invoices.*
    from {{ ref('int_customer_invoices_aggregated') }} as customer_invoices
    semi join input_files
        on customer_invoices.file_key = input_files.file_key

),

customer_products as (

    select customer_products.*
    from {{ ref('int_customer_products_aggregated') }} as customer_products
    semi join input_files
        on customer_products.file_key = input_files.file_key

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
