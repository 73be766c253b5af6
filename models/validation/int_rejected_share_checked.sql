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

reason_totals as (

    select
    {%- for reason in rejection_reasons() %}
            coalesce(sum(source_files.rejected_{{ reason }}), 0)
            {%- if reason == 'duplicate_line' %}
                + (select count(*) from duplicates)
            {%- endif %}
                as {{ reason }}{{ ',' if not loop.last }}
    {%- endfor %}
    from source_files

),

reason_counts as (

    {%- for reason in rejection_reasons() %}
        {{ 'union all' if not loop.first }}
        select
            '{{ reason }}' as rejection_reason,
            {{ reason }} as rejected_lines
        from reason_totals
    {%- endfor %}

),

top_reasons as (

    -- An aggregate without GROUP BY: one row, with null when nothing is
    -- rejected.
    select
        {{ ordered_string_agg(
            "most_rejected.rejection_reason || ' (' || most_rejected.rejected_lines || ')'",
            "', '",
            '-most_rejected.rejected_lines, most_rejected.rejection_reason'
        ) }} as top_reasons
    from (
        select *
        from reason_counts
        where rejected_lines > 0
        order by rejected_lines desc, rejection_reason asc
        limit 3
    ) as most_rejected

),

first_rejected as (

    select
        input_files.source_file,
        input_files.file_order,
        {{ unnest_list('source_files.first_rejected_lines') }} as rejected_line
    from source_files
    inner join {{ ref('stg_retail__files') }} as input_files
        on source_files.file_key = input_files.file_key

),

sample_lines as (

    -- The first rejected lines of the first files that have any.
    select
        {{ ordered_string_agg(
            'first_three.line_text',
            "'; '",
            'first_three.file_order, first_three.line_number'
        ) }} as sample_lines
    from (
        select
            first_rejected.file_order,
            first_rejected.rejected_line.source_line_number as line_number,
            first_rejected.source_file
            || ' line ' || first_rejected.rejected_line.source_line_number
            || ', ' || first_rejected.rejected_line.rejection_reason
            || ' (' || first_rejected.rejected_line.rejection_detail || ')'
            || coalesce(': "' || first_rejected.rejected_line.raw_line || '"', '') as line_text
        from first_rejected
        order by first_rejected.file_order asc, line_number asc
        limit 3
    ) as first_three

),

shares as (

    select
        line_totals.lines_read,
        line_totals.lines_accepted,
        line_totals.lines_read - line_totals.lines_accepted as lines_rejected,
        {{ double_as_decimal(
            '(line_totals.lines_read - line_totals.lines_accepted)'
            ~ ' / nullif(line_totals.lines_read, 0)',
            9,
            6
        ) }} as rejected_share,
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
    'Rejected share ' || round(cast(rejected_share as double), 4)
    || ' (' || lines_rejected || ' of ' || lines_read || ' lines) exceeds max_rejected_share '
    || cast(max_rejected_share as double)
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
