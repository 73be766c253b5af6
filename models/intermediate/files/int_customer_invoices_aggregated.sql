{#-
    One row per input file, invoice, customer, calendar day and transaction
    type among the accepted lines: the line grain folded about twentyfold,
    and all that the customer-day features, the customer's country and the
    distinct counts of the data-quality report need. Built per file and
    kept between builds (incremental by file key), so a new file costs only
    its own lines.
-#}

with

transactions as (

    select * from {{ ref('stg_retail__transactions') }}

),

new_transactions as (

    select *
    from transactions
    where {{ only_unseen_files(ref('stg_retail__input_files')) }}

),

aggregated as (

    select
        file_key,
        invoice_id,
        customer_id,
        invoice_date,
        transaction_type,
        count(*) as invoice_lines,
        cast(sum(line_amount) as decimal(18, 4)) as invoice_amount,
        -- The country of the invoice's last line, and that line's place:
        -- (time, file, line number) settles ties the same way every build.
        -- The file is one per group (its key is grouped on), so the line
        -- number alone breaks ties within it. Three columns, not one
        -- struct, which DuckDB files readable by 1.x clients cannot store.
        arg_max(country, (invoiced_at, source_line_number)) as country,
        max(invoiced_at) as last_invoiced_at,
        any_value(source_file) as last_source_file,
        arg_max(source_line_number, (invoiced_at, source_line_number))
            as last_source_line_number
    from new_transactions
    group by file_key, invoice_id, customer_id, invoice_date, transaction_type

)

select * from aggregated
