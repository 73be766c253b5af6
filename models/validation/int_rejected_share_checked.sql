{{ config(materialized='table') }}

{#-
    One row: the share of data lines rejected, checked against the var
    max_rejected_share. An input without a single data line stops the build
    here. Past the ceiling the input is more likely the wrong file or a
    changed export layout than a few bad lines, so the build stops here with
    both numbers, the reasons rejected most and the first rejected lines
    with their numbers. Every customer model depends on this row, so none is
    built from such an input, while marts.rejected_transactions and
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

reason_counts as (

    {%- for reason in rejection_reasons() %}
    select
        '{{ reason }}' as rejection_reason,
        coalesce(sum(source_files.rejected_{{ reason }}), 0)
        {%- if reason == 'duplicate_line' %}
            + (select count(*) from duplicates)
        {%- endif %} as rejected_lines
    from source_files
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

top_reasons as (

    -- An aggregate without GROUP BY: one row, with null when nothing is
    -- rejected.
    select
        string_agg(
            rejection_reason || ' (' || rejected_lines || ')', ', '
            order by rejected_lines desc, rejection_reason
        ) as top_reasons
    from (
        select *
        from reason_counts
        where rejected_lines > 0
        order by rejected_lines desc, rejection_reason
        limit 3
    )

),

sample_lines as (

    -- The first rejected lines of the first files that have any.
    select
        string_agg(
            source_file || ' line ' || source_line_number || ', ' || rejection_reason
            || ' (' || rejection_detail || ')'
            || coalesce(': "' || raw_line || '"', ''),
            '; ' order by file_order, source_line_number
        ) as sample_lines
    from (
        select
            input_files.source_file,
            input_files.file_order,
            rejected.source_line_number,
            rejected.rejection_reason,
            rejected.rejection_detail,
            rejected.raw_line
        from source_files
        inner join {{ ref('stg_retail__files') }} as input_files
            on source_files.file_key = input_files.file_key
        cross join unnest(source_files.first_rejected_lines) as first_rejected (rejected)
        order by input_files.file_order, rejected.source_line_number
        limit 3
    )

),

shares as (

    select
        lines_read,
        lines_accepted,
        lines_read - lines_accepted as lines_rejected,
        cast(
            (lines_read - lines_accepted) / nullif(lines_read, 0) as decimal(9, 6)
        ) as rejected_share,
        cast({{ var('max_rejected_share') }} as decimal(9, 6)) as max_rejected_share,
        top_reasons.top_reasons,
        sample_lines.sample_lines
    from line_totals
    cross join top_reasons
    cross join sample_lines

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
    || '. Most rejected: ' || top_reasons
    || '. First rejected lines: ' || sample_lines
    || '. Fix the input, or raise the var max_rejected_share. Every rejected'
    || ' line is in marts.rejected_transactions, the counts by reason in'
    || ' marts.data_quality_report.'
{%- endset %}

final as (

    select *
    from shares
    where
        {{ raise_if('lines_read = 0', no_lines_message) }}
        and {{ raise_if('rejected_share > max_rejected_share', ceiling_message) }}

)

select * from final
