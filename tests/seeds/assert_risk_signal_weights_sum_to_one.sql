-- The risk score is 100 x the weighted sum of five 0-1 signals, so the
-- weights must sum to exactly 1 for the score to span 0 to 100, and every
-- signal must have a weight. Returns a row when either fails.

with

weights as (

    select * from {{ ref('risk_signals') }}

)

select
    sum(weight) as total_weight,
    count(*) as signals
from weights
having sum(weight) <> 1 or count(*) <> {{ risk_signals() | length }}
