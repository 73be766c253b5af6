{#-
    One row per customer with a product sale before the as-of date: the
    facts that need line grain rather than day grain.
-#}

with

transactions as (

    select * from {{ ref('stg_retail__transactions') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}

),

sale_lines as (

    select transactions.*
    from transactions
    cross join as_of
    where
        transactions.transaction_type = 'sale'
        and transactions.invoice_date < as_of.as_of_date

),

profiled as (

    select
        customer_id,
        -- A customer has one country in practice; the latest sale settles
        -- the rare exception, with the line number as a tie-break so the
        -- answer never depends on scan order.
        arg_max(country, (invoiced_at, source_file, source_line_number)) as country,
        count(distinct stock_code) as distinct_products
    from sale_lines
    group by customer_id

)

select * from profiled
