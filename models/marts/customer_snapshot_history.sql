{#-
    One row per as-of date and customer: the features, segments and risk of
    every snapshot of this build, from the first snapshot date to the
    build's own as-of date, whose rows are the current marts' rows. All are
    computed from the input by the same models in one build, so the history
    holds nothing that an earlier build left behind.
-#}

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

final as (

    select
        features.as_of_date,
        features.customer_id,
        features.country,
        features.first_purchase_date,
        features.last_purchase_date,
        features.recency_days,
        features.tenure_days,
        features.orders,
        features.purchase_days,
        features.gross_revenue,
        features.returned_revenue,
        features.net_revenue,
        features.orders_last_90d,
        features.net_revenue_last_90d,
        features.orders_last_365d,
        features.net_revenue_last_365d,
        features.run_rate_value_12m,
        segments.lifecycle_stage,
        segments.value_segment,
        segments.recency_score,
        segments.frequency_score,
        segments.monetary_score,
        segments.rfm_segment,
        risk.risk_score,
        risk.risk_level
    from features
    inner join segments
        on
            features.as_of_date = segments.as_of_date
            and features.customer_id = segments.customer_id
    inner join risk
        on
            features.as_of_date = risk.as_of_date
            and features.customer_id = risk.customer_id

)

select * from final
