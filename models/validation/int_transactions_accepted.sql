{#-
    The accepted lines of the current input in the canonical schema: every
    line of int_transaction_lines_validated that no rule rejected and that
    repeats no line of an earlier file. With marts.rejected_transactions it
    accounts for every data line read. A view: the features read per-file
    partials instead, and the integrity tests read this to check them.
-#}

with

validated as (

    select * from {{ ref('int_transaction_lines_validated') }}

),

input_files as (

    select * from {{ ref('stg_retail__files') }}

),

duplicates as (

    select * from {{ ref('int_duplicate_lines_found') }}

),

accepted as (

    select
        -- ids
        validated.invoice_id,
        input_files.source_file,
        validated.file_key,
        validated.source_line_number,
        validated.stock_code,
        validated.customer_id,

        -- strings
        validated.country,
        validated.transaction_type,

        -- numerics
        validated.quantity,
        validated.unit_price,
        cast(validated.quantity * validated.unit_price as decimal(18, 4)) as line_amount,

        -- dates
        cast(validated.invoiced_at as date) as invoice_date,

        -- timestamps
        validated.invoiced_at
    from validated
    inner join input_files
        on validated.file_key = input_files.file_key
    where
        validated.rejection_reason is null
        and not exists (
            select 1
            from duplicates
            where
                validated.file_key = duplicates.file_key
                and validated.source_line_number = duplicates.source_line_number
        )

)

select * from accepted
