{#-
    The three RFM dimensions and the customer_features column each is
    scored on. Recency is scored in reverse: fewer days is better.
-#}
{% macro rfm_dimensions() -%}
    {{ return([
        ('recency', 'recency_days'),
        ('frequency', 'orders'),
        ('monetary', 'net_revenue'),
    ]) }}
{%- endmacro %}


{#-
    The score of `metric` under the fixed bounds of the seed
    rfm_score_thresholds (the CTE score_thresholds of the calling model):
    lower bound inclusive, upper exclusive, empty for none.
-#}
{% macro fixed_rfm_score(dimension, metric) -%}
    (
        select score_thresholds.score
        from score_thresholds
        where
            score_thresholds.score_dimension = '{{ dimension }}'
            and ranked.{{ metric }}
            >= coalesce(score_thresholds.lower_bound, ranked.{{ metric }})
            and ranked.{{ metric }}
            < coalesce(score_thresholds.upper_bound, ranked.{{ metric }} + 1)
    )
{%- endmacro %}
