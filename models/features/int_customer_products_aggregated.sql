{{ config(
    materialized=per_file_materialization(),
    incremental_strategy='delete+insert',
    unique_key='file_key',
    on_schema_change='sync_all_columns',
) }}

{#-
    One row per input file, customer and stock code sold to them, with the
    first day it was sold: how many distinct products a customer had bought
    by any as-of date. Kept by file_key like the lines it folds. A line that
    repeats another file's changes nothing here: the first sale it repeats
    has the same day.
-#}

{%- set new_files = new_input_files(ref('stg_retail__files'), 'file_key') %}

with

new_sales as (

    select * from {{ ref('int_transaction_lines_validated') }}
    where
        {{ new_files }}
        and rejection_reason is null
        and transaction_type = 'sale'

),

aggregated as (

    select
        file_key,
        customer_id,
        stock_code,
        min(cast(invoiced_at as date)) as first_sale_date
    from new_sales
    group by file_key, customer_id, stock_code

)

select * from aggregated
