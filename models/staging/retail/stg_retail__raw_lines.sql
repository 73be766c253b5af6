{{ config(materialized='table') }}

{#-
    The only model that reads the raw input, so a file is parsed once per
    build, and only when no earlier build has parsed it: the files whose
    key stg_retail__transaction_lines does not hold yet (all of them when
    staging is in memory; see macros/ingestion/incremental_files.sql). CSV
    arrives as one text column per physical line, decoded from UTF-8 or
    Latin-1 (see macros/ingestion/input_encoding.sql); a Parquet row is
    turned into the same shape, its values joined by the unit separator
    (chr(31)), so every later step has a single code path.
-#}

{%- set files_to_read = unseen_input_files(
    ref('stg_retail__input_files'),
    existing_model_relation('stg_retail__transaction_lines')
) | map(attribute='source_file') | list -%}
{%- set file_list -%}
    [{% for file in files_to_read %}{{ sql_quote(file) }}{{ ', ' if not loop.last }}{% endfor %}]
{%- endset %}

with

source_lines as (

    {% if files_to_read | length == 0 -%}
    -- Every file is parsed already: nothing to read.
    select
        null::varchar as source_file,
        null::varchar as raw_line
    where false
    {%- elif is_parquet_input() -%}
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
        {{ file_list }},
        filename = true,
        union_by_name = true
    )
    {%- else %}
    select
        filename as source_file,
        line as raw_line
    from {{ read_physical_lines(
        file_list,
        input_encoding(files_to_read),
        'filename = true'
    ) }}
    {%- endif %}

)

select * from source_lines
