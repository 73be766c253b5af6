{#-
    The few SQL functions that DuckDB and Spark spell differently. Models
    call these, or dbt's own cross-database macros, and nothing else
    engine-specific; each pair below gives the same result on both engines.
-#}


{#- The value of `value` on the row where `ordering` is largest (ties: any of them). -#}
{% macro arg_max(value, ordering) -%}
    {{ return(adapter.dispatch('arg_max', 'customer_lifecycle')(value, ordering)) }}
{%- endmacro %}

{% macro duckdb__arg_max(value, ordering) -%}
    arg_max({{ value }}, {{ ordering }})
{%- endmacro %}

{% macro spark__arg_max(value, ordering) -%}
    max_by({{ value }}, {{ ordering }})
{%- endmacro %}


{% macro arg_min(value, ordering) -%}
    {{ return(adapter.dispatch('arg_min', 'customer_lifecycle')(value, ordering)) }}
{%- endmacro %}

{% macro duckdb__arg_min(value, ordering) -%}
    arg_min({{ value }}, {{ ordering }})
{%- endmacro %}

{% macro spark__arg_min(value, ordering) -%}
    min_by({{ value }}, {{ ordering }})
{%- endmacro %}


{#- The values of `value` joined by `separator` (SQL), in the order of `order_by` (SQL). -#}
{% macro ordered_string_agg(value, separator, order_by) -%}
    {{ return(adapter.dispatch('ordered_string_agg', 'customer_lifecycle')(value, separator, order_by)) }}
{%- endmacro %}

{% macro duckdb__ordered_string_agg(value, separator, order_by) -%}
    string_agg({{ value }}, {{ separator }} order by {{ order_by }})
{%- endmacro %}

{% macro spark__ordered_string_agg(value, separator, order_by) -%}
    listagg({{ value }}, {{ separator }}) within group (order by {{ order_by }})
{%- endmacro %}


{#-
    A 63-bit hash of the values (SQL expressions) as a BIGINT: a key for
    grouping and joining within one engine. The two engines hash
    differently, so a key is never compared across them.
-#}
{% macro row_hash(values) -%}
    {{ return(adapter.dispatch('row_hash', 'customer_lifecycle')(values)) }}
{%- endmacro %}

{% macro duckdb__row_hash(values) -%}
    cast(hash({{ values | join(', ') }}) >> 1 as bigint)
{%- endmacro %}

{% macro spark__row_hash(values) -%}
    xxhash64({{ values | join(', ') }})
{%- endmacro %}


{#- True when `text` matches the regular expression `pattern` (SQL) as a whole. -#}
{% macro regexp_full_match(text, pattern) -%}
    {{ return(adapter.dispatch('regexp_full_match', 'customer_lifecycle')(text, pattern)) }}
{%- endmacro %}

{% macro duckdb__regexp_full_match(text, pattern) -%}
    regexp_full_match({{ text }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regexp_full_match(text, pattern) -%}
    ({{ text }} rlike concat('^(?:', {{ pattern }}, ')$'))
{%- endmacro %}
