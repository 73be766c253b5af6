{#-
    The engine-specific parts of the explanation paragraphs: the generated
    macro explanation_sql (macros/explanation_sql.sql) is the same SQL on
    every engine and calls these for what is not.
-#}

{#-
    The number `expression`, already rounded by the caller to `places`
    decimals (a bigint when `places` is 0), as text with thousands
    separators: 1,234,567.89. No rounding happens here, so the engines'
    rounding modes cannot differ.
-#}
{% macro format_grouped(expression, places) -%}
    {{ adapter.dispatch('format_grouped', 'customer_lifecycle')(expression, places) }}
{%- endmacro %}

{#-
    DuckDB's format() takes Python's format specs; it formats a DECIMAL as
    a DOUBLE, exact to the cent below about 10^13.
-#}
{% macro duckdb__format_grouped(expression, places) -%}
    {%- if places == 0 -%}
        format('{:,d}', {{ expression }})
    {%- else -%}
        format('{:,.{{ places }}f}', {{ expression }})
    {%- endif -%}
{%- endmacro %}

{#-
    Spark's format_number groups thousands with commas; its own rounding
    (HALF_EVEN) finds nothing left to round.
-#}
{% macro spark__format_grouped(expression, places) -%}
    format_number({{ expression }}, {{ places }})
{%- endmacro %}


{#-
    `text` as a SQL string literal, for text from outside the templates
    (the currency_symbol var): an apostrophe or a backslash in it stays
    text.
-#}
{% macro explanation_string_literal(text) -%}
    {{ adapter.dispatch('explanation_string_literal', 'customer_lifecycle')(text) }}
{%- endmacro %}

{#- Standard SQL, as DuckDB reads it: a quote is doubled, a backslash is text. -#}
{% macro default__explanation_string_literal(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}

{#- Spark reads a backslash as an escape: both it and the quote are escaped. -#}
{% macro spark__explanation_string_literal(text) -%}
    '{{ text | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}
