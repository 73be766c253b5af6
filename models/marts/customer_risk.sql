{#- The current snapshot's risk scores, signals and drivers. -#}

with

as_of as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}
    where is_current

),

risk as (

    select * from {{ ref('int_customers_risk_scored') }}

),

current_risk as (

    select risk.*
    from risk
    inner join as_of
        on risk.as_of_date = as_of.as_of_date

),

final as (

    select
        customer_id,
        as_of_date,
        risk_score,
        risk_level,
        is_at_risk,
        top_risk_driver,
        top_risk_points,
        second_risk_driver,
        second_risk_points,
        is_top_risk_driver_quiet,
        is_second_risk_driver_quiet,
        {%- for signal in risk_signals() %}
            {{ signal }}_signal,
            {{ signal }}_points,
        {%- endfor %}
        recency_days,
        is_one_time_buyer,
        expected_gap_days,
        overdue_ratio,
        trend_window_days,
        orders_last_window,
        orders_prev_window,
        net_revenue_last_window,
        net_revenue_prev_window,
        return_rate
    from current_risk

)

select * from final
