{#-
    One row per input file, customer and stock code sold to them, with the
    first day it was sold: how many distinct products a customer had bought
    by any as-of date. Built per file and kept between builds (incremental
    by file key).
-#}

with

transactions as (

    select * from {{ ref('stg_retail__transactions') }}

),

new_sales as (

    select *
    from transactions
    where
        transaction_type = 'sale'
        and {{ only_unseen_files(ref('stg_retail__input_files')) }}

),

aggregated as (

    select
        file_key,
        customer_id,
        stock_code,
        min(invoice_date) as first_sale_date
    from new_sales
    group by file_key, customer_id, stock_code

)

select * from aggregated
