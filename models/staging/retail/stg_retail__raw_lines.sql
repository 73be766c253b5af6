{{ config(materialized='table') }}

{#-
    The only model that reads the raw input, so the file is parsed once per
    build. CSV arrives as one text column per physical line; a Parquet row
    is turned into the same shape, its values joined by the unit separator
    (chr(31)), so every later step has a single code path.
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
    from {{ source('retail', 'transactions') }}
    {%- else %}
    select
        filename as source_file,
        line as raw_line
    from {{ source('retail', 'transactions') }}
    {%- endif %}

),

final as (

    select
        source_file,
        {{ decode_mixed_encoding('raw_line') }} as raw_line
    from source_lines

)

select * from final
