{#-
    The five risk signals, in the order that breaks ties between drivers
    with equal points. seeds/risk_signal_weights.csv has one row for each.
-#}
{% macro risk_signals() -%}
    {{ return(['recency', 'overdue', 'frequency_decline', 'monetary_decline', 'returns']) }}
{%- endmacro %}


{#-
    A ratio clamped to [0, 1] and rounded to 6 places as a decimal, so that
    signals, and the points built from them, compare exactly.
-#}
{% macro unit_interval(expression) -%}
    cast(least(greatest({{ expression }}, 0), 1) as decimal(7, 6))
{%- endmacro %}
