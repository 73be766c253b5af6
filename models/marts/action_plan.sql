{#-
    One row per action the rules chose for at least one customer: how many
    customers, what it costs, what it is expected to bring back, and the ROI
    at low, expected and high uplift; then the same for the customers within
    the campaign budget (all of them when no budget is set). A rollup of
    segment_metrics' current rows, so its figures are the dashboard's: each
    ROI is the summed net benefit over the summed cost.
-#}

with

metrics as (

    select * from {{ ref('segment_metrics') }}
    where is_current

),

catalogue as (

    select * from {{ ref('action_catalogue') }}

),

totals as (

    select
        as_of_date,
        action_code,
        sum(customers) as customers,
        sum(action_cost) as total_cost,
        sum(expected_benefit) as total_expected_benefit,
        sum(net_benefit) as total_net_benefit,
        sum(net_benefit_low) as total_net_benefit_low,
        sum(net_benefit_high) as total_net_benefit_high,
        coalesce(sum(customers) filter (where is_in_budget), 0) as customers_in_budget,
        coalesce(sum(action_cost) filter (where is_in_budget), 0) as cost_in_budget,
        coalesce(sum(expected_benefit) filter (where is_in_budget), 0)
            as expected_benefit_in_budget
    from metrics
    group by as_of_date, action_code

),

final as (

    select
        totals.as_of_date,
        totals.action_code,
        catalogue.action_name,
        catalogue.channel,
        cast(totals.customers as bigint) as customers,
        cast(totals.total_cost as decimal(18, 2)) as total_cost,
        cast(totals.total_expected_benefit as decimal(18, 2)) as total_expected_benefit,
        cast(totals.total_net_benefit as decimal(18, 2)) as total_net_benefit,
        {%- for band in ['', '_low', '_high'] %}
            case
                when totals.total_cost > 0
                    then {{ double_as_decimal(
                        'cast(totals.total_net_benefit' ~ band ~ ' as double)'
                        ~ ' / totals.total_cost',
                        12, 4
                    ) }}
            end as roi{{ band }},
        {%- endfor %}
        cast(totals.customers_in_budget as bigint) as customers_in_budget,
        cast(totals.cost_in_budget as decimal(18, 2)) as cost_in_budget,
        cast(totals.expected_benefit_in_budget as decimal(18, 2)) as expected_benefit_in_budget,
        cast(
            {{ var('campaign_budget') if var('campaign_budget') is not none else 'null' }}
            as decimal(18, 2)
        ) as campaign_budget
    from totals
    inner join catalogue
        on totals.action_code = catalogue.action_code

)

select * from final
