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
        strpos({{ line }}, '"') > 0
        or strlen({{ line }}) <> length({{ line }})
        or starts_with({{ line }}, ' ')
        or ends_with({{ line }}, ' ')
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
    case
        -- A fifth character '-' picks the ISO reader, which rejects
        -- anything but digits before it.
        when strpos({{ text }}, '-') = 5
            then try_cast({{ text }} as timestamp)
        {%- for year_pattern, year_format in [('[0-9]{4}', '%Y'), ('[0-9]{2}', '%y')] %}
        when regexp_matches({{ text }}, '^[0-9]{1,2}/[0-9]{1,2}/{{ year_pattern }}([ T]|$)')
            then case {{ date_order }}
                {%- for order, day_month in [('dmy', '%d/%m'), ('mdy', '%m/%d')] %}
                when '{{ order }}'
                    then try_strptime(
                        {{ text }},
                        [
                            '{{ day_month }}/{{ year_format }} %H:%M:%S',
                            '{{ day_month }}/{{ year_format }} %H:%M',
                            '{{ day_month }}/{{ year_format }}'
                        ]
                    )
                {%- endfor %}
            end
        {%- endfor %}
    end
{%- endmacro %}


{#-
    A decimal with a point, or with a single decimal comma as semicolon
    exports write it (2,55). A lone comma is always the decimal separator,
    so "1,234" reads as 1.234: thousands separators are not supported.
-#}
{% macro parse_decimal(text) -%}
    try_cast(
        case
            when
                contains({{ text }}, ',')
                and regexp_full_match({{ text }}, '[+-]?[0-9]*,[0-9]+')
                then replace({{ text }}, ',', '.')
            else {{ text }}
        end as decimal(18, 4)
    )
{%- endmacro %}


{#-
    A whole number, written as such or with only zeros after the point
    (6, -2, 6.0, as float exports write it): 1.5 or 1.00001 is no quantity.
-#}
{% macro parse_whole_number(text) -%}
    case
        when regexp_full_match({{ text }}, '[+-]?[0-9]{1,9}([.]0*)?')
            then cast(cast({{ text }} as decimal(18, 4)) as integer)
    end
{%- endmacro %}


{#- Customer IDs are text; exports via pandas write 13085 as 13085.0. -#}
{% macro normalise_customer_id(text) -%}
    case
        when contains({{ text }}, '.')
            then regexp_replace({{ text }}, '^([0-9]+)\.0+$', '\1')
        else {{ text }}
    end
{%- endmacro %}
