{#-
    A predicate that is true, or stops the query with `message` (a SQL string
    expression) when `condition` holds. Used in WHERE clauses to turn a
    broken invariant into a build failure that says what is wrong.
-#}
{% macro raise_if(condition, message) -%}
    (case when {{ condition }} then {{ raise_error(message) }} else true end)
{%- endmacro %}


{#- An expression that stops the query with `message`, typed to fit a boolean branch. -#}
{% macro raise_error(message) -%}
    {{ return(adapter.dispatch('raise_error', 'customer_lifecycle')(message)) }}
{%- endmacro %}

{% macro duckdb__raise_error(message) -%}
    error({{ message }})
{%- endmacro %}

{#- Spark's raise_error() returns null; the cast gives the branch the boolean type. -#}
{% macro spark__raise_error(message) -%}
    cast(raise_error({{ message }}) as boolean)
{%- endmacro %}


{#- A Jinja string as a SQL string literal that reads back as exactly `value`. -#}
{% macro sql_quote(value) -%}
    {{ return(adapter.dispatch('sql_quote', 'customer_lifecycle')(value | string)) }}
{%- endmacro %}

{% macro default__sql_quote(value) -%}
    {{ return("'" ~ value | replace("'", "''") ~ "'") }}
{%- endmacro %}

{#- Spark reads a backslash in a literal as an escape ('\t' is a tab). -#}
{% macro spark__sql_quote(value) -%}
    {{ return("'" ~ value | replace("\\", "\\\\") | replace("'", "\\'") ~ "'") }}
{%- endmacro %}
