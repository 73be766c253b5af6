{#-
    A predicate that is true, or stops the query with `message` (a SQL string
    expression) when `condition` holds. Used in WHERE clauses to turn a
    broken invariant into a build failure that says what is wrong.
-#}
{% macro raise_if(condition, message) -%}
    (case when {{ condition }} then error({{ message }}) else true end)
{%- endmacro %}


{#- A Jinja string as a SQL string literal, quotes escaped. -#}
{% macro sql_quote(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}
