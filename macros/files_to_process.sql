{#-
    A predicate on `column` (source_file or file_key) that keeps the rows of
    the input files this per-file incremental model holds no row for yet,
    with the values written in as constants, so that DuckDB skips the other
    files instead of reading and filtering them (stg_retail__raw_lines has a
    branch per file). The files are the rows of `input_files`, which is
    ref('stg_retail__files'), queried when the model is compiled; a model
    built whole takes them all. True when that table does not exist (dbt
    compile on an empty warehouse, or a unit test, whose inputs are
    fixtures), so that nothing is filtered.
-#}
{% macro new_input_files(input_files, column) -%}
    {#- In a unit test, ref() names a fixture CTE, with no schema. -#}
    {%- if not execute or input_files.schema is none or load_relation(input_files) is none -%}
        true
    {%- else -%}
        {%- set query -%}
            select {{ column }}
            from {{ input_files }}
            {%- if is_incremental() %}
            where file_key not in (select distinct file_key from {{ this }})
            {%- endif %}
            order by file_order
        {%- endset -%}
        {%- set values = run_query(query).columns[0].values() -%}
        {%- if values | length == 0 -%}
            false
        {%- else -%}
            {{ column }} in (
                {%- for value in values %}
                {{ sql_quote(value) if value is string else value }}{{ ',' if not loop.last }}
                {%- endfor %}
            )
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#-
    The distinct source_file values of `relation`, queried when the model is
    compiled; none when it does not exist yet (dbt compile on an empty
    warehouse, a unit test).
-#}
{% macro files_holding(relation) -%}
    {%- if not execute or relation.schema is none or load_relation(relation) is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query = 'select distinct source_file from ' ~ relation ~ ' order by 1' -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{%- endmacro %}


{#-
    The rows of a per-file model (`relation`: the landing cache or one of its
    partials, which keep the rows of every file parsed so far) that belong to
    the current input, the files stg_retail__files lists now, so that a file
    gone from the input drops out of every result alike. Readers that also
    need a file's name or order join stg_retail__files themselves.
-#}
{% macro current_input_rows(relation) -%}
    select cached.*
    from {{ relation }} as cached
    where exists (
        select 1
        from {{ ref('stg_retail__files') }} as input_files
        where cached.file_key = input_files.file_key
    )
{%- endmacro %}
