-- Row conservation, per input file: the data lines read from each file are
-- as many as its accepted lines (int_transactions_accepted) plus its
-- rejected lines (marts.rejected_transactions). Protects the joins and the
-- duplicate handling between the landing cache and the two outputs from
-- silently losing or doubling lines. Counts, not line numbers: the cache
-- holds one row per line of a file by its key (delete+insert), and the two
-- outputs split it on one condition, so a line lost or doubled on the way
-- changes a count; a distinct count of 100M line numbers would cost more
-- than the rest of the test. Returns a row per file whose counts differ.

with

input_files as (

    select * from {{ ref('stg_retail__files') }}

),

lines_read as (

    select
        file_key,
        data_lines
    from ({{ current_input_rows(ref('int_source_files_summarised')) }})

),

lines_accepted as (

    select
        file_key,
        count(*) as line_count
    from {{ ref('int_transactions_accepted') }}
    group by file_key

),

lines_rejected as (

    select
        file_key,
        count(*) as line_count
    from {{ ref('rejected_transactions') }}
    group by file_key

),

compared as (

    select
        coalesce(lines_read.file_key, lines_accepted.file_key, lines_rejected.file_key)
            as file_key,
        coalesce(lines_read.data_lines, 0) as lines_read,
        coalesce(lines_accepted.line_count, 0) as lines_accepted,
        coalesce(lines_rejected.line_count, 0) as lines_rejected
    from lines_read
    full outer join lines_accepted
        on lines_read.file_key = lines_accepted.file_key
    full outer join lines_rejected
        on coalesce(lines_read.file_key, lines_accepted.file_key) = lines_rejected.file_key

)

select
    compared.*,
    input_files.source_file
from compared
left join input_files
    on compared.file_key = input_files.file_key
where compared.lines_read <> compared.lines_accepted + compared.lines_rejected
