{#-
    The reporting mart at the grain of the dashboard's filters: one row per
    snapshot date x country x lifecycle stage x value segment x RFM segment x
    risk level x top risk driver x action x in budget present in the data,
    over every snapshot date of the history. Every measure is additive, so
    any filter of the dimensions is a sum of rows, and every ratio is the sum
    of its numerator over the sum of its denominator. Actions are decided for
    the build's own as-of date only, so on earlier snapshots the action
    columns and the money that depends on them are null.
-#}

with

history as (

    select * from {{ ref('customer_snapshot_history') }}

),

risk as (

    select * from {{ ref('int_customers_risk_scored') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates_resolved') }}

),

actions as (

    select * from {{ ref('int_customer_actions_budgeted') }}

),

customers as (

    select
        history.as_of_date,
        as_of_dates.is_current,
        history.country,
        history.lifecycle_stage,
        history.value_segment,
        history.rfm_segment,
        history.risk_level,
        -- 'none' is the unknown member of seeds/risk_signals.csv: a customer
        -- no signal gives points has no driver, and is still counted.
        coalesce(risk.top_risk_driver, 'none') as top_risk_driver,
        actions.action_code,
        actions.is_in_budget,
        history.net_revenue,
        risk.risk_score,
        {%- for signal in risk_signals() %}
            risk.{{ signal }}_points,
        {%- endfor %}
        risk.is_at_risk,
        actions.value_at_stake,
        actions.unit_cost,
        actions.expected_benefit,
        actions.expected_benefit_low,
        actions.expected_benefit_high,
        actions.net_benefit,
        -- The band of the net benefit, as the customer's own net benefit is
        -- taken: the benefit at that uplift less the unit cost.
        actions.expected_benefit_low - actions.unit_cost as net_benefit_low,
        actions.expected_benefit_high - actions.unit_cost as net_benefit_high
    from history
    inner join as_of_dates
        on history.as_of_date = as_of_dates.as_of_date
    inner join risk
        on
            history.as_of_date = risk.as_of_date
            and history.customer_id = risk.customer_id
    left join actions
        on
            history.as_of_date = actions.as_of_date
            and history.customer_id = actions.customer_id

),

final as (

    select
        as_of_date,
        is_current,
        country,
        lifecycle_stage,
        value_segment,
        rfm_segment,
        risk_level,
        top_risk_driver,
        action_code,
        is_in_budget,
        count(*) as customers,
        cast(sum(net_revenue) as decimal(18, 2)) as net_revenue,
        cast(sum(risk_score) as decimal(18, 2)) as risk_score_total,
        {%- for signal in risk_signals() %}
            cast(sum({{ signal }}_points) as decimal(18, 2)) as {{ signal }}_points_total,
        {%- endfor %}
        count(*) filter (where is_at_risk) as customers_at_risk,
        cast(sum(value_at_stake) as decimal(18, 2)) as value_at_stake,
        -- 0 on the current date when nobody in the row is at risk; null on
        -- earlier snapshots, which have no value at stake.
        case
            when is_current
                then cast(
                    coalesce(sum(value_at_stake) filter (where is_at_risk), 0)
                    as decimal(18, 2)
                )
        end as revenue_at_risk,
        cast(sum(unit_cost) as decimal(18, 2)) as action_cost,
        cast(sum(expected_benefit) as decimal(18, 2)) as expected_benefit,
        cast(sum(expected_benefit_low) as decimal(18, 2)) as expected_benefit_low,
        cast(sum(expected_benefit_high) as decimal(18, 2)) as expected_benefit_high,
        cast(sum(net_benefit) as decimal(18, 2)) as net_benefit,
        cast(sum(net_benefit_low) as decimal(18, 2)) as net_benefit_low,
        cast(sum(net_benefit_high) as decimal(18, 2)) as net_benefit_high
    from customers
    group by
        as_of_date,
        is_current,
        country,
        lifecycle_stage,
        value_segment,
        rfm_segment,
        risk_level,
        top_risk_driver,
        action_code,
        is_in_budget

)

select * from final
