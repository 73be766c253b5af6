{#-
    Fails on every row where the boolean SQL expression is not true. Several
    row rules of one table are best written as one expression, so the table
    is scanned once.
-#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where not coalesce({{ expression }}, false)

{% endtest %}
