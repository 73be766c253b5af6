{#-
    Splits one physical line into its fields.

    Lines without a double quote, nearly all of them, are split with
    string_split. A quoted line must match the whole-line CSV grammar first:
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


{% macro split_fields(line, delimiter, allow_quotes) -%}
    {{ return(adapter.dispatch('split_fields', 'customer_lifecycle')(line, delimiter, allow_quotes)) }}
{%- endmacro %}

{% macro duckdb__split_fields(line, delimiter, allow_quotes) -%}
    case
        when not {{ allow_quotes }} or strpos({{ line }}, '"') = 0
            then string_split({{ line }}, {{ delimiter }})
        {%- for candidate in delimiter_candidates() %}
        {%- set sep = candidate.regex %}
        {%- set field = '"(?:[^"]|"")*"|[^"' ~ sep ~ '][^' ~ sep ~ ']*|' %}
        when {{ delimiter }} = {{ candidate.sql }}
            then case
                when regexp_full_match(
                    {{ line }},
                    '(?:{{ field }})(?:{{ sep }}(?:{{ field }}))*'
                )
                    then list_transform(
                        regexp_extract_all(
                            {{ line }} || {{ candidate.sql }},
                            '({{ field }}){{ sep }}',
                            1
                        ),
                        lambda quoted_field: case
                            when starts_with(quoted_field, '"')
                                then replace(quoted_field[2:-2], '""', '"')
                            else quoted_field
                        end
                    )
            end
        {%- endfor %}
    end
{%- endmacro %}


{#-
    The same grammar in Java's regular expressions, which read these
    patterns as RE2 does. split() takes a pattern, so the delimiter is
    quoted as a literal.
-#}
{% macro spark__split_fields(line, delimiter, allow_quotes) -%}
    case
        when not {{ allow_quotes }} or instr({{ line }}, '"') = 0
            then split(
                {{ line }},
                concat({{ sql_quote('\\Q') }}, {{ delimiter }}, {{ sql_quote('\\E') }}),
                -1
            )
        {%- for candidate in delimiter_candidates() %}
        {%- set sep = candidate.regex %}
        {%- set field = '"(?:[^"]|"")*"|[^"' ~ sep ~ '][^' ~ sep ~ ']*|' %}
        when {{ delimiter }} = {{ candidate.sql }}
            then case
                when {{ regexp_full_match(line, sql_quote('(?:' ~ field ~ ')(?:' ~ sep ~ '(?:' ~ field ~ '))*')) }}
                    then transform(
                        regexp_extract_all(
                            {{ line }} || {{ candidate.sql }},
                            {{ sql_quote('(' ~ field ~ ')' ~ sep) }},
                            1
                        ),
                        quoted_field -> case
                            when left(quoted_field, 1) = '"'
                                then replace(
                                    substring(quoted_field, 2, length(quoted_field) - 2), '""', '"'
                                )
                            else quoted_field
                        end
                    )
            end
        {%- endfor %}
    end
{%- endmacro %}
