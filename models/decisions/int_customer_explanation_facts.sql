{#-
    One row per customer of the current snapshot: every fact an explanation may quote, gathered in
    one place so the templating (customer_lifecycle.explain, run by
    int_customer_explanations_rendered) reads a single relation.
-#}

with

features as (

    select * from {{ ref('int_customers_featurized') }}

),

segments as (

    select * from {{ ref('int_customers_segmented') }}

),

risk as (

    select * from {{ ref('int_customers_risk_scored') }}

),

actions as (

    select * from {{ ref('int_customer_actions_budgeted') }}

),

final as (

    select
        actions.customer_id,
        actions.as_of_date,
        segments.lifecycle_stage,
        segments.value_segment,
        segments.rfm_segment,
        features.recency_days,
        features.tenure_days,
        features.mean_days_between_purchases,
        risk.is_one_time_buyer,
        risk.expected_gap_days,
        risk.overdue_ratio,
        features.orders,
        features.net_revenue,
        segments.net_revenue_percentile,
        risk.trend_window_days,
        risk.orders_last_window,
        risk.orders_prev_window,
        risk.net_revenue_last_window,
        risk.net_revenue_prev_window,
        risk.return_rate,
        risk.risk_score,
        risk.risk_level,
        risk.top_risk_driver,
        risk.top_risk_points,
        risk.second_risk_driver,
        risk.second_risk_points,
        actions.action_code,
        actions.action_name,
        actions.channel,
        actions.unit_cost,
        actions.expected_uplift,
        actions.value_at_stake,
        actions.expected_benefit,
        actions.net_benefit,
        actions.roi,
        actions.roi_low,
        actions.roi_high,
        actions.decision_reason,
        actions.first_rule_action_code,
        actions.first_rule_action_name,
        actions.first_rule_roi,
        actions.min_roi,
        actions.is_in_budget
    from actions
    inner join features
        on
            actions.as_of_date = features.as_of_date
            and actions.customer_id = features.customer_id
    inner join segments
        on
            actions.as_of_date = segments.as_of_date
            and actions.customer_id = segments.customer_id
    inner join risk
        on
            actions.as_of_date = risk.as_of_date
            and actions.customer_id = risk.customer_id

)

select * from final
