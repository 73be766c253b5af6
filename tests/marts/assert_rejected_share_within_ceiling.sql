-- Stops the build when more lines are rejected than the var
-- max_rejected_share allows: past that point the input is more likely the
-- wrong file or a changed export layout than a few bad lines, and every
-- figure built on it would mislead. The check sits in the WHERE clause, which
-- dbt cannot prune, so the error and its numbers reach the console.

select *
from {{ ref('data_quality_report') }}
where
    {{ raise_if(
    'rejected_share > max_rejected_share',
    "'Rejected share ' || round(rejected_share::double, 4) || ' (' || lines_rejected || ' of ' || lines_read || ' lines) exceeds max_rejected_share ' || max_rejected_share::double || '. See marts.rejected_transactions for the reasons, fix the input, or raise the var max_rejected_share.'"
) }}
    and rejected_share > max_rejected_share
