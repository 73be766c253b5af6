-- Every one of the 125 RFM score combinations must match exactly one rule of
-- seeds/rfm_segment_rules.csv: a gap would leave customers unsegmented, an
-- overlap would make the segment depend on rule order. Returns each
-- combination matched by zero or several rules.

with

scores as (

    {% for score in range(1, 6) -%}
        select {{ score }} as score
        {%- if not loop.last %}
            union all
        {% endif %}
    {%- endfor %}

),

combinations as (

    select
        recency.score as recency_score,
        frequency.score as frequency_score,
        monetary.score as monetary_score
    from scores as recency
    cross join scores as frequency
    cross join scores as monetary

),

matches as (

    select
        combinations.recency_score,
        combinations.frequency_score,
        combinations.monetary_score,
        count(rules.rule_id) as matching_rules
    from combinations
    left join {{ ref('rfm_segment_rules') }} as rules
        on
            combinations.recency_score between rules.recency_score_min and rules.recency_score_max
            and combinations.frequency_score between rules.frequency_score_min
            and rules.frequency_score_max
            and combinations.monetary_score between rules.monetary_score_min
            and rules.monetary_score_max
    group by
        combinations.recency_score,
        combinations.frequency_score,
        combinations.monetary_score

)

select *
from matches
where matching_rules <> 1
