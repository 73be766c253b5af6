-- The data-quality report must add up: lines read = accepted + rejected,
-- accepted = the sum over transaction types, rejected = the sum over
-- reasons, and the report has exactly one row. Returns a row when it does not.

with

report as (

    select * from {{ ref('data_quality_report') }}

),

checks as (

    select
        count(*) over () as report_rows,
        lines_read,
        lines_accepted,
        lines_rejected,
        {% for transaction_type in transaction_types() -%}
            accepted_{{ transaction_type }}_lines{{ ' + ' if not loop.last }}
        {%- endfor %} as accepted_by_type,
        {% for reason in rejection_reasons() -%}
            rejected_{{ reason }}{{ ' + ' if not loop.last }}
        {%- endfor %} as rejected_by_reason
    from report

)

select *
from checks
where
    report_rows <> 1
    or lines_read <> lines_accepted + lines_rejected
    or lines_accepted <> accepted_by_type
    or lines_rejected <> rejected_by_reason
