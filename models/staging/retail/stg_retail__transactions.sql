{#-
    The accepted lines in the canonical schema: what every feature is built
    from. Rejected lines are in marts.rejected_transactions.
-#}

with

transaction_lines as (

    select * from {{ ref('stg_retail__transaction_lines') }}

),

accepted as (

    select
        -- ids
        invoice_id,
        source_file,
        file_key,
        source_line_number,
        stock_code,
        customer_id,

        -- strings
        description,
        country,
        transaction_type,

        -- numerics
        quantity,
        unit_price,
        cast(quantity * unit_price as decimal(18, 4)) as line_amount,

        -- dates
        cast(invoiced_at as date) as invoice_date,

        -- timestamps
        invoiced_at
    from transaction_lines
    where rejection_reason is null

)

select * from accepted
