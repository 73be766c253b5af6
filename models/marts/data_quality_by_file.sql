{#-
    One row per input file of the build, in read order: how it was read
    (format, encoding, delimiter, date order and how that was decided) and
    what came of its lines (read, accepted, rejected, the span of its
    accepted dates), so that a file that contributed nothing, or was read
    with a default a user should check, is named. The same counts as
    marts.data_quality_report, by file: lines that repeat a line of an
    earlier file count as rejected in their own file.
-#}

with

input_files as (

    select * from {{ ref('stg_retail__files') }}

),

source_files as (

    {{ current_input_rows(ref('int_source_files_summarised')) }}

),

duplicates as (

    select * from {{ ref('int_duplicate_lines_found') }}

),

duplicates_by_file as (

    select
        file_key,
        count(*) as duplicate_lines
    from duplicates
    group by file_key

),

final as (

    select
        -- ids
        input_files.source_file,
        input_files.file_order,

        -- strings
        input_files.file_format,
        input_files.file_encoding,
        input_files.field_delimiter,
        input_files.date_order,
        input_files.date_order_basis,
        case
            when input_files.header_line is null then 'empty_file'
            when source_files.data_lines = 0 then 'header_only'
        end as no_lines_reason,

        -- numerics
        input_files.file_bytes,
        source_files.data_lines as lines_read,
        cast(
            {% for transaction_type in transaction_types() -%}
                source_files.accepted_{{ transaction_type }}_lines{{ ' + ' if not loop.last }}
            {%- endfor %}
            - coalesce(duplicates_by_file.duplicate_lines, 0)
            as bigint
        ) as lines_accepted,
        cast(
            {% for reason in rejection_reasons() -%}
                source_files.rejected_{{ reason }}{{ ' + ' if not loop.last }}
            {%- endfor %}
            + coalesce(duplicates_by_file.duplicate_lines, 0)
            as bigint
        ) as lines_rejected,

        -- timestamps
        input_files.modified_at,
        source_files.first_invoiced_at,
        source_files.last_invoiced_at
    from input_files
    inner join source_files
        on input_files.file_key = source_files.file_key
    left join duplicates_by_file
        on input_files.file_key = duplicates_by_file.file_key

)

select * from final
