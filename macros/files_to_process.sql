{#-
    The input files (rows of `input_files`, which is
    ref('stg_retail__files')) that this per-file incremental model holds no
    row for yet, as source_file and file_key, in read order: all of them
    when the model is built whole. Models kept by file (the landing cache
    int_transaction_lines_validated and the per-file partials) use it to
    read only new files, with the keys written into the query as constants,
    so that DuckDB skips the other files instead of reading and filtering
    them. Compiled before stg_retail__files exists (dbt compile on an empty
    warehouse), it is empty.
-#}
{% macro files_to_process(input_files) -%}
    {%- if not execute or load_relation(input_files) is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query -%}
        select source_file, file_key
        from {{ input_files }}
        {%- if is_incremental() %}
        where file_key not in (select distinct file_key from {{ this }})
        {%- endif %}
        order by file_order
    {%- endset -%}
    {{ return(run_query(query).rows | list) }}
{%- endmacro %}


{#- A SQL list of the file keys of `files` (files_to_process's rows), never empty. -#}
{% macro file_key_list(files) -%}
    ({{ files | map(attribute='file_key') | join(', ') if files else 'null' }})
{%- endmacro %}
