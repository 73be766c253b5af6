-- This week's call list for the retention team: every customer the plan
-- says to phone and who fits the campaign budget, best net benefit first,
-- with the reason in plain words to read before dialling.

with

customers as (

    select * from {{ ref('customer_360') }}

)

select
    customer_id,
    country,
    action_name,
    risk_level,
    risk_score,
    value_at_stake,
    expected_benefit,
    net_benefit,
    explanation
from customers
where
    channel = 'phone'
    and is_in_budget
order by net_benefit desc, customer_id asc
