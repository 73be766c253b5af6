{#-
    Typed parsing of one text field. Each macro returns null when the text
    cannot be parsed; the caller turns that null into a rejection reason, so
    nothing is dropped here.
-#}

{#-
    Whether any field of a line may start or end with a space, so that
    trim() (the costliest step of parsing a clean file) runs only on such
    lines. trim() removes Unicode space separators; in ASCII that is the
    space alone, so an ASCII line without quotes needs it only where a space
    touches a delimiter or an end of the line. A quoted value is only known
    after unquoting, and non-ASCII text may hold other spaces: those lines
    are always trimmed.
-#}
{% macro may_have_padded_fields(line, delimiter_then_space, space_then_delimiter) -%}
    (
        instr({{ line }}, '"') > 0
        or {{ byte_length(line) }} <> length({{ line }})
        or left({{ line }}, 1) = ' '
        or right({{ line }}, 1) = ' '
        or contains({{ line }}, {{ delimiter_then_space }})
        or contains({{ line }}, {{ space_then_delimiter }})
    )
{%- endmacro %}


{#-
    Null for the var null_tokens ('', NA, N/A, ...), compared
    case-insensitively; the text otherwise. Expects trimmed text. Only text
    no longer than the longest token is looked up, because the lookup is a
    join that would otherwise run for every value.
-#}
{% macro null_if_token(text) -%}
    {%- set tokens = var('null_tokens') | map('lower') | list -%}
    {%- set longest = tokens | map('length') | max if tokens else 0 -%}
    {#- Spark refuses an empty IN list, so no token at all is no comparison at all. -#}
    {%- if not tokens -%}
    {{ text }}
    {%- else -%}
    case
        when
            length({{ text }}) <= {{ longest }}
            and lower({{ text }}) in (
                {%- for token in tokens -%}
                {{ sql_quote(token) }}{{ ', ' if not loop.last }}
                {%- endfor -%}
            )
            then null
        else {{ text }}
    end
    {%- endif -%}
{%- endmacro %}


{#-
    ISO timestamps (2009-12-01 07:45:00, with or without seconds or a T),
    and slash dates with a four- or two-digit year (12/1/2010 8:26,
    2/20/11 11:39). `date_order` (a SQL expression: 'mdy' or 'dmy', the
    file's, from stg_retail__file_scans) says whether slash dates are
    month-first or day-first. The year's length picks the format, because
    %Y would read "11" as the year 11.
-#}
{% macro parse_timestamp(text, date_order) -%}
    {{ parse_timestamp_text(text, date_order) }}
{%- endmacro %}


{#-
    How the numbers of a file are written, decided from its delimiter: a
    locale whose decimal separator is a comma cannot export comma-delimited
    text without quoting every price, so its exports use semicolons or tabs.
    'decimal_comma' (semicolon or tab) reads 2,55 and 1.234,50;
    'decimal_point' (comma, pipe, Parquet) reads a comma as a thousands
    separator (1,234.50). docs/assumptions.md has the whole rule.
-#}
{% macro number_format(field_delimiter) -%}
    case
        when {{ field_delimiter }} in (';', chr(9)) then 'decimal_comma'
        else 'decimal_point'
    end
{%- endmacro %}


{#-
    The text of a number as DuckDB casts it, with a decimal point and no
    thousands separator, or null when it fits neither reading of its file's
    number_format. Text without a comma is returned as it is, in either
    format, so nearly every value costs one contains() before its cast. With
    a comma, 'decimal_comma' wants a decimal comma, with dots only between
    groups of three digits before it; 'decimal_point' wants commas between
    groups of three digits (1,23 and 12,34,5 are no number).
-#}
{% macro decimal_point_text(text, number_format) -%}
    case
        when not contains({{ text }}, ',') then {{ text }}
        when {{ number_format }} = 'decimal_comma'
            then
                case
                    when {{ regexp_full_match(
                        text, "'[+-]?([0-9]{1,3}([.][0-9]{3})+|[0-9]*),[0-9]+'"
                    ) }}
                        then replace(replace({{ text }}, '.', ''), ',', '.')
                end
        when {{ regexp_full_match(text, "'[+-]?[0-9]{1,3}(,[0-9]{3})+([.][0-9]+)?'") }}
            then replace({{ text }}, ',', '')
    end
{%- endmacro %}


{#- A decimal in its file's number format, rounded to 4 places. -#}
{% macro parse_decimal(text, number_format) -%}
    {{ cast_to_decimal(decimal_point_text(text, number_format)) }}
{%- endmacro %}


{#-
    A whole number in its file's number format, written as such or with only
    zeros after the decimal separator (6, -2, 6.0, 1,200 where commas group
    thousands): 1.5 or 1.00001 is no quantity. Checked on the text, because
    a cast to a decimal would round 1.00001 to 1 first. Nine digits at most,
    so that it fits an integer.
-#}
{% macro parse_whole_number(text, number_format) -%}
    {%- set whole = "'[+-]?[0-9]{1,9}([.]0*)?'" -%}
    {%- set point_text = decimal_point_text(text, number_format) -%}
    case
        -- Without a comma, the text is its own decimal point text.
        when {{ regexp_full_match(text, whole) }}
            then cast(cast({{ text }} as decimal(18, 4)) as integer)
        when contains({{ text }}, ',') and {{ regexp_full_match(point_text, whole) }}
            then cast(cast({{ point_text }} as decimal(18, 4)) as integer)
    end
{%- endmacro %}


{#-
    Customer IDs are text, but exports write one numeric ID in many forms:
    pandas as 13085.0, spreadsheets as 1.3085E+04, some systems zero-padded
    or signed. Every form of one integer becomes its plain digits, without
    leading zeros (DECISIONLOG.md), by string arithmetic on the digits, so
    that no ID passes through a double and loses digits. Scientific notation
    needs a point in the mantissa, as float writers put one, so that a code
    such as 12E45 stays text. Anything else, a fraction (13085.5) included,
    is kept as written.
-#}
{% macro normalise_customer_id(text) -%}
    case
        -- The usual forms, plain digits or digits and .0, by one match.
        when {{ regexp_full_match(text, "'[1-9][0-9]*([.]0*)?'") }}
            then
                case
                    when contains({{ text }}, '.') then left({{ text }}, instr({{ text }}, '.') - 1)
                    else {{ text }}
                end
        -- Signed or zero-padded integers (-1, +7, 013085), a few matches.
        when {{ regexp_full_match(text, "'[+-]?[0-9]+'") }}
            then
                case
                    when {{ regexp_full_match(text, "'[+-]?0+'") }} then '0'
                    else {{ regexp_keep_group(text, "'^[+]?(-?)0*'", 1) }}
                end
        -- The rest, rare, by string arithmetic on the parts of the number.
        when {{ regexp_full_match(
            text,
            "'[+-]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]{1,2})?'"
        ) }}
            then coalesce({{ customer_id_from_number_parts(text) }}, {{ text }})
        else {{ text }}
    end
{%- endmacro %}
