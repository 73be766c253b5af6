with

transaction_lines as (

    select * from {{ ref('stg_retail__transaction_lines') }}

),

rejected as (

    select
        source_file,
        source_line_number,
        rejection_reason,
        rejection_detail,
        raw_line,
        invoice_id,
        customer_id
    from transaction_lines
    where rejection_reason is not null

)

select * from rejected
