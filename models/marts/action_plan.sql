{#-
    One row per action the rules chose for at least one customer: how many
    customers, what it costs, what it is expected to bring back, and the ROI
    at low, expected and high uplift; then the same for the customers within
    the campaign budget (all of them when no budget is set).
-#}

with

actions as (

    select * from {{ ref('int_customer_actions_budgeted') }}

),

totals as (

    select
        as_of_date,
        action_code,
        action_name,
        channel,
        count(*) as customers,
        sum(unit_cost) as total_cost,
        sum(expected_benefit) as total_expected_benefit,
        sum(expected_benefit_low) as total_expected_benefit_low,
        sum(expected_benefit_high) as total_expected_benefit_high,
        count(*) filter (where is_in_budget) as customers_in_budget,
        coalesce(sum(unit_cost) filter (where is_in_budget), 0) as cost_in_budget,
        coalesce(sum(expected_benefit) filter (where is_in_budget), 0)
            as expected_benefit_in_budget,
        max(campaign_budget) as campaign_budget
    from actions
    group by as_of_date, action_code, action_name, channel

),

final as (

    select
        as_of_date,
        action_code,
        action_name,
        channel,
        customers,
        cast(total_cost as decimal(18, 2)) as total_cost,
        cast(total_expected_benefit as decimal(18, 2)) as total_expected_benefit,
        cast(total_expected_benefit - total_cost as decimal(18, 2)) as total_net_benefit,
        {%- for band in ['', '_low', '_high'] %}
            case
                when total_cost > 0
                    then cast(
                        (total_expected_benefit{{ band }} - total_cost) / total_cost
                        as decimal(12, 4)
                    )
            end as roi{{ band }},
        {%- endfor %}
        customers_in_budget,
        cast(cost_in_budget as decimal(18, 2)) as cost_in_budget,
        cast(expected_benefit_in_budget as decimal(18, 2)) as expected_benefit_in_budget,
        campaign_budget
    from totals

)

select * from final
