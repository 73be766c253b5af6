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


{#- The length of `text` in bytes, as UTF-8. -#}
{% macro byte_length(text) -%}
    {{ return(adapter.dispatch('byte_length', 'customer_lifecycle')(text)) }}
{%- endmacro %}

{% macro duckdb__byte_length(text) -%}
    strlen({{ text }})
{%- endmacro %}

{% macro spark__byte_length(text) -%}
    octet_length({{ text }})
{%- endmacro %}


{#-
    How the per-file models (the landing cache) are built: on DuckDB
    incrementally, adding only the files not parsed yet (delete+insert by
    file); on Spark in full each build, because dbt-spark's incremental
    strategies on Parquet (append, insert_overwrite) cannot delete the rows
    of a file that left the input. is_incremental() is then false, and
    every file is read.
-#}
{% macro per_file_materialization() -%}
    {{ return(adapter.dispatch('per_file_materialization', 'customer_lifecycle')()) }}
{%- endmacro %}

{% macro default__per_file_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro spark__per_file_materialization() -%}
    {{ return('table') }}
{%- endmacro %}


{#- A timestamp from microseconds since 1970-01-01 00:00:00. -#}
{% macro timestamp_from_micros(micros) -%}
    {{ return(adapter.dispatch('timestamp_from_micros', 'customer_lifecycle')(micros)) }}
{%- endmacro %}

{% macro duckdb__timestamp_from_micros(micros) -%}
    make_timestamp({{ micros }})
{%- endmacro %}

{% macro spark__timestamp_from_micros(micros) -%}
    timestamp_micros({{ micros }})
{%- endmacro %}


{#- `text` without any of the characters of `characters` (SQL) at either end. -#}
{% macro trim_chars(text, characters) -%}
    {{ return(adapter.dispatch('trim_chars', 'customer_lifecycle')(text, characters)) }}
{%- endmacro %}

{% macro duckdb__trim_chars(text, characters) -%}
    trim({{ text }}, {{ characters }})
{%- endmacro %}

{% macro spark__trim_chars(text, characters) -%}
    btrim({{ text }}, {{ characters }})
{%- endmacro %}


{#-
    One row per piece of `text` cut at every `delimiter` (both SQL over the
    rows of `relation`, a CTE): the relation's `key` column, the piece as
    `cell`, and its position from 1 as `field_position`. Empty pieces count.
-#}
{% macro split_with_positions(relation, key, text, delimiter) -%}
    {{ return(adapter.dispatch('split_with_positions', 'customer_lifecycle')(
        relation, key, text, delimiter
    )) }}
{%- endmacro %}

{% macro duckdb__split_with_positions(relation, key, text, delimiter) -%}
    select
        {{ relation }}.{{ key }},
        cells.cell,
        cells.field_position
    from {{ relation }}
    cross join unnest({{ split_on_text(text, delimiter) }})
        with ordinality as cells (cell, field_position)
{%- endmacro %}

{% macro spark__split_with_positions(relation, key, text, delimiter) -%}
    select
        {{ relation }}.{{ key }},
        cells.cell,
        cells.position + 1 as field_position
    from {{ relation }}
    lateral view posexplode({{ split_on_text(text, delimiter) }}) cells as position, cell
{%- endmacro %}


{#- `text` cut at every `delimiter` (not a pattern), as a list; empty pieces count. -#}
{% macro split_on_text(text, delimiter) -%}
    {{ return(adapter.dispatch('split_on_text', 'customer_lifecycle')(text, delimiter)) }}
{%- endmacro %}

{% macro duckdb__split_on_text(text, delimiter) -%}
    string_split({{ text }}, {{ delimiter }})
{%- endmacro %}

{#- split() takes a regular expression: the delimiter is quoted as a literal. -#}
{% macro spark__split_on_text(text, delimiter) -%}
    split({{ text }}, concat({{ sql_quote('\\Q') }}, {{ delimiter }}, {{ sql_quote('\\E') }}), -1)
{%- endmacro %}


{#- `body` (SQL naming `variable`) applied to each item of `list`. -#}
{% macro list_transform(list, variable, body) -%}
    {{ return(adapter.dispatch('list_transform', 'customer_lifecycle')(list, variable, body)) }}
{%- endmacro %}

{% macro duckdb__list_transform(list, variable, body) -%}
    list_transform({{ list }}, lambda {{ variable }}: {{ body }})
{%- endmacro %}

{% macro spark__list_transform(list, variable, body) -%}
    transform({{ list }}, {{ variable }} -> {{ body }})
{%- endmacro %}


{#- The number of items of a list (DuckDB) or array (Spark). -#}
{% macro list_size(list) -%}
    {{ return(adapter.dispatch('list_size', 'customer_lifecycle')(list)) }}
{%- endmacro %}

{% macro duckdb__list_size(list) -%}
    len({{ list }})
{%- endmacro %}

{#- Spark's size() is -1 for a null array; DuckDB's len() is null. -#}
{% macro spark__list_size(list) -%}
    case when {{ list }} is not null then size({{ list }}) end
{%- endmacro %}


{#- The item at `position`, counted from 1; null past the end. -#}
{% macro list_element(list, position) -%}
    {{ return(adapter.dispatch('list_element', 'customer_lifecycle')(list, position)) }}
{%- endmacro %}

{% macro duckdb__list_element(list, position) -%}
    {{ list }}[{{ position }}]
{%- endmacro %}

{#- element_at() counts from 1 too; try_ gives null for a position past the end. -#}
{% macro spark__list_element(list, position) -%}
    try_element_at({{ list }}, {{ position }})
{%- endmacro %}


{#- `text` with every match of `pattern` replaced (Spark replaces all; DuckDB needs 'g'). -#}
{% macro regexp_replace_all(text, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'customer_lifecycle')(text, pattern, replacement)) }}
{%- endmacro %}

{% macro duckdb__regexp_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro spark__regexp_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}


{#-
    stg_retail__raw_lines is a view on DuckDB, so that a model asking for
    some files reads only those. On Spark it is a table: its SQL has a
    branch per input file, and the Derby metastore keeps a view's text in
    at most 32,700 characters, which about twenty files exceed; the lines
    are then also numbered once, not once per reader.
-#}
{% macro raw_lines_materialization() -%}
    {{ return(adapter.dispatch('raw_lines_materialization', 'customer_lifecycle')()) }}
{%- endmacro %}

{% macro default__raw_lines_materialization() -%}
    {{ return('view') }}
{%- endmacro %}

{% macro spark__raw_lines_materialization() -%}
    {{ return('table') }}
{%- endmacro %}
