{#-
    int_customer_actions_decided plus the campaign budget. With the var
    campaign_budget set, customers with an action are ranked by net benefit
    (ties by customer_id) and taken in that order while the running cost
    stays within the budget; the rest are marked is_in_budget = false.
    Without a budget, everyone with an action is in. An action that contacts
    nobody (is_contact false in the catalogue) is never in.
-#}

with

decisions as (

    select * from {{ ref('int_customer_actions_decided') }}

),

ranked as (

    select
        *,
        case
            when is_contact
                then cast(row_number() over (
                    partition by is_contact
                    order by net_benefit desc, customer_id asc
                ) as bigint)
        end as contact_rank,
        case
            when is_contact
                then cast(sum(unit_cost) over (
                    partition by is_contact
                    order by net_benefit desc, customer_id asc
                    rows between unbounded preceding and current row
                ) as decimal(18, 2))
        end as cumulative_cost
    from decisions

),

final as (

    select
        *,
        {%- if var('campaign_budget') is none %}
            is_contact as is_in_budget,
            cast(null as decimal(18, 2)) as campaign_budget
        {%- else %}
            is_contact
            and cumulative_cost <= {{ var('campaign_budget') }} as is_in_budget,
            cast({{ var('campaign_budget') }} as decimal(18, 2)) as campaign_budget
        {%- endif %}
    from ranked

)

select * from final
