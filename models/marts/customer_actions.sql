with

actions as (

    select * from {{ ref('int_customer_actions_budgeted') }}

),

final as (

    select
        customer_id,
        as_of_date,
        lifecycle_stage,
        value_segment,
        risk_level,
        action_rule_id,
        action_code,
        action_name,
        channel,
        is_contact,
        decision_reason,
        first_rule_id,
        first_rule_action_code,
        first_rule_roi,
        min_roi,
        gross_margin_rate,
        value_at_stake,
        unit_cost,
        expected_uplift,
        expected_benefit,
        net_benefit,
        roi,
        uplift_low,
        uplift_high,
        roi_low,
        roi_high,
        break_even_uplift,
        contact_rank,
        cumulative_cost,
        campaign_budget,
        is_in_budget
    from actions

)

select * from final
