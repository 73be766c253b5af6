-- The ROI of each action at low, expected and high uplift, with the uplift
-- at which it breaks even: which actions still pay if customers respond
-- worse than the catalogue assumes. The benefits are contribution (value at
-- stake x uplift x the var gross_margin_rate), so every ROI here is on margin.

with

plan as (

    select * from {{ ref('action_plan') }}

),

catalogue as (

    select * from {{ ref('action_catalogue') }}

)

select
    plan.action_code,
    plan.customers,
    plan.total_cost,
    catalogue.uplift_low,
    catalogue.expected_uplift,
    catalogue.uplift_high,
    plan.roi_low,
    plan.roi,
    plan.roi_high,
    -- The uplift at which the whole plan for this action breaks even: the
    -- benefit is proportional to the uplift, margin included.
    case
        when plan.total_expected_benefit > 0
            then plan.total_cost / plan.total_expected_benefit * catalogue.expected_uplift
    end as break_even_uplift
from plan
inner join catalogue
    on plan.action_code = catalogue.action_code
where catalogue.is_contact
order by plan.roi desc
