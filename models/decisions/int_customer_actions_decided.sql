{#-
    One row per customer of the current snapshot (the build's own as-of
    date; earlier snapshots get no action): the action the ordered rule
    table picks, with its economics. Every rule that matches the customer's stage, value segment
    and risk level (`*` matches anything) is a candidate; the lowest rule_id
    whose action clears the var min_roi wins (an action that contacts nobody,
    is_contact false in the catalogue, always does). The
    first matching rule's proposal is kept beside the choice, and
    decision_reason says which of the four outcomes happened.

    value_at_stake is the yearly value the customer has shown: the larger of
    their 12-month run rate and their net revenue per year of tenure (at
    least a year), never below 0. It is revenue, and an action is paid for
    out of the margin on what it brings, not out of the revenue:
    expected_benefit = value_at_stake x uplift x the var gross_margin_rate
    (the contribution the action is expected to bring); net_benefit =
    benefit - cost; roi = net_benefit / cost; break_even_uplift = cost /
    (value_at_stake x gross_margin_rate), the uplift at which roi is 0.
-#}

{%- set gross_margin_rate = var('gross_margin_rate') %}
{%- if gross_margin_rate is not number or gross_margin_rate is boolean
    or not (0 < gross_margin_rate <= 1) %}
    {{ exceptions.raise_compiler_error(
        "The var gross_margin_rate is " ~ gross_margin_rate
        ~ "; give the contribution margin as a share of revenue, above 0 and"
        ~ " at most 1 (for example 0.3 for 30%)."
    ) }}
{%- endif %}
{#- Four decimals, as the column shows it, so the column is what was used. -#}
{%- set margin = 'cast(' ~ gross_margin_rate ~ ' as decimal(5, 4))' %}

with

features as (

    select * from {{ ref('int_customers_featurized') }}

),

segments as (

    select * from {{ ref('int_customers_segmented') }}

),

risk as (

    select * from {{ ref('int_customers_risk_scored') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}
    where is_current

),

rules as (

    select * from {{ ref('action_rules') }}

),

catalogue as (

    select * from {{ ref('action_catalogue') }}

),

customers as (

    select
        features.customer_id,
        features.as_of_date,
        segments.lifecycle_stage,
        segments.value_segment,
        risk.risk_level,
        {{ double_as_decimal(
            'greatest(cast(features.run_rate_value_12m as double), '
            ~ 'cast(features.net_revenue * ' ~ var('days_per_year') ~ ' as double)'
            ~ ' / greatest(features.tenure_days, ' ~ var('days_per_year') ~ '), 0)',
            18, 2
        ) }} as value_at_stake
    from features
    inner join as_of
        on features.as_of_date = as_of.as_of_date
    inner join segments
        on
            features.as_of_date = segments.as_of_date
            and features.customer_id = segments.customer_id
    inner join risk
        on
            features.as_of_date = risk.as_of_date
            and features.customer_id = risk.customer_id

),

candidates as (

    select
        customers.customer_id,
        customers.as_of_date,
        customers.lifecycle_stage,
        customers.value_segment,
        customers.risk_level,
        customers.value_at_stake,
        rules.rule_id,
        catalogue.action_code,
        catalogue.action_name,
        catalogue.channel,
        catalogue.is_contact,
        catalogue.unit_cost,
        catalogue.expected_uplift,
        catalogue.uplift_low,
        catalogue.uplift_high,
    {%- set uplift_bands = [
        ('', 'expected_uplift'), ('_low', 'uplift_low'), ('_high', 'uplift_high')
    ] %}
    {%- for band, uplift in uplift_bands %}
        cast(
            customers.value_at_stake * catalogue.{{ uplift }} * {{ margin }}
            as decimal(18, 2)
        ) as expected_benefit{{ band }}{{ ',' if not loop.last }}
    {%- endfor %}
    from customers
    inner join rules
        on
            rules.lifecycle_stage in ('*', customers.lifecycle_stage)
            and rules.value_segment in ('*', customers.value_segment)
            and rules.risk_level in ('*', customers.risk_level)
    inner join catalogue
        on rules.action_code = catalogue.action_code

),

priced as (

    select
        *,
        cast(expected_benefit - unit_cost as decimal(18, 2)) as net_benefit,
        {%- for band in ['', '_low', '_high'] %}
            case
                when unit_cost > 0
                    then {{ double_as_decimal(
                        'cast(expected_benefit' ~ band ~ ' - unit_cost as double) / unit_cost',
                        12, 4
                    ) }}
            end as roi{{ band }},
        {%- endfor %}
        case
            when value_at_stake * {{ margin }} > 0
                then {{ double_as_decimal(
                    'cast(unit_cost as double) / (value_at_stake * ' ~ margin ~ ')', 12, 4
                ) }}
        end as break_even_uplift,
        row_number() over (partition by customer_id order by rule_id) as match_order
    from candidates

),

judged as (

    -- A free action is eligible when it gains anything; not contacting
    -- anyone always is.
    select
        *,
        not is_contact
        or coalesce(roi >= {{ var('min_roi') }}, unit_cost = 0 and net_benefit >= 0)
            as is_eligible
    from priced

),

first_matches as (

    select *
    from judged
    where match_order = 1

),

chosen as (

    select *
    from judged
    where is_eligible
    qualify row_number() over (partition by customer_id order by rule_id) = 1

),

final as (

    select
        chosen.customer_id,
        chosen.as_of_date,
        chosen.lifecycle_stage,
        chosen.value_segment,
        chosen.risk_level,
        chosen.rule_id as action_rule_id,
        chosen.action_code,
        chosen.action_name,
        chosen.channel,
        chosen.is_contact,
        chosen.unit_cost,
        chosen.expected_uplift,
        chosen.uplift_low,
        chosen.uplift_high,
        chosen.value_at_stake,
        chosen.expected_benefit,
        chosen.expected_benefit_low,
        chosen.expected_benefit_high,
        chosen.net_benefit,
        chosen.roi,
        chosen.roi_low,
        chosen.roi_high,
        chosen.break_even_uplift,
        case
            when not first_matches.is_contact then 'no_action_by_rule'
            when chosen.rule_id = first_matches.rule_id then 'first_matching_rule'
            when not chosen.is_contact then 'no_action_low_roi'
            else 'fallback_after_low_roi'
        end as decision_reason,
        first_matches.rule_id as first_rule_id,
        first_matches.action_code as first_rule_action_code,
        first_matches.action_name as first_rule_action_name,
        first_matches.roi as first_rule_roi,
        cast({{ var('min_roi') }} as decimal(9, 4)) as min_roi,
        {{ margin }} as gross_margin_rate
    from chosen
    inner join first_matches
        on chosen.customer_id = first_matches.customer_id

)

select * from final
