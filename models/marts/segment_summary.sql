{#-
    One row per lifecycle stage and value segment present in the current
    snapshot (the customers with an action decided): customers, their
    net revenue, average risk score, and the revenue at risk, which is the
    value at stake of the customers flagged is_at_risk (risk level high or
    critical).
-#}

with

segments as (

    select * from {{ ref('int_customers_segmented') }}

),

features as (

    select * from {{ ref('int_customers_featurized') }}

),

risk as (

    select * from {{ ref('int_customers_risk_scored') }}

),

actions as (

    select * from {{ ref('int_customer_actions_decided') }}

),

final as (

    select
        segments.as_of_date,
        segments.lifecycle_stage,
        segments.value_segment,
        count(*) as customers,
        cast(sum(features.net_revenue) as decimal(18, 2)) as net_revenue,
        cast(avg(risk.risk_score) as decimal(6, 2)) as avg_risk_score,
        count(*) filter (where risk.is_at_risk)
            as customers_at_risk,
        cast(
            coalesce(
                sum(actions.value_at_stake)
                filter (where risk.is_at_risk),
                0
            ) as decimal(18, 2)
        ) as revenue_at_risk
    from actions
    inner join segments
        on
            actions.as_of_date = segments.as_of_date
            and actions.customer_id = segments.customer_id
    inner join features
        on
            actions.as_of_date = features.as_of_date
            and actions.customer_id = features.customer_id
    inner join risk
        on
            actions.as_of_date = risk.as_of_date
            and actions.customer_id = risk.customer_id
    group by segments.as_of_date, segments.lifecycle_stage, segments.value_segment

)

select * from final
