{#-
    One row per pair of consecutive snapshot dates of the build and per
    from-stage x to-stage: how many customers moved, and the net revenue
    they carry. A customer absent from the earlier snapshot (first purchase
    in between) comes from 'not_yet_customer'. A customer of the earlier
    snapshot is always in the later one, which sees every day the earlier
    saw. Each earlier stage's row sum equals its customer count, and each
    later stage's column sum equals its count
    (tests/marts/assert_segment_migration_balances.sql).
-#}

with

as_of_dates as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}

),

history as (

    select * from {{ ref('customer_snapshot_history') }}

),

snapshot_pairs as (

    select
        from_as_of_date,
        to_as_of_date
    from (
        select
            lag(as_of_date) over (order by as_of_date) as from_as_of_date,
            as_of_date as to_as_of_date
        from as_of_dates
    ) as consecutive_dates
    where from_as_of_date is not null

),

moves as (

    select
        snapshot_pairs.from_as_of_date,
        snapshot_pairs.to_as_of_date,
        coalesce(earlier.lifecycle_stage, 'not_yet_customer') as from_stage,
        later.lifecycle_stage as to_stage,
        later.net_revenue,
        later.net_revenue - coalesce(earlier.net_revenue, 0) as net_revenue_change
    from snapshot_pairs
    inner join history as later
        on snapshot_pairs.to_as_of_date = later.as_of_date
    left join history as earlier
        on
            snapshot_pairs.from_as_of_date = earlier.as_of_date
            and later.customer_id = earlier.customer_id

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
