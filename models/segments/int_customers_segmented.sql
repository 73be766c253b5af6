{#-
    One row per as-of date and customer of int_customers_featurized:
    lifecycle stage, value segment, RFM scores and the named RFM segment,
    each with the facts and the rule that decided it. Ranks and quintiles
    are taken within each as-of date's snapshot, so every snapshot is scored
    against its own customers. The rules are in docs/decision_logic.md;
    every threshold is a var or a seed.
-#}

with

features as (

    select * from {{ ref('int_customers_featurized') }}

),

-- Read by fixed_rfm_score, with rfm_scoring_method: fixed only.
score_thresholds as (  -- noqa: ST03

    select * from {{ ref('rfm_score_thresholds') }}

),

segment_rules as (

    select * from {{ ref('rfm_segment_rules') }}

),

ranked as (

    select
        customer_id,
        as_of_date,
        recency_days,
        tenure_days,
        orders,
        net_revenue,
        percent_rank() over (
            partition by as_of_date order by net_revenue
        ) as net_revenue_percentile,
        -- Quintiles: 5 is best. Ties are broken by customer_id so that a
        -- rerun gives every customer the same score.
        cast(ntile(5) over (
            partition by as_of_date order by recency_days desc, customer_id asc
        ) as integer)
            as recency_quintile,
        cast(ntile(5) over (
            partition by as_of_date order by orders, customer_id
        ) as integer) as frequency_quintile,
        cast(ntile(5) over (
            partition by as_of_date order by net_revenue, customer_id
        ) as integer) as monetary_quintile
    from features

),

{%- if var('rfm_scoring_method') not in ('quantile', 'fixed') %}
    {{ exceptions.raise_compiler_error(
        "The var rfm_scoring_method is '" ~ var('rfm_scoring_method')
        ~ "'; use quantile or fixed."
    ) }}
{%- endif %}

scored as (

    select
        ranked.*,
    {%- for dimension, metric in rfm_dimensions() %}
        {#- Chosen when the model is compiled: written as a case, the fixed
            bounds' lookup would be planned, and paid for, either way. #}
        {{ fixed_rfm_score(dimension, metric) if var('rfm_scoring_method') == 'fixed'
            else 'ranked.' ~ dimension ~ '_quintile' }} as {{ dimension }}_score
        {{- ',' if not loop.last }}
    {%- endfor %}
    from ranked

),

staged as (

    select
        scored.*,
        case
            when scored.tenure_days <= {{ var('lifecycle_new_max_tenure_days') }} then 'new'
            when scored.recency_days <= {{ var('lifecycle_active_max_recency_days') }} then 'active'
            when
                scored.recency_days <= {{ var('lifecycle_cooling_max_recency_days') }}
                then 'cooling'
            when
                scored.recency_days <= {{ var('lifecycle_at_risk_max_recency_days') }}
                then 'at_risk'
            else 'dormant'
        end as lifecycle_stage,
        case
            when scored.net_revenue_percentile >= {{ var('value_vip_min_percentile') }} then 'vip'
            when scored.net_revenue_percentile >= {{ var('value_high_min_percentile') }} then 'high'
            when scored.net_revenue_percentile >= {{ var('value_mid_min_percentile') }} then 'mid'
            else 'low'
        end as value_segment
    from scored

),

segment_matches as (

    select
        staged.customer_id,
        staged.as_of_date,
        segment_rules.rule_id as rfm_rule_id,
        segment_rules.rfm_segment
    from staged
    inner join segment_rules
        on
            staged.recency_score between segment_rules.recency_score_min
            and segment_rules.recency_score_max
            and staged.frequency_score between segment_rules.frequency_score_min
            and segment_rules.frequency_score_max
            and staged.monetary_score between segment_rules.monetary_score_min
            and segment_rules.monetary_score_max
    -- The rules do not overlap (tested); first match wins all the same.
    qualify row_number() over (
        partition by staged.as_of_date, staged.customer_id
        order by segment_rules.rule_id
    ) = 1

),

final as (

    select
        staged.customer_id,
        staged.as_of_date,
        staged.lifecycle_stage,
        staged.value_segment,
        {{ double_as_decimal('staged.net_revenue_percentile', 9, 4) }} as net_revenue_percentile,
        staged.recency_score,
        staged.frequency_score,
        staged.monetary_score,
        cast(staged.recency_score as {{ dbt.type_string() }})
        || cast(staged.frequency_score as {{ dbt.type_string() }})
        || cast(staged.monetary_score as {{ dbt.type_string() }}) as rfm_score,
        segment_matches.rfm_segment,
        segment_matches.rfm_rule_id
    from staged
    left join segment_matches
        on
            staged.as_of_date = segment_matches.as_of_date
            and staged.customer_id = segment_matches.customer_id

)

select * from final
