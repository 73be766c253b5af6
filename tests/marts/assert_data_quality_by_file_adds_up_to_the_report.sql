-- The per-file report must add up to the build's: as many files, and the
-- same lines read, accepted and rejected; and each file must balance on its
-- own. Returns a row when it does not.

with

by_file as (

    select * from {{ ref('data_quality_by_file') }}

),

report as (

    select * from {{ ref('data_quality_report') }}

),

file_totals as (

    select
        count(*) as input_files,
        coalesce(sum(lines_read), 0) as lines_read,
        coalesce(sum(lines_accepted), 0) as lines_accepted,
        coalesce(sum(lines_rejected), 0) as lines_rejected,
        count(*) filter (where lines_read <> lines_accepted + lines_rejected)
            as unbalanced_files
    from by_file

)

select
    report.input_files as report_files,
    file_totals.*
from report
cross join file_totals
where
    report.input_files <> file_totals.input_files
    or report.lines_read <> file_totals.lines_read
    or report.lines_accepted <> file_totals.lines_accepted
    or report.lines_rejected <> file_totals.lines_rejected
    or file_totals.unbalanced_files > 0
