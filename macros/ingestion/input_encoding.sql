{#-
    The encoding to read the CSV file at `path` with: the var input_encoding
    when it is 'utf-8' or 'latin-1', else ('auto') found by probing the
    file's head. DuckDB reads UTF-8 and Latin-1 natively but stops the whole
    read at the first byte its encoding does not allow, so the choice has to
    be made before the real read. Each file is probed on its own, so the
    files of a glob may differ.

    The probe reads up to `probe_lines` lines as UTF-8 with ignore_errors
    and store_rejects, which turns an invalid byte into a row of the rejects
    table instead of an error. A file with such a row is Latin-1.
-#}
{% macro input_encoding(path, probe_lines=100000) -%}
    {%- set setting = var('input_encoding') -%}
    {%- if setting in ('utf-8', 'latin-1') -%}
        {{ return(setting) }}
    {%- elif setting != 'auto' -%}
        {{ exceptions.raise_compiler_error(
            "The var input_encoding is '" ~ setting ~ "'; use auto, utf-8 or latin-1."
        ) }}
    {%- endif -%}
    {%- if not execute -%}
        {{ return('utf-8') }}
    {%- endif -%}
    {%- set probe -%}
        select count(*) from (
            select 1
            from {{ read_physical_lines(
                sql_quote(path),
                'utf-8',
                "ignore_errors = true, store_rejects = true,"
                ~ " rejects_table = 'encoding_probe_errors',"
                ~ " rejects_scan = 'encoding_probe_scans'"
            ) }}
            limit {{ probe_lines }}
        );
        select count(*)
        from encoding_probe_errors
        where error_type = 'INVALID ENCODING'
    {%- endset -%}
    {%- set invalid_bytes = run_query(probe).columns[0].values()[0] -%}
    {%- do run_query('drop table if exists encoding_probe_errors; drop table if exists encoding_probe_scans') -%}
    {{ return('latin-1' if invalid_bytes > 0 else 'utf-8') }}
{%- endmacro %}
