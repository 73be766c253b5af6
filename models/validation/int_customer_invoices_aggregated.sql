{{ config(
    materialized=per_file_materialization(),
    incremental_strategy='delete+insert',
    unique_key='file_key',
    on_schema_change='sync_all_columns',
) }}

{#-
    One row per input file, invoice, customer, calendar day and transaction
    type among the lines that int_transaction_lines_validated accepted: the
    line grain folded about twentyfold, and all that the customer-day
    features, the customer's country and the distinct counts of the
    data-quality report need. Kept by file_key like the lines it folds, so
    a build folds only new files. Lines that repeat another file's are
    still in (each file is folded on its own); int_customer_days_aggregated
    takes them off, and every other use is unchanged by them: a repeat has
    the same invoice, customer, day, time and country as the line it
    repeats.
-#}

{%- set new_files = new_input_files(ref('stg_retail__files'), 'file_key') %}

with

new_lines as (

    select * from {{ ref('int_transaction_lines_validated') }}
    where
        {{ new_files }}
        and rejection_reason is null

),

aggregated as (

    select
        file_key,
        invoice_id,
        customer_id,
        cast(invoiced_at as date) as invoice_date,
        transaction_type,
        count(*) as invoice_lines,
        cast(sum(quantity * unit_price) as decimal(18, 4)) as invoice_amount,
        max(invoiced_at) as last_invoiced_at,
        -- The country of the invoice's last line; of lines at the same
        -- time, the greatest country name, so that the choice depends on
        -- the values alone, never on where a line sits.
        {{ arg_max('country', ordering_tuple(['invoiced_at', 'country'])) }} as country
    from new_lines
    group by file_key, invoice_id, customer_id, cast(invoiced_at as date), transaction_type

)

select * from aggregated
