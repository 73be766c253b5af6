{#-
    Splits one physical line into its fields.

    Lines without a double quote, nearly all of them, are split with
    a plain split on the delimiter. A quoted line must match the whole-line CSV grammar first:
    a quote that is never closed, or a closing quote followed by anything but
    a delimiter, makes the line malformed (null fields) instead of silently
    eating into the next field. A field that does not start with a quote may
    contain quotes (12" RECORD), as real exports do.

    The delimiter is per file, so the grammar is written out once for each
    candidate: RE2 patterns must be constant to be compiled once.
-#}
{#- Each candidate as a SQL expression and as an RE2 literal. -#}
{% macro delimiter_candidates() -%}
    {{ return([
        {'sql': "','", 'regex': ','},
        {'sql': "';'", 'regex': ';'},
        {'sql': "chr(9)", 'regex': '\\t'},
        {'sql': "'|'", 'regex': '\\|'},
    ]) }}
{%- endmacro %}


{#-
    Written once for both engines: the patterns read the same in RE2
    (DuckDB) and Java (Spark), and the few functions that differ are
    dispatched (split_on_text, list_transform, regexp_full_match).
-#}
{% macro split_fields(line, delimiter, allow_quotes) -%}
    case
        when not {{ allow_quotes }} or instr({{ line }}, '"') = 0
            then {{ split_on_text(line, delimiter) }}
        {%- for candidate in delimiter_candidates() %}
        {%- set sep = candidate.regex %}
        {%- set field = '"(?:[^"]|"")*"|[^"' ~ sep ~ '][^' ~ sep ~ ']*|' %}
        {%- set fields -%}
            regexp_extract_all(
                {{ line }} || {{ candidate.sql }},
                {{ sql_quote('(' ~ field ~ ')' ~ sep) }},
                1
            )
        {%- endset %}
        {%- set unquoted -%}
            case
                when left(quoted_field, 1) = '"'
                    then replace(substring(quoted_field, 2, length(quoted_field) - 2), '""', '"')
                else quoted_field
            end
        {%- endset %}
        when {{ delimiter }} = {{ candidate.sql }}
            then case
                when {{ regexp_full_match(line, sql_quote('(?:' ~ field ~ ')(?:' ~ sep ~ '(?:' ~ field ~ '))*')) }}
                    then {{ list_transform(fields, 'quoted_field', unquoted) }}
            end
        {%- endfor %}
    end
{%- endmacro %}
