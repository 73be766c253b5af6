{#-
    One row per as-of date and customer of int_customers_featurized: five risk signals
    scaled to 0-1, their weighted contributions in points, the 0-100 risk
    score and its level, and the two largest drivers. Signals and weights
    are in docs/decision_logic.md, thresholds in dbt_project.yml vars and
    seeds/risk_signals.csv.

    The arithmetic is decimal: each signal is rounded to 6 places and each
    contribution to 2, and the score is the sum of the contributions as
    shown, so a score of exactly 50.00 is exactly 50.00 when compared with a
    threshold, and the contributions always add up to the score.
-#}

{%- set window = var('risk_trend_window_days') %}
{%- set feature_windows = var('feature_window_days') %}
{%- if window not in feature_windows %}
    {{ exceptions.raise_compiler_error(
        "The var risk_trend_window_days is " ~ window ~ "; use one of feature_window_days, "
        ~ feature_windows | join(', ') ~ "."
    ) }}
{%- endif %}

with

features as (

    select * from {{ ref('int_customers_featurized') }}

),

signal_weights as (

    select * from {{ ref('risk_signals') }}

),

risk_levels as (

    select * from {{ ref('risk_levels') }}

),

weights as (

    select
    {%- for signal in risk_signals() %}
            max(weight) filter (where risk_signal = '{{ signal }}') as {{ signal }}_weight
            {{- ',' if not loop.last }}
    {%- endfor %}
    from signal_weights

),

facts as (

    select
        customer_id,
        as_of_date,
        recency_days,
        mean_days_between_purchases is null as is_one_time_buyer,
        coalesce(
            mean_days_between_purchases,
            {{ var('risk_one_time_buyer_gap_days') }}
        ) as expected_gap_days,
        {{ window }} as trend_window_days,
        orders_last_{{ window }}d as orders_last_window,
        orders_prev_{{ window }}d as orders_prev_window,
        net_revenue_last_{{ window }}d as net_revenue_last_window,
        net_revenue_prev_{{ window }}d as net_revenue_prev_window,
        return_rate
    from features

),

signals as (

    select
        facts.*,
        {{ double_as_decimal(
            'facts.recency_days / cast(facts.expected_gap_days as double)', 9, 2
        ) }} as overdue_ratio,
        {{ unit_interval(
            '(recency_days - ' ~ var('risk_recency_floor_days') ~ ') / ('
            ~ var('risk_recency_ceiling_days') ~ ' - ' ~ var('risk_recency_floor_days') ~ ')'
        ) }} as recency_signal,
        {{ unit_interval(
            '(recency_days / cast(expected_gap_days as double) - 1) / ('
            ~ var('risk_overdue_ceiling_ratio') ~ ' - 1)'
        ) }} as overdue_signal,
        -- The fall from the earlier window to the last. With nothing in either
        -- window the customer, who did buy before them, has gone quiet: a full
        -- decline. Without this a long-dormant customer would score no decline
        -- at all and could never reach the top risk level.
        {{ unit_interval(
            'case when orders_prev_window > 0 then (orders_prev_window - orders_last_window)'
            ~ ' / orders_prev_window when orders_last_window = 0 then 1 else 0 end'
        ) }} as frequency_decline_signal,
        {{ unit_interval(
            'case when net_revenue_prev_window > 0 then cast(net_revenue_prev_window'
            ~ ' - net_revenue_last_window as double) / net_revenue_prev_window'
            ~ ' when net_revenue_last_window <= 0 then 1 else 0 end'
        ) }} as monetary_decline_signal,
        {{ unit_interval(
            'cast(coalesce(return_rate, 0) as double) / ' ~ var('risk_return_rate_ceiling')
        ) }} as returns_signal,
        -- Whether a signal scored its gone-quiet branch above (nothing in
        -- either window), which the explanations put in words rather than
        -- as "0 against 0".
        false as is_recency_quiet,
        false as is_overdue_quiet,
        facts.orders_prev_window <= 0
        and facts.orders_last_window = 0 as is_frequency_decline_quiet,
        facts.net_revenue_prev_window <= 0
        and facts.net_revenue_last_window <= 0 as is_monetary_decline_quiet,
        false as is_returns_quiet
    from facts

),

contributions as (

    select
        signals.*,
    {%- for signal in risk_signals() %}
        cast(
            round(100 * weights.{{ signal }}_weight * signals.{{ signal }}_signal, 2)
            as decimal(6, 2)
        ) as {{ signal }}_points{{ ',' if not loop.last }}
    {%- endfor %}
    from signals
    cross join weights

),

scored as (

    select
        *,
        cast(
            {% for signal in risk_signals() -%}
                {{ signal }}_points{{ ' + ' if not loop.last }}
            {%- endfor %} as decimal(6, 2)
        ) as risk_score
    from contributions

),

ranked_drivers as (

    -- Each signal's place among the five by points, 1 for the largest.
    -- Worked out per row, it needs neither a sort nor a row per signal.
    select
        *,
    {%- for signal in risk_signals() %}
        {{ risk_signal_place(signal) }} as {{ signal }}_place{{ ',' if not loop.last }}
    {%- endfor %}
    from scored

),

drivers as (

    select
        *,
        {{ risk_driver_at(1, 'name') }} as top_risk_driver,
        {{ risk_driver_at(1, 'points') }} as top_risk_points,
        {{ risk_driver_at(2, 'name') }} as second_risk_driver,
        {{ risk_driver_at(2, 'points') }} as second_risk_points,
        {{ risk_driver_at(1, 'is_quiet') }} as is_top_risk_driver_quiet,
        {{ risk_driver_at(2, 'is_quiet') }} as is_second_risk_driver_quiet
    from ranked_drivers

),

leveled as (

    select
        *,
        case
            when risk_score >= {{ var('risk_level_critical_min_score') }} then 'critical'
            when risk_score >= {{ var('risk_level_high_min_score') }} then 'high'
            when risk_score >= {{ var('risk_level_medium_min_score') }} then 'medium'
            else 'low'
        end as risk_level
    from drivers

),

flagged as (

    -- The one definition of "at risk", what revenue at risk adds up: the
    -- levels flagged is_at_risk in seeds/risk_levels.csv.
    select
        leveled.*,
        risk_levels.is_at_risk
    from leveled
    left join risk_levels
        on leveled.risk_level = risk_levels.risk_level

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
        cast(expected_gap_days as decimal(9, 2)) as expected_gap_days,
        overdue_ratio,
        trend_window_days,
        orders_last_window,
        orders_prev_window,
        net_revenue_last_window,
        net_revenue_prev_window,
        return_rate
    from flagged

)

select * from final
