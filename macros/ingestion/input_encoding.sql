{#-
    The encoding to read the CSV `files` (paths) with: the var
    input_encoding when it is 'utf-8' or 'latin-1', else ('auto') found by
    probing the head of each file. DuckDB reads UTF-8 and Latin-1 natively but stops the whole read
    at the first byte its encoding does not allow, so the choice has to be
    made before the real read.

    The probe reads up to `probe_lines` lines of each file as UTF-8 with
    ignore_errors and store_rejects, which turns an invalid byte into a row
    of the rejects table instead of an error. A file with such a row is
    Latin-1. Files that disagree stop the build: one read_csv call takes one
    encoding, and splitting the read would break the line numbering.
-#}
{% macro input_encoding(files, probe_lines=100000) -%}
    {%- set setting = var('input_encoding') -%}
    {%- if setting in ('utf-8', 'latin-1') -%}
        {{ return(setting) }}
    {%- elif setting != 'auto' -%}
        {{ exceptions.raise_compiler_error(
            "The var input_encoding is '" ~ setting ~ "'; use auto, utf-8 or latin-1."
        ) }}
    {%- endif -%}

    {%- if not execute or files | length == 0 -%}
        {{ return('utf-8') }}
    {%- endif -%}
    {%- set probe -%}
        select count(*) from (
            {%- for file in files %}
            select 1 from (
                select 1
                from {{ read_physical_lines(
                    sql_quote(file),
                    'utf-8',
                    "ignore_errors = true, store_rejects = true,"
                    ~ " rejects_table = 'encoding_probe_errors',"
                    ~ " rejects_scan = 'encoding_probe_scans'"
                ) }}
                limit {{ probe_lines }}
            )
            {{ 'union all' if not loop.last }}
            {%- endfor %}
        );
        select distinct scans.file_path
        from encoding_probe_errors as errors
        inner join encoding_probe_scans as scans
            on errors.scan_id = scans.scan_id
            and errors.file_id = scans.file_id
        where errors.error_type = 'INVALID ENCODING'
        order by scans.file_path
    {%- endset -%}
    {%- set latin1_files = run_query(probe).columns[0].values() | list -%}
    {%- do run_query('drop table if exists encoding_probe_errors; drop table if exists encoding_probe_scans') -%}

    {%- if latin1_files | length == 0 -%}
        {{ return('utf-8') }}
    {%- elif latin1_files | length == files | length -%}
        {{ return('latin-1') }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        "The input files are not all in one encoding: " ~ (latin1_files | join(', '))
        ~ " are not UTF-8, the others are. Convert those to UTF-8"
        ~ " (iconv -f latin1 -t utf-8 FILE > FILE.utf8.csv) and build again: forcing one"
        ~ " encoding with the var input_encoding would garble the other files' text."
    ) }}
{%- endmacro %}

