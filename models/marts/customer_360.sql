{#-
    One wide row per customer: features, segments, risk, the chosen action
    and its economics, and the explanation. The table analysts and the
    dashboard read first; each column is defined in the mart it comes from.
-#}

with

features as (

    select * from {{ ref('customer_features') }}

),

segments as (

    select * from {{ ref('customer_segments') }}

),

risk as (

    select * from {{ ref('customer_risk') }}

),

actions as (

    select * from {{ ref('customer_actions') }}

),

explanations as (

    select * from {{ ref('customer_explanations') }}

),

final as (

    select
        features.customer_id,
        features.as_of_date,
        features.country,
        segments.lifecycle_stage,
        segments.value_segment,
        segments.rfm_segment,
        segments.rfm_score,
        features.first_purchase_date,
        features.last_purchase_date,
        features.recency_days,
        features.tenure_days,
        features.orders,
        features.purchase_days,
        features.gross_revenue,
        features.returned_revenue,
        features.net_revenue,
        features.avg_order_value,
        features.return_rate,
        features.distinct_products,
        features.mean_days_between_purchases,
        features.orders_last_90d,
        features.net_revenue_last_90d,
        features.orders_last_365d,
        features.net_revenue_last_365d,
        features.historical_lifetime_value,
        features.run_rate_value_12m,
        risk.risk_score,
        risk.risk_level,
        risk.is_at_risk,
        risk.top_risk_driver,
        risk.top_risk_points,
        risk.second_risk_driver,
        risk.second_risk_points,
        actions.action_code,
        actions.action_name,
        actions.channel,
        actions.decision_reason,
        actions.value_at_stake,
        actions.unit_cost,
        actions.expected_benefit,
        actions.net_benefit,
        actions.roi,
        actions.roi_low,
        actions.roi_high,
        actions.is_in_budget,
        explanations.explanation
    from features
    inner join segments
        on features.customer_id = segments.customer_id
    inner join risk
        on features.customer_id = risk.customer_id
    inner join actions
        on features.customer_id = actions.customer_id
    inner join explanations
        on features.customer_id = explanations.customer_id

)

select * from final
