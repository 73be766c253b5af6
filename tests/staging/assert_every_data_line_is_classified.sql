-- Row conservation: every data line of every input file is either accepted
-- (stg_retail__transactions) or rejected (marts.rejected_transactions),
-- never both and never neither. Protects against a join or filter in
-- staging that silently loses lines. Returns a row when the counts differ.

with

lines_read as (

    select coalesce(sum(data_lines), 0) as line_count
    from {{ ref('stg_retail__source_files') }}

),

lines_accepted as (

    select count(*) as line_count
    from {{ ref('stg_retail__transactions') }}

),

lines_rejected as (

    select count(*) as line_count
    from {{ ref('rejected_transactions') }}

)

select
    lines_read.line_count as lines_read,
    lines_accepted.line_count as lines_accepted,
    lines_rejected.line_count as lines_rejected
from lines_read
cross join lines_accepted
cross join lines_rejected
where lines_read.line_count <> lines_accepted.line_count + lines_rejected.line_count
