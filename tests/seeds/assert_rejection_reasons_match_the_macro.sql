-- The rejection reasons are listed twice, for two jobs: the macro
-- rejection_reasons() (macros/ingestion/labels.sql) holds their precedence
-- and the columns the data-quality models pivot on, the seed
-- rejection_reasons the labels, order and colours the dashboard shows. A
-- reason in one list only would be pivoted without a label, or labelled but
-- never counted. Returns a row for each code that only one side lists.

with

seed_reasons as (

    select rejection_reason from {{ ref('rejection_reasons') }}

),

macro_reasons as (

    {% for reason in rejection_reasons() -%}
        select '{{ reason }}' as rejection_reason
        {%- if not loop.last %}
            union all
        {% endif %}
    {%- endfor %}

),

final as (

    select
        coalesce(seed_reasons.rejection_reason, macro_reasons.rejection_reason)
            as rejection_reason,
        case
            when macro_reasons.rejection_reason is null then 'seed only'
            else 'macro only'
        end as listed_in
    from seed_reasons
    full outer join macro_reasons
        on seed_reasons.rejection_reason = macro_reasons.rejection_reason
    where
        seed_reasons.rejection_reason is null
        or macro_reasons.rejection_reason is null

)

select * from final
