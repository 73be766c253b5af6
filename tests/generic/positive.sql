{#- Fails on every row where the column is zero, negative or null. -#}
{% test positive(model, column_name) %}

select {{ column_name }}
from {{ model }}
where not coalesce({{ column_name }} > 0, false)

{% endtest %}
