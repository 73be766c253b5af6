{#-
    One row per lifecycle stage and value segment present in the current
    snapshot: customers, their net revenue, average risk score, and the
    revenue at risk, which is the value at stake of the customers flagged
    is_at_risk. A rollup of segment_metrics' current rows, so its figures
    are the dashboard's: the average is the summed scores over the summed
    customers.
-#}

with

metrics as (

    select * from {{ ref('segment_metrics') }}
    where is_current

),

final as (

    select
        as_of_date,
        lifecycle_stage,
        value_segment,
        cast(sum(customers) as bigint) as customers,
        cast(sum(net_revenue) as decimal(18, 2)) as net_revenue,
        {{ double_as_decimal(
            'cast(sum(risk_score_total) as double) / sum(customers)', 6, 2
        ) }} as avg_risk_score,
        cast(sum(customers_at_risk) as bigint) as customers_at_risk,
        cast(sum(revenue_at_risk) as decimal(18, 2)) as revenue_at_risk
    from metrics
    group by as_of_date, lifecycle_stage, value_segment

)

select * from final
