-- The risk score histogram must hold every customer of every snapshot in
-- exactly one bin: per snapshot date its customers add up to the history's.
-- Returns each date whose counts differ.

with

distribution as (

    select * from {{ ref('risk_score_distribution') }}

),

history as (

    select * from {{ ref('customer_snapshot_history') }}

),

binned_customers as (

    select
        as_of_date,
        sum(customers) as customers
    from distribution
    group by as_of_date

),

history_customers as (

    select
        as_of_date,
        count(*) as customers
    from history
    group by as_of_date

)

select
    coalesce(history_customers.as_of_date, binned_customers.as_of_date) as as_of_date,
    history_customers.customers as history_customers,
    binned_customers.customers as binned_customers
from history_customers
full outer join binned_customers
    on history_customers.as_of_date = binned_customers.as_of_date
where history_customers.customers is distinct from binned_customers.customers
