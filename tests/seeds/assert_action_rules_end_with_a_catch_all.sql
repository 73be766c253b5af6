-- Every customer must get a decision: the last rule has to match anyone
-- (all wildcards) and say no_action, so that when every other matching
-- action fails the ROI test the customer still gets a row. Returns a row
-- when the last rule is anything else.

with

rules as (

    select * from {{ ref('action_rules') }}

),

last_rule as (

    select *
    from rules
    order by rule_id desc
    limit 1

)

select *
from last_rule
where not (
    lifecycle_stage = '*'
    and value_segment = '*'
    and risk_level = '*'
    and action_code = 'no_action'
)
