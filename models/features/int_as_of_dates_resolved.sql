{#-
    One row per as-of date the build computes a snapshot for: the build's
    own as-of date (is_current), which is the var as_of_date when given,
    else the day after the last accepted transaction; and, before it, the
    start of every snapshot_frequency period from the first one with enough
    history (snapshot_start_date, else snapshot_min_history_days after the
    first accepted transaction). Nothing in the project reads the clock, so
    a fixed input always gives the same dates.
-#}

{%- set frequency = var('snapshot_frequency') %}
{%- if frequency not in ('week', 'month', 'quarter', 'none') %}
    {{ exceptions.raise_compiler_error(
        "The var snapshot_frequency is '" ~ frequency
        ~ "'; use week, month, quarter, or none for the build's own as-of date alone."
    ) }}
{%- endif %}
{%- set has_history = frequency != 'none' %}
{#- With no history the periods are still written out, and none is kept. -#}
{%- set datepart = frequency if has_history else 'month' %}

with

source_files as (

    {{ current_input_rows(ref('int_source_files_summarised')) }}

),

-- Not read for its values: depending on the check means no snapshot is
-- built when too many lines were rejected.
quality_check as (

    select * from {{ ref('int_rejected_share_checked') }}

),

transaction_span as (

    select
        cast(min(source_files.first_invoiced_at) as date) as first_invoice_date,
        cast(max(source_files.last_invoiced_at) as date) as last_invoice_date
    from source_files
    cross join quality_check

),

resolved as (

    select
        {%- if var('as_of_date', none) is not none %}
            try_cast({{ sql_quote(var('as_of_date') | string) }} as date) as as_of_date,
        {%- else %}
            cast({{ dbt.dateadd('day', 1, 'last_invoice_date') }} as date) as as_of_date,
        {%- endif %}
        first_invoice_date,
        last_invoice_date
    from transaction_span

),

{%- set as_of_date_message -%}
    {%- if var('as_of_date', none) is not none -%}
        'The var as_of_date is ' || {{ sql_quote(var('as_of_date') | string) }}
        || '; give an ISO date such as 2011-06-01.'
    {%- else -%}
        'No accepted transaction to take the as-of date from: see marts.rejected_transactions.'
    {%- endif -%}
{%- endset %}

checked as (

    select *
    from resolved
    where {{ raise_if('as_of_date is null', as_of_date_message) }}

),

first_period as (

    select
        {%- if var('snapshot_start_date', none) is not none %}
            try_cast({{ sql_quote(var('snapshot_start_date') | string) }} as date)
        {%- else %}
            cast({{ dbt.dateadd(
                'day', var('snapshot_min_history_days'), 'first_invoice_date'
            ) }} as date)
        {%- endif %} as earliest_start
    from checked

),

-- dbt.generate_series gives 1 to n: enough periods for two centuries of
-- weeks.
periods as (

    {{ dbt.generate_series(10000) }}

),

{%- set start_message -%}
    'The var snapshot_start_date is ' || {{ sql_quote(var('snapshot_start_date', '') | string) }}
    || '; give an ISO date such as 2010-06-01, or leave it unset.'
{%- endset %}

period_starts as (

    -- Every period start on or after the earliest start: the earliest
    -- start's own period when it begins that day, else the next one.
    select
        cast({{ dbt.dateadd(
            datepart,
            'periods.generated_number - 1',
            dbt.date_trunc(datepart, dbt.dateadd('day', -1, 'first_period.earliest_start'))
        ) }} as date) as as_of_date
    from first_period
    cross join periods
    where {{ raise_if('first_period.earliest_start is null', start_message) }}

),

as_of_dates as (

    select
        as_of_date,
        true as is_current
    from checked
    union all
    select
        period_starts.as_of_date,
        false as is_current
    from period_starts
    cross join first_period
    cross join checked
    where
        {{ has_history }}
        and period_starts.as_of_date >= first_period.earliest_start
        and period_starts.as_of_date < checked.as_of_date

),

final as (

    select
        as_of_dates.as_of_date,
        as_of_dates.is_current,
        checked.first_invoice_date,
        checked.last_invoice_date
    from as_of_dates
    cross join checked

)

select * from final
