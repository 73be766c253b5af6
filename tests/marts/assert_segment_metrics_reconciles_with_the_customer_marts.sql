-- segment_metrics must hold every customer once: per snapshot date its
-- customers add up to the history's, and on the build's own date its money
-- adds up to the customer marts' (net revenue and revenue at risk to
-- customer_360's, value at stake, cost, benefit and net benefit to
-- customer_actions'). A row dropped by a join or counted twice by the grain
-- shows here. Returns one row per figure that differs.

with

metrics as (

    select * from {{ ref('segment_metrics') }}

),

history as (

    select * from {{ ref('customer_snapshot_history') }}

),

customer_360 as (

    select * from {{ ref('customer_360') }}

),

customer_actions as (

    select * from {{ ref('customer_actions') }}

),

metrics_customers as (

    select
        as_of_date,
        sum(customers) as customers
    from metrics
    group by as_of_date

),

history_customers as (

    select
        as_of_date,
        count(*) as customers
    from history
    group by as_of_date

),

current_metrics as (

    select
        sum(customers_at_risk) as customers_at_risk,
        sum(net_revenue) as net_revenue,
        sum(revenue_at_risk) as revenue_at_risk,
        sum(value_at_stake) as value_at_stake,
        sum(action_cost) as action_cost,
        sum(expected_benefit) as expected_benefit,
        sum(net_benefit) as net_benefit
    from metrics
    where is_current

),

current_customers as (

    select
        count(*) filter (where customer_360.is_at_risk) as customers_at_risk,
        sum(customer_360.net_revenue) as net_revenue,
        coalesce(
            sum(customer_360.value_at_stake) filter (where customer_360.is_at_risk), 0
        ) as revenue_at_risk
    from customer_360

),

current_actions as (

    select
        sum(value_at_stake) as value_at_stake,
        sum(unit_cost) as action_cost,
        sum(expected_benefit) as expected_benefit,
        sum(net_benefit) as net_benefit
    from customer_actions

),

expected as (

    select
        current_customers.*,
        current_actions.*
    from current_customers
    cross join current_actions

),

customer_counts as (

    select
        'customers on ' || cast(
            coalesce(history_customers.as_of_date, metrics_customers.as_of_date)
            as {{ dbt.type_string() }}
        ) as figure,
        cast(history_customers.customers as decimal(18, 2)) as expected_value,
        cast(metrics_customers.customers as decimal(18, 2)) as metrics_value
    from history_customers
    full outer join metrics_customers
        on history_customers.as_of_date = metrics_customers.as_of_date

),

current_figures as (

    {%- set figures = [
        'customers_at_risk', 'net_revenue', 'revenue_at_risk', 'value_at_stake',
        'action_cost', 'expected_benefit', 'net_benefit'
    ] %}
    {%- for figure in figures %}
        select
            '{{ figure }}' as figure,
            cast(expected.{{ figure }} as decimal(18, 2)) as expected_value,
            cast(current_metrics.{{ figure }} as decimal(18, 2)) as metrics_value
        from expected
        cross join current_metrics
        {{ 'union all' if not loop.last }}
    {%- endfor %}

),

checked as (

    select * from customer_counts
    union all
    select * from current_figures

)

select *
from checked
where expected_value is distinct from metrics_value
