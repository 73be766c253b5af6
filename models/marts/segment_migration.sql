{#-
    One row per pair of consecutive snapshots in the history and per
    from-stage x to-stage: how many customers moved, and the net revenue
    they carry. A customer absent from the earlier snapshot (first purchase
    in between) comes from 'not_yet_customer'; one absent from the later
    snapshot (possible only when snapshots were built from different
    inputs) goes to 'not_in_snapshot'. Each earlier stage's row sum
    equals its customer count, and each later stage's column sum equals its
    count (tests/marts/assert_segment_migration_balances.sql).
-#}

with

history as (

    select * from {{ ref('customer_snapshot_history') }}

),

snapshot_pairs as (

    select
        lag(as_of_date) over (order by as_of_date) as from_as_of_date,
        as_of_date as to_as_of_date
    from (select distinct as_of_date from history) as snapshot_dates

),

earlier_customers as (

    select
        snapshot_pairs.from_as_of_date,
        snapshot_pairs.to_as_of_date,
        history.customer_id,
        history.lifecycle_stage,
        history.net_revenue
    from snapshot_pairs
    inner join history
        on snapshot_pairs.from_as_of_date = history.as_of_date

),

later_customers as (

    select
        snapshot_pairs.from_as_of_date,
        snapshot_pairs.to_as_of_date,
        history.customer_id,
        history.lifecycle_stage,
        history.net_revenue
    from snapshot_pairs
    inner join history
        on snapshot_pairs.to_as_of_date = history.as_of_date
    where snapshot_pairs.from_as_of_date is not null

),

moves as (

    select
        coalesce(earlier.from_as_of_date, later.from_as_of_date) as from_as_of_date,
        coalesce(earlier.to_as_of_date, later.to_as_of_date) as to_as_of_date,
        coalesce(earlier.lifecycle_stage, 'not_yet_customer') as from_stage,
        coalesce(later.lifecycle_stage, 'not_in_snapshot') as to_stage,
        coalesce(later.net_revenue, 0) as net_revenue,
        coalesce(later.net_revenue, 0) - coalesce(earlier.net_revenue, 0) as net_revenue_change
    from earlier_customers as earlier
    full outer join later_customers as later
        on
            earlier.to_as_of_date = later.to_as_of_date
            and earlier.customer_id = later.customer_id

),

final as (

    select
        from_as_of_date,
        to_as_of_date,
        from_stage,
        to_stage,
        count(*) as customers,
        cast(sum(net_revenue) as decimal(18, 2)) as net_revenue,
        cast(sum(net_revenue_change) as decimal(18, 2)) as net_revenue_change
    from moves
    group by from_as_of_date, to_as_of_date, from_stage, to_stage

)

select * from final
