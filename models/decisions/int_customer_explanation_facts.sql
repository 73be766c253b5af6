{#-
    One row per customer of the current snapshot: every fact an explanation may quote, gathered in
    one place so the templating (customer_lifecycle.explain, run by
    int_customer_explanations_rendered) reads a single relation. The words for each code come
    from the label seeds, left-joined so that a code without a row keeps its customer (its words
    are null, and the templates say something generic but true).
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

lifecycle_stages as (

    select * from {{ ref('lifecycle_stages') }}

),

value_segments as (

    select * from {{ ref('value_segments') }}

),

rfm_segments as (

    select * from {{ ref('rfm_segments') }}

),

risk_levels as (

    select * from {{ ref('risk_levels') }}

),

risk_signals as (

    select * from {{ ref('risk_signals') }}

),

catalogue as (

    select * from {{ ref('action_catalogue') }}

),

final as (

    select
        actions.customer_id,
        actions.as_of_date,
        segments.lifecycle_stage,
        lifecycle_stages.explanation_label as lifecycle_stage_label,
        segments.value_segment,
        value_segments.explanation_label as value_segment_label,
        segments.rfm_segment,
        rfm_segments.display_label as rfm_segment_label,
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
        risk_levels.explanation_label as risk_level_label,
        risk.top_risk_driver,
        risk.top_risk_points,
        -- The phrase with its {placeholders} still in it; the gone-quiet
        -- wording when the signal found nothing in either window.
        case
            when risk.is_top_risk_driver_quiet
                then coalesce(
                    top_signals.explanation_phrase_when_quiet,
                    top_signals.explanation_phrase
                )
            else top_signals.explanation_phrase
        end as top_risk_driver_phrase,
        risk.second_risk_driver,
        risk.second_risk_points,
        case
            when risk.is_second_risk_driver_quiet
                then coalesce(
                    second_signals.explanation_phrase_when_quiet,
                    second_signals.explanation_phrase
                )
            else second_signals.explanation_phrase
        end as second_risk_driver_phrase,
        actions.action_code,
        actions.action_name,
        actions.channel,
        actions.is_contact,
        catalogue.explanation_purpose as action_purpose,
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
    left join lifecycle_stages
        on segments.lifecycle_stage = lifecycle_stages.lifecycle_stage
    left join value_segments
        on segments.value_segment = value_segments.value_segment
    left join rfm_segments
        on segments.rfm_segment = rfm_segments.rfm_segment
    left join risk_levels
        on risk.risk_level = risk_levels.risk_level
    left join risk_signals as top_signals
        on risk.top_risk_driver = top_signals.risk_signal
    left join risk_signals as second_signals
        on risk.second_risk_driver = second_signals.risk_signal
    left join catalogue
        on actions.action_code = catalogue.action_code

)

select * from final
