{#-
    Every rejected line of the current input: the lines that
    int_transaction_lines_validated rejected, and the lines that repeat a
    line of an earlier file (int_duplicate_lines_found). The cache keeps no
    text of a line it accepted, so the text of such a repeat is read again
    from its file: only the files that hold one are read, found when this
    model is compiled (none before the duplicates exist).
-#}

{%- set files_with_duplicates = files_holding(ref('int_duplicate_lines_found')) %}

with

input_files as (

    select * from {{ ref('stg_retail__files') }}

),

validated as (

    select * from {{ ref('int_transaction_lines_validated') }}

),

duplicates as (

    select * from {{ ref('int_duplicate_lines_found') }}

),

duplicate_texts as (

    select
        source_file,
        source_line_number,
        raw_line
    from {{ ref('stg_retail__raw_lines') }}
    where
        not is_header
        and source_file in (
            {%- for source_file in files_with_duplicates %}
            {{ sql_quote(source_file) }},
            {%- endfor %}
            null
        )

),

rejected as (

    select
        input_files.source_file,
        validated.source_line_number,
        validated.rejection_reason,
        validated.rejection_detail,
        validated.raw_line,
        validated.invoice_id,
        validated.customer_id,
        validated.file_key
    from validated
    inner join input_files
        on validated.file_key = input_files.file_key
    where validated.rejection_reason is not null

),

repeated as (

    select
        duplicates.source_file,
        duplicates.source_line_number,
        'duplicate_line' as rejection_reason,
        {{ duplicate_detail(
            'duplicates.first_source_line_number', 'duplicates.first_source_file'
        ) }} as rejection_detail,
        duplicate_texts.raw_line,
        duplicates.invoice_id,
        duplicates.customer_id,
        duplicates.file_key
    from duplicates
    left join duplicate_texts
        on
            duplicates.source_file = duplicate_texts.source_file
            and duplicates.source_line_number = duplicate_texts.source_line_number

),

final as (

    select * from rejected
    union all
    select * from repeated

)

select * from final
