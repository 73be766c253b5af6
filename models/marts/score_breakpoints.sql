{#-
    One row per as-of date, RFM dimension and score: the range of the
    metric that earned the score, so anyone can read why a customer got R=2.
    One set for every snapshot date of the build, each from that
    snapshot's own scores.
-#}

with

history as (

    select * from {{ ref('customer_snapshot_history') }}

),

score_thresholds as (

    select * from {{ ref('rfm_score_thresholds') }}

),

scores as (

    {%- for dimension, metric in rfm_dimensions() %}
        select
            as_of_date,
            '{{ dimension }}' as score_dimension,
            '{{ metric }}' as metric,
            {{ dimension }}_score as score,
            cast({{ metric }} as decimal(18, 2)) as metric_value
        from history
        {{ 'union all' if not loop.last }}
    {%- endfor %}

),

observed as (

    select
        as_of_date,
        score_dimension,
        metric,
        score,
        count(*) as customers,
        min(metric_value) as min_value,
        max(metric_value) as max_value
    from scores
    group by as_of_date, score_dimension, metric, score

),

final as (

    select
        observed.as_of_date,
        observed.score_dimension,
        observed.score,
        observed.metric,
        '{{ var("rfm_scoring_method") }}' as scoring_method,
        observed.customers,
        observed.min_value,
        observed.max_value,
        -- Rule bounds only exist for fixed scoring; quantiles have none.
        case
            when {{ sql_quote(var('rfm_scoring_method')) }} = 'fixed'
                then cast(score_thresholds.lower_bound as decimal(18, 2))
        end as rule_lower_bound,
        case
            when {{ sql_quote(var('rfm_scoring_method')) }} = 'fixed'
                then cast(score_thresholds.upper_bound as decimal(18, 2))
        end as rule_upper_bound
    from observed
    left join score_thresholds
        on
            observed.score_dimension = score_thresholds.score_dimension
            and observed.score = score_thresholds.score

)

select * from final
