-- Row conservation, per input file: every data line the landing cache holds
-- for the file is either accepted (int_transactions_accepted) or rejected
-- (marts.rejected_transactions), once: never both, never twice, never
-- neither. Protects the joins and the duplicate handling between the cache
-- and the two outputs from silently losing or doubling lines. Returns a row
-- per file whose counts differ.

with

input_files as (

    select * from {{ ref('stg_retail__files') }}

),

lines_read as (

    select
        source_files.source_file,
        source_files.data_lines
    from {{ ref('int_source_files_summarised') }} as source_files
    semi join input_files
        on source_files.file_key = input_files.file_key

),

lines_accepted as (

    select
        source_file,
        count(*) as line_count,
        count(distinct source_line_number) as line_numbers
    from {{ ref('int_transactions_accepted') }}
    group by source_file

),

lines_rejected as (

    select
        source_file,
        count(*) as line_count,
        count(distinct source_line_number) as line_numbers
    from {{ ref('rejected_transactions') }}
    group by source_file

),

compared as (

    select
        coalesce(lines_read.source_file, lines_accepted.source_file, lines_rejected.source_file)
            as source_file,
        coalesce(lines_read.data_lines, 0) as lines_read,
        coalesce(lines_accepted.line_count, 0) as lines_accepted,
        coalesce(lines_rejected.line_count, 0) as lines_rejected,
        coalesce(lines_accepted.line_numbers, 0) as accepted_line_numbers,
        coalesce(lines_rejected.line_numbers, 0) as rejected_line_numbers
    from lines_read
    full outer join lines_accepted
        on lines_read.source_file = lines_accepted.source_file
    full outer join lines_rejected
        on coalesce(lines_read.source_file, lines_accepted.source_file) = lines_rejected.source_file

)

select *
from compared
where
    lines_read <> lines_accepted + lines_rejected
    -- A line number twice on one side is a line counted twice.
    or lines_accepted <> accepted_line_numbers
    or lines_rejected <> rejected_line_numbers
