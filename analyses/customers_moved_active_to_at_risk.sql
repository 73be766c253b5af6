-- Customers who were active in the previous stored snapshot and are at risk
-- in the latest one: the people who slipped, with what they were worth.
-- Needs at least two snapshots in the history. The two stages are codes of
-- seeds/lifecycle_stages.csv, set here as the question's parameters: change
-- them to ask about another move.

{%- set from_stage = 'active' %}
{%- set to_stage = 'at_risk' %}

with

history as (

    select * from {{ ref('customer_snapshot_history') }}

),

latest_two as (

    select as_of_date
    from (select distinct as_of_date from history) as snapshot_dates
    order by as_of_date desc
    limit 2

),

bounds as (

    select
        min(as_of_date) as previous_as_of_date,
        max(as_of_date) as latest_as_of_date
    from latest_two

)

select
    latest.customer_id,
    previous.as_of_date as previous_as_of_date,
    latest.as_of_date as latest_as_of_date,
    previous.recency_days as previous_recency_days,
    latest.recency_days as latest_recency_days,
    latest.net_revenue,
    latest.risk_level
from bounds
inner join history as previous
    on bounds.previous_as_of_date = previous.as_of_date
inner join history as latest
    on
        bounds.latest_as_of_date = latest.as_of_date
        and previous.customer_id = latest.customer_id
where
    bounds.previous_as_of_date < bounds.latest_as_of_date
    and previous.lifecycle_stage = '{{ from_stage }}'
    and latest.lifecycle_stage = '{{ to_stage }}'
order by latest.net_revenue desc
