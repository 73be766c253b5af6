{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='as_of_date',
        on_schema_change='append_new_columns',
        tags=['history'],
    )
}}

{#-
    One row per as-of date and customer: the features and segments of every
    snapshot built. Each build adds its as-of date; rebuilding a date
    replaces that date's rows (delete+insert on as_of_date), so a snapshot is
    never duplicated. Read from the intermediate models, so the backfill
    (python -m customer_lifecycle.backfill) can add past dates without
    touching the current marts. `dbt build --full-refresh` empties it.
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
        on features.customer_id = segments.customer_id
    inner join risk
        on features.customer_id = risk.customer_id

)

select * from final
