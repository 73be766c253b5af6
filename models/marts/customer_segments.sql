{#- The current snapshot's segments, with the facts they were decided on. -#}

with

as_of as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}
    where is_current

),

segments as (

    select * from {{ ref('int_customers_segmented') }}

),

features as (

    select * from {{ ref('int_customers_featurized') }}

),

final as (

    select
        segments.customer_id,
        segments.as_of_date,
        segments.lifecycle_stage,
        segments.value_segment,
        segments.rfm_segment,
        segments.rfm_rule_id,
        segments.rfm_score,
        segments.recency_score,
        segments.frequency_score,
        segments.monetary_score,
        -- The facts the labels were decided on, so a label can be checked
        -- without a join.
        features.recency_days,
        features.tenure_days,
        features.orders,
        features.net_revenue,
        segments.net_revenue_percentile
    from segments
    inner join as_of
        on segments.as_of_date = as_of.as_of_date
    inner join features
        on
            segments.as_of_date = features.as_of_date
            and segments.customer_id = features.customer_id

)

select * from final
