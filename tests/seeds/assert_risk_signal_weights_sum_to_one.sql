-- The risk score is 100 x the weighted sum of five 0-1 signals, so the
-- weights must sum to exactly 1 for the score to span 0 to 100, and every
-- signal of macros/risk.sql must have a row. The seed's one other row,
-- `none` (no driver), must weigh nothing. Returns a row when any fails.

with

signals as (

    select
        *,
        risk_signal in ({{ "'" ~ risk_signals() | join("', '") ~ "'" }})
            as is_scored
    from {{ ref('risk_signals') }}

)

select
    sum(weight) as total_weight,
    count(*) filter (where is_scored) as signals,
    count(*) as seed_rows
from signals
having
    sum(weight) <> 1
    or count(*) filter (where is_scored) <> {{ risk_signals() | length }}
    or count(*) <> {{ risk_signals() | length }} + 1
