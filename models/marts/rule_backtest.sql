{#-
    An honest check of the rules, not a prediction. For each snapshot of the
    build that lies at least backtest_horizon_days before its as-of date,
    the customers of each risk level and of each lifecycle stage are followed
    over the next backtest_horizon_days: how many bought again, and their
    net revenue then. If the risk levels mean anything, critical customers
    repurchase least and low-risk customers most.
-#}

with

history as (

    select * from {{ ref('customer_snapshot_history') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}
    where is_current

),

customer_days as (

    select * from {{ ref('int_customer_days_aggregated') }}

),

snapshots as (

    select distinct
        history.as_of_date as snapshot_date,
        as_of.as_of_date,
        cast(
            {{ dbt.dateadd('day', var('backtest_horizon_days'), 'history.as_of_date') }} as date
        ) as horizon_end_date
    from history
    cross join as_of
    where
        {{ dbt.dateadd('day', var('backtest_horizon_days'), 'history.as_of_date') }}
        <= as_of.as_of_date

),

snapshot_customers as (

    select
        snapshots.snapshot_date,
        snapshots.horizon_end_date,
        snapshots.as_of_date,
        history.customer_id,
        history.risk_level,
        history.lifecycle_stage
    from snapshots
    inner join history
        on snapshots.snapshot_date = history.as_of_date

),

outcomes as (

    -- Days in [snapshot_date, horizon_end_date): on or after the snapshot,
    -- which itself only saw days before it.
    select
        snapshot_customers.snapshot_date,
        snapshot_customers.customer_id,
        coalesce(sum(customer_days.sale_invoices), 0) as horizon_orders,
        coalesce(
            sum(customer_days.gross_revenue - customer_days.returned_revenue), 0
        ) as horizon_net_revenue
    from snapshot_customers
    left join customer_days
        on
            snapshot_customers.customer_id = customer_days.customer_id
            and snapshot_customers.snapshot_date <= customer_days.invoice_date
            and snapshot_customers.horizon_end_date > customer_days.invoice_date
    group by snapshot_customers.snapshot_date, snapshot_customers.customer_id

),

followed as (

    select
        snapshot_customers.*,
        outcomes.horizon_orders > 0 as has_repurchased,
        outcomes.horizon_net_revenue
    from snapshot_customers
    inner join outcomes
        on
            snapshot_customers.snapshot_date = outcomes.snapshot_date
            and snapshot_customers.customer_id = outcomes.customer_id

),

by_segment as (

    {%- for dimension in ['risk_level', 'lifecycle_stage'] %}
        select
            as_of_date,
            snapshot_date,
            horizon_end_date,
            '{{ dimension }}' as dimension,
            {{ dimension }} as segment,
            count(*) as customers,
            count(*) filter (where has_repurchased) as repurchasing_customers,
            sum(horizon_net_revenue) as horizon_net_revenue
        from followed
        group by as_of_date, snapshot_date, horizon_end_date, {{ dimension }}
        {{ 'union all' if not loop.last }}
    {%- endfor %}

),

final as (

    select
        as_of_date,
        snapshot_date,
        horizon_end_date,
        {{ var('backtest_horizon_days') }} as horizon_days,
        dimension,
        segment,
        customers,
        repurchasing_customers,
        {{ double_as_decimal('repurchasing_customers / customers', 9, 4) }} as repurchase_share,
        cast(horizon_net_revenue as decimal(18, 2)) as horizon_net_revenue,
        {{ double_as_decimal(
            'cast(horizon_net_revenue as double) / customers', 18, 2
        ) }} as net_revenue_per_customer
    from by_segment

)

select * from final
