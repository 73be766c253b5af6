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
