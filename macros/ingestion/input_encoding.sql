{#-
    What reading the CSV file at `path` needs to know before it starts,
    from a sample of its first `sample_lines` lines: the encoding to decode
    it with, and the mean length of a line in bytes.

    The encoding is the var input_encoding when it is 'utf-8' or 'latin-1',
    else ('auto') found from the sample: DuckDB reads UTF-8 and Latin-1
    natively but stops the whole read at the first byte its encoding does
    not allow, so the choice has to be made before the real read. The
    sample is read as UTF-8 with ignore_errors and store_rejects, which turn
    an invalid byte into a row of the rejects table instead of an error; a
    file with such a row is Latin-1. Each file is sampled on its own, so the
    files of a glob may differ.

    The mean line length tells stg_retail__raw_lines where to cut a large
    file into ranges of lines that are read at the same time.
-#}
{% macro sample_csv_file(path, sample_lines=100000) -%}
    {%- set setting = var('input_encoding') -%}
    {%- if setting not in ('auto', 'utf-8', 'latin-1') -%}
        {{ exceptions.raise_compiler_error(
            "The var input_encoding is '" ~ setting ~ "'; use auto, utf-8 or latin-1."
        ) }}
    {%- endif -%}
    {%- if not execute -%}
        {{ return({'encoding': 'utf-8', 'line_bytes': 1}) }}
    {%- endif -%}
    {%- set probe -%}
        select
            count(*),
            coalesce(sum(strlen(coalesce(line, ''))), 0)
        from (
            select line
            from {{ read_physical_lines(
                sql_quote(path),
                'utf-8' if setting == 'auto' else setting,
                "ignore_errors = true, store_rejects = true,"
                ~ " rejects_table = 'encoding_probe_errors',"
                ~ " rejects_scan = 'encoding_probe_scans'"
            ) }}
            limit {{ sample_lines }}
        );
    {%- endset -%}
    {%- set sample = run_query(probe).rows[0] -%}
    {%- set invalid_bytes = run_query(
        "select count(*) from encoding_probe_errors where error_type = 'INVALID ENCODING'"
    ).columns[0].values()[0] -%}
    {%- do run_query('drop table if exists encoding_probe_errors; drop table if exists encoding_probe_scans') -%}
    {%- set encoding = setting if setting != 'auto' else ('latin-1' if invalid_bytes > 0 else 'utf-8') -%}
    {#- A line ending is a byte or two more than the text; one is enough for a cut. -#}
    {%- set line_bytes = (sample[1] / sample[0] + 1) if sample[0] > 0 else 1 -%}
    {{ return({'encoding': encoding, 'line_bytes': line_bytes}) }}
{%- endmacro %}
