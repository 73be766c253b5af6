{{ config(materialized='table') }}

{#-
    The only model that reads the raw input, so the file is parsed once per
    build. CSV arrives as one text column per physical line, decoded from
    UTF-8 or Latin-1 (see macros/ingestion/input_encoding.sql); a Parquet
    row is turned into the same shape, its values joined by the unit
    separator (chr(31)), so every later step has a single code path.
-#}

{%- if execute %}{{ assert_transactions_input_exists() }}{% endif %}

with

source_lines as (

    {% if is_parquet_input() -%}
    {%- set parquet_columns = parquet_input_columns() if execute else [] %}
    select
        filename as source_file,
        concat_ws(
            chr(31),
            {%- for column in parquet_columns %}
            coalesce(cast({{ adapter.quote(column) }} as varchar), ''){{ ',' if not loop.last }}
            {%- endfor %}
        ) as raw_line
    from read_parquet(
        {{ source('retail', 'transactions') }},
        filename = true,
        union_by_name = true
    )
    {%- else %}
    select
        filename as source_file,
        line as raw_line
    from {{ read_physical_lines(
        source('retail', 'transactions'),
        input_encoding() if execute else 'utf-8',
        'filename = true'
    ) }}
    {%- endif %}

)

select * from source_lines
