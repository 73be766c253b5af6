{#-
    The histogram of risk scores: one row per snapshot date x country x
    lifecycle stage x value segment x risk level x bin of risk_score_bin_width
    points present in the data, over every snapshot date of the history. Bins
    are [start, end), except the last, [100 - width, 100], which holds the
    scores of exactly 100. customers is additive: a filtered histogram is the
    sum of its rows per bin.
-#}

{%- set width = var('risk_score_bin_width') %}
{%- if width is not number or width <= 0 or (100 / width) != (100 / width) | int %}
    {{ exceptions.raise_compiler_error(
        "The var risk_score_bin_width is " ~ width
        ~ "; use a number of points that divides 100, such as 5, 10 or 2.5."
    ) }}
{%- endif %}

with

history as (

    select * from {{ ref('customer_snapshot_history') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates_resolved') }}

),

binned as (

    select
        history.as_of_date,
        as_of_dates.is_current,
        history.country,
        history.lifecycle_stage,
        history.value_segment,
        history.risk_level,
        cast(
            least(
                floor(history.risk_score / {{ width }}) * {{ width }},
                100 - {{ width }}
            ) as decimal(6, 2)
        ) as risk_score_bin_start
    from history
    inner join as_of_dates
        on history.as_of_date = as_of_dates.as_of_date

),

final as (

    select
        as_of_date,
        is_current,
        country,
        lifecycle_stage,
        value_segment,
        risk_level,
        risk_score_bin_start,
        cast(risk_score_bin_start + {{ width }} as decimal(6, 2)) as risk_score_bin_end,
        count(*) as customers
    from binned
    group by
        as_of_date,
        is_current,
        country,
        lifecycle_stage,
        value_segment,
        risk_level,
        risk_score_bin_start

)

select * from final
