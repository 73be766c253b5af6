{{ config(materialized='table') }}

{#-
    One row: the share of data lines rejected, checked against the var
    max_rejected_share. An input without a single data line stops the build
    here. Past the ceiling the input is more likely the wrong file or a
    changed export layout than a few bad lines, so the build stops here with
    both numbers. Every customer model depends on this row, so
    none is built from such an input, while marts.rejected_transactions and
    marts.data_quality_report (which do not) are, to show what went wrong.
-#}

with

source_files as (

    {{ current_input_rows(ref('int_source_files_summarised')) }}

),

duplicates as (

    select * from {{ ref('int_duplicate_lines_found') }}

),

line_totals as (

    -- Aggregates without GROUP BY: one row even when no file has a line.
    select
        (
            select cast(coalesce(sum(source_files.data_lines), 0) as bigint)
            from source_files
        ) as lines_read,
        (
            select
                cast(
                    coalesce(sum(
                        {%- for transaction_type in transaction_types() %}
                            source_files.accepted_{{ transaction_type }}_lines
                            {{- ' + ' if not loop.last }}
                        {%- endfor %}
                    ), 0) as bigint
                )
            from source_files
        )
        - (select count(*) from duplicates) as lines_accepted

),

shares as (

    select
        lines_read,
        lines_accepted,
        lines_read - lines_accepted as lines_rejected,
        cast(
            (lines_read - lines_accepted) / nullif(lines_read, 0) as decimal(9, 6)
        ) as rejected_share,
        cast({{ var('max_rejected_share') }} as decimal(9, 6)) as max_rejected_share
    from line_totals

),

{%- set no_lines_message -%}
    'No transaction lines in ' || {{ sql_quote(transactions_path()) }}
    || ': the input is empty or has only a header. Export the transactions'
    || ' again, or point transactions_path at the right file.'
{%- endset %}

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
    where
        {{ raise_if('lines_read = 0', no_lines_message) }}
        and {{ raise_if('rejected_share > max_rejected_share', ceiling_message) }}

)

select * from final
