-- The migration matrix must balance against the history it came from: for
-- each pair of snapshots, the customers leaving each earlier stage add up to
-- that stage's count in the earlier snapshot, and those arriving in each
-- later stage add up to its count in the later one. Returns each stage whose
-- totals differ.

with

migration as (

    select * from {{ ref('segment_migration') }}

),

history as (

    select * from {{ ref('customer_snapshot_history') }}

),

stage_counts as (

    select
        as_of_date,
        lifecycle_stage,
        count(*) as customers
    from history
    group by as_of_date, lifecycle_stage

),

moved_out as (

    select
        from_as_of_date as as_of_date,
        from_stage as lifecycle_stage,
        sum(customers) as customers
    from migration
    where from_stage <> 'not_yet_customer'
    group by from_as_of_date, from_stage

),

moved_in as (

    select
        to_as_of_date as as_of_date,
        to_stage as lifecycle_stage,
        sum(customers) as customers
    from migration
    group by to_as_of_date, to_stage

),

snapshot_pairs as (

    select distinct
        from_as_of_date,
        to_as_of_date
    from migration

),

expected_out as (

    select stage_counts.*
    from stage_counts
    inner join snapshot_pairs on stage_counts.as_of_date = snapshot_pairs.from_as_of_date

),

expected_in as (

    select stage_counts.*
    from stage_counts
    inner join snapshot_pairs on stage_counts.as_of_date = snapshot_pairs.to_as_of_date

)

select
    'out' as direction,
    coalesce(expected_out.as_of_date, moved_out.as_of_date) as as_of_date,
    coalesce(expected_out.lifecycle_stage, moved_out.lifecycle_stage) as lifecycle_stage,
    expected_out.customers as expected_customers,
    moved_out.customers as migrated_customers
from expected_out
full outer join moved_out
    on
        expected_out.as_of_date = moved_out.as_of_date
        and expected_out.lifecycle_stage = moved_out.lifecycle_stage
where expected_out.customers is distinct from moved_out.customers

union all

select
    'in' as direction,
    coalesce(expected_in.as_of_date, moved_in.as_of_date) as as_of_date,
    coalesce(expected_in.lifecycle_stage, moved_in.lifecycle_stage) as lifecycle_stage,
    expected_in.customers as expected_customers,
    moved_in.customers as migrated_customers
from expected_in
full outer join moved_in
    on
        expected_in.as_of_date = moved_in.as_of_date
        and expected_in.lifecycle_stage = moved_in.lifecycle_stage
where expected_in.customers is distinct from moved_in.customers
