{{ config(
    materialized='incremental',
    incremental_strategy='by_file_key',
    on_schema_change='append_new_columns',
    tags=['ingestion'],
) }}

{#-
    Kept between builds like the lines it comes from: a build adds the
    rejected lines of the files parsed since, and drops those of files no
    longer in the input (macros/ingestion/incremental_files.sql).
-#}

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
        customer_id,
        file_key
    from transaction_lines
    where
        rejection_reason is not null
        and {{ only_unseen_files(ref('stg_retail__input_files')) }}

)

select * from rejected
