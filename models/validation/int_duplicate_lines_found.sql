{{ config(materialized='table') }}

{#-
    One row per line that repeats, word for word, a line of an earlier
    input file (read order: files by path, then line number): the judgement
    across files that the per-file cache cannot make. A line passes every
    other rule before it can be a duplicate, and the first occurrence is
    kept. Repeats within one file are rejected in
    int_transaction_lines_validated already.

    Two lines with the same text have the same invoice number, so only the
    invoices that appear in more than one file are compared, line by line:
    the hash of the text and every value kept must agree.
-#}

with

input_files as (

    select * from {{ ref('stg_retail__files') }}

),

invoices_in_several_files as (

    -- From the per-file invoice fold, about a twentieth of the lines.
    select invoice_id
    from ({{ current_input_rows(ref('int_customer_invoices_aggregated')) }})
    group by invoice_id
    having min(file_key) <> max(file_key)

),

candidates as (

    select
        validated.*,
        input_files.source_file,
        input_files.file_order
    from {{ ref('int_transaction_lines_validated') }} as validated
    inner join input_files
        on validated.file_key = input_files.file_key
    where
        validated.rejection_reason is null
        and validated.invoice_id in (
            select invoices_in_several_files.invoice_id from invoices_in_several_files
        )

),

ranked as (

    select
        candidates.*,
        row_number() over same_text as occurrence,
        first_value(candidates.source_file) over same_text as first_source_file,
        first_value(candidates.source_line_number) over same_text
            as first_source_line_number
    from candidates
    window same_text as (
        partition by
            candidates.line_key,
            candidates.invoice_id,
            candidates.stock_code,
            candidates.customer_id,
            candidates.country,
            candidates.quantity,
            candidates.unit_price,
            candidates.invoiced_at,
            candidates.transaction_type
        order by candidates.file_order, candidates.source_line_number
    )

),

final as (

    select
        -- ids
        file_key,
        source_file,
        source_line_number,
        invoice_id,
        customer_id,

        -- strings
        transaction_type,
        first_source_file,

        -- numerics
        first_source_line_number,
        cast(quantity * unit_price as decimal(18, 4)) as line_amount,

        -- dates
        cast(invoiced_at as date) as invoice_date
    from ranked
    where occurrence > 1

)

select * from final
