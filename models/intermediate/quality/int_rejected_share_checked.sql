{{ config(materialized='table') }}

{#-
    One row: the share of data lines rejected, checked against the var
    max_rejected_share. Past the ceiling the input is more likely the wrong
    file or a changed export layout than a few bad lines, so the build stops
    here with both numbers. Every customer model depends on this row, so
    none is built from such an input, while marts.rejected_transactions and
    marts.data_quality_report (which do not) are, to show what went wrong.
-#}

with

source_files as (

    select * from {{ ref('stg_retail__source_files') }}

),

transactions as (

    select * from {{ ref('stg_retail__transactions') }}

),

lines_read as (

    select cast(sum(data_lines) as bigint) as lines_read
    from source_files

),

lines_accepted as (

    select count(*) as lines_accepted
    from transactions

),

shares as (

    select
        lines_read.lines_read,
        lines_accepted.lines_accepted,
        lines_read.lines_read - lines_accepted.lines_accepted as lines_rejected,
        cast(
            (lines_read.lines_read - lines_accepted.lines_accepted)
            / lines_read.lines_read as decimal(9, 6)
        ) as rejected_share,
        cast({{ var('max_rejected_share') }} as decimal(9, 6)) as max_rejected_share
    from lines_read
    cross join lines_accepted

),

{%- set ceiling_message -%}
    'Rejected share ' || round(rejected_share::double, 4)
    || ' (' || lines_rejected || ' of ' || lines_read || ' lines) exceeds max_rejected_share '
    || max_rejected_share::double
    || '. See marts.rejected_transactions for the reasons, fix the input,'
    || ' or raise the var max_rejected_share.'
{%- endset %}

final as (

    select *
    from shares
    where {{ raise_if('rejected_share > max_rejected_share', ceiling_message) }}

)

select * from final
