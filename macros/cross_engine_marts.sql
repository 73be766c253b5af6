{#-
    Arithmetic that the two engines round differently, for the segments,
    risk, decisions and marts. DuckDB divides decimals as doubles; Spark
    keeps them decimal. So the models divide doubles on both engines (cast
    an operand to double), and take the quotient to a decimal with this.
-#}


{#-
    The double `expression` as decimal(precision, scale), rounded as DuckDB
    casts a double: expression x 10^scale, multiplied as a double, then
    rounded half away from zero. Spark's own cast rounds the shortest
    decimal text of the double instead (0.285 gives 0.29 there, 0.28 on
    DuckDB, whose double is 0.28499...), so on Spark the same product is
    rounded by round(), which is half away from zero on a double's exact
    value at scale 0, and scaled back as a decimal.
-#}
{% macro double_as_decimal(expression, precision, scale) -%}
    {{ return(adapter.dispatch('double_as_decimal', 'customer_lifecycle')(
        expression, precision, scale
    )) }}
{%- endmacro %}

{% macro duckdb__double_as_decimal(expression, precision, scale) -%}
    cast({{ expression }} as decimal({{ precision }}, {{ scale }}))
{%- endmacro %}

{% macro spark__double_as_decimal(expression, precision, scale) -%}
    cast(
        cast(round(cast({{ expression }} as double) * {{ 10 ** scale }}) as decimal(38, 0))
        / {{ 10 ** scale }}
        as decimal({{ precision }}, {{ scale }})
    )
{%- endmacro %}
