{#-
    The snapshot date every model measures from: the var as_of_date when
    given, else the day after the last accepted transaction. Nothing in the
    project reads the clock, so a fixed input always gives the same output.
-#}

with

source_files as (

    select source_files.*
    from {{ ref('int_source_files_summarised') }} as source_files
    semi join {{ ref('stg_retail__files') }} as input_files
        on source_files.file_key = input_files.file_key

),

-- Not read for its values: depending on the check means no snapshot is
-- built when too many lines were rejected.
quality_check as (

    select * from {{ ref('int_rejected_share_checked') }}

),

last_transaction as (

    select cast(max(source_files.last_invoiced_at) as date) as last_invoice_date
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
        last_invoice_date
    from last_transaction

),

{%- set as_of_date_message -%}
    {%- if var('as_of_date', none) is not none -%}
        'The var as_of_date is ' || {{ sql_quote(var('as_of_date') | string) }}
        || '; give an ISO date such as 2011-06-01.'
    {%- else -%}
        'No accepted transaction to take the as-of date from: see marts.rejected_transactions.'
    {%- endif -%}
{%- endset %}

final as (

    select
        as_of_date,
        last_invoice_date
    from resolved
    where {{ raise_if('as_of_date is null', as_of_date_message) }}

)

select * from final
