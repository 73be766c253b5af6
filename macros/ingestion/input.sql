{#-
    Helpers for the one place the raw input is read (stg_retail__raw_lines).
    They are DuckDB-specific on purpose: an adapter port rewrites this folder
    and the staging models, nothing else.
-#}

{% macro is_parquet_input() -%}
    {{ return(transactions_path().lower().endswith('.parquet')) }}
{%- endmacro %}


{#- Fails the build before DuckDB does, with a message that says what to do. -#}
{% macro assert_transactions_input_exists() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set path = transactions_path() -%}
    {%- set matches = run_query(
        "select count(*) from glob(" ~ source('retail', 'transactions') ~ ")"
    ).columns[0].values()[0] -%}
    {%- if matches == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Transactions input not found: '" ~ path ~ "' matches no file "
            ~ "(relative paths are read from the project root). "
            ~ "Point the var transactions_path or the env CUSTOMER_LIFECYCLE_TRANSACTIONS "
            ~ "at an existing CSV file, glob of CSV files, or Parquet file; "
            ~ "'make build' generates the bundled sample."
        ) }}
    {%- endif -%}
{%- endmacro %}


{#- Parquet column names, in file order, read from the file footer only. -#}
{% macro parquet_input_columns() -%}
    {%- set described = run_query(
        "describe select * from read_parquet("
        ~ source('retail', 'transactions') ~ ", union_by_name = true)"
    ) -%}
    {{ return(described.columns[0].values() | list) }}
{%- endmacro %}


{#-
    How a header cell is matched against seeds/column_aliases.csv: lower
    case, letters and digits only, so "Customer ID", "customer_id" and a
    byte-order mark in front of "Invoice" all normalise away.
-#}
{% macro header_key(text) -%}
    regexp_replace(lower({{ text }}), '[^a-z0-9]', '', 'g')
{%- endmacro %}


{#-
    read_csv of a CSV as one VARCHAR column `line` per physical line: no
    quote or escape character, a NUL delimiter, no sniffing, so a broken line
    cannot swallow its neighbours. Quoting is applied later, line by line.
    `extra_options` is appended to the call as written.
-#}
{% macro read_physical_lines(location, encoding, extra_options='') -%}
    read_csv(
        {{ location }},
        columns = {'line': 'VARCHAR'},
        header = false,
        auto_detect = false,
        delim = chr(0),
        quote = '',
        escape = '',
        comment = '',
        encoding = '{{ encoding }}'
        {%- if extra_options %},
        {{ extra_options }}
        {%- endif %}
    )
{%- endmacro %}
