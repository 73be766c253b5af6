{#-
    The five risk signals, in the order that breaks ties between drivers
    with equal points. seeds/risk_signals.csv has one row for each.
-#}
{% macro risk_signals() -%}
    {{ return(['recency', 'overdue', 'frequency_decline', 'monetary_decline', 'returns']) }}
{%- endmacro %}


{#-
    A ratio (a double) clamped to [0, 1] and rounded to 6 places as a
    decimal, so that signals, and the points built from them, compare
    exactly.
-#}
{% macro unit_interval(expression) -%}
    {{ double_as_decimal('least(greatest(' ~ expression ~ ', 0), 1)', 7, 6) }}
{%- endmacro %}


{#-
    The place of `signal` among the risk signals by points, 1 for the
    largest: one plus the signals ahead of it. Of equal points, the signal
    earlier in risk_signals() is ahead, so the ranking never depends on scan
    order.
-#}
{% macro risk_signal_place(signal) -%}
    {%- set signals = risk_signals() -%}
    (1
    {%- for other in signals if other != signal %}
        + case when {{ other }}_points
            {{- ' >= ' if signals.index(other) < signals.index(signal) else ' > ' -}}
            {{ signal }}_points then 1 else 0 end
    {%- endfor %})
{%- endmacro %}


{#-
    The name, the points, or whether it went quiet (`is_quiet`: the column
    is_<signal>_quiet) of the signal in `place` (1 or 2) by
    risk_signal_place; null when that signal has no points, since a signal
    that adds nothing drives nothing.
-#}
{% macro risk_driver_at(place, attribute) -%}
    case
    {%- for signal in risk_signals() %}
        when {{ signal }}_place = {{ place }} and {{ signal }}_points > 0
            then
            {%- if attribute == 'name' %} '{{ signal }}'
            {%- elif attribute == 'is_quiet' %} is_{{ signal }}_quiet
            {%- else %} {{ signal }}_points
            {%- endif %}
    {%- endfor %}
    end
{%- endmacro %}
