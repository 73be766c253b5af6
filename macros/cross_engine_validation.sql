{#-
    The engine-specific SQL of parsing (macros/ingestion/parse_values.sql),
    validation and the features: each pair gives the same result on DuckDB
    and Spark. Kept out of macros/ingestion and macros/validation, whose
    macros are each named in the landing cache's key; the parsing macros
    that call these render them into the key all the same.
-#}


{#- True when `text` contains a match of the regular expression `pattern` (SQL). -#}
{% macro regexp_matches(text, pattern) -%}
    {{ return(adapter.dispatch('regexp_matches', 'customer_lifecycle')(text, pattern)) }}
{%- endmacro %}

{% macro duckdb__regexp_matches(text, pattern) -%}
    regexp_matches({{ text }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regexp_matches(text, pattern) -%}
    ({{ text }} rlike {{ pattern }})
{%- endmacro %}


{#-
    `text` with every match of the regular expression `pattern` (SQL)
    replaced by the text of its capture group number `group`.
-#}
{% macro regexp_keep_group(text, pattern, group) -%}
    {{ return(adapter.dispatch('regexp_keep_group', 'customer_lifecycle')(text, pattern, group)) }}
{%- endmacro %}

{% macro duckdb__regexp_keep_group(text, pattern, group) -%}
    regexp_replace({{ text }}, {{ pattern }}, '\{{ group }}', 'g')
{%- endmacro %}

{#- Java names a group $1, and replaces every match without a flag. -#}
{% macro spark__regexp_keep_group(text, pattern, group) -%}
    regexp_replace({{ text }}, {{ pattern }}, '${{ group }}')
{%- endmacro %}


{#- True when `text` starts with `prefix` (SQL expressions). -#}
{% macro starts_with(text, prefix) -%}
    {{ return(adapter.dispatch('starts_with', 'customer_lifecycle')(text, prefix)) }}
{%- endmacro %}

{% macro duckdb__starts_with(text, prefix) -%}
    starts_with({{ text }}, {{ prefix }})
{%- endmacro %}

{% macro spark__starts_with(text, prefix) -%}
    startswith({{ text }}, {{ prefix }})
{%- endmacro %}


{#- The values of `value` in a group, as a list (an aggregate). -#}
{% macro list_agg(value) -%}
    {{ return(adapter.dispatch('list_agg', 'customer_lifecycle')(value)) }}
{%- endmacro %}

{% macro duckdb__list_agg(value) -%}
    list({{ value }})
{%- endmacro %}

{% macro spark__list_agg(value) -%}
    collect_list({{ value }})
{%- endmacro %}


{#- One row per element of the list `values`, in a select list; none for an empty or null list. -#}
{% macro unnest_list(values) -%}
    {{ return(adapter.dispatch('unnest_list', 'customer_lifecycle')(values)) }}
{%- endmacro %}

{% macro duckdb__unnest_list(values) -%}
    unnest({{ values }})
{%- endmacro %}

{% macro spark__unnest_list(values) -%}
    explode({{ values }})
{%- endmacro %}


{#-
    Whether `text` is LIKE any pattern of the list `patterns` (backslash
    escapes); null when none matches and `text` is null.
-#}
{% macro like_any_of(text, patterns) -%}
    {{ return(adapter.dispatch('like_any_of', 'customer_lifecycle')(text, patterns)) }}
{%- endmacro %}

{% macro duckdb__like_any_of(text, patterns) -%}
    list_bool_or(list_transform(
        {{ patterns }},
        lambda like_pattern: like_escape({{ text }}, like_pattern, '\')
    ))
{%- endmacro %}

{#- Spark's LIKE escapes with a backslash already. -#}
{% macro spark__like_any_of(text, patterns) -%}
    exists({{ patterns }}, like_pattern -> {{ text }} like like_pattern)
{%- endmacro %}


{#- The values (SQL expressions) as one value that orders by them in turn. -#}
{% macro ordering_tuple(values) -%}
    {{ return(adapter.dispatch('ordering_tuple', 'customer_lifecycle')(values)) }}
{%- endmacro %}

{% macro duckdb__ordering_tuple(values) -%}
    ({{ values | join(', ') }})
{%- endmacro %}

{% macro spark__ordering_tuple(values) -%}
    struct({{ values | join(', ') }})
{%- endmacro %}


{#-
    An aggregate: the `n` rows where `ordering` is smallest, as a list of
    structs with the `fields` (a dict of name: SQL expression), of the rows
    where `condition` holds; null when none does.
-#}
{% macro smallest_rows(fields, ordering, n, condition) -%}
    {{ return(adapter.dispatch('smallest_rows', 'customer_lifecycle')(fields, ordering, n, condition)) }}
{%- endmacro %}

{% macro duckdb__smallest_rows(fields, ordering, n, condition) -%}
    min_by(
        {
            {%- for name, value in fields.items() %}
            '{{ name }}': {{ value }}{{ ',' if not loop.last }}
            {%- endfor %}
        },
        {{ ordering }},
        {{ n }}
    ) filter (where {{ condition }})
{%- endmacro %}

{#- Spark gives an empty array where DuckDB gives null. -#}
{% macro spark__smallest_rows(fields, ordering, n, condition) -%}
    case
        when count(*) filter (where {{ condition }}) > 0
            then min_by(
                named_struct(
                    {%- for name, value in fields.items() %}
                    '{{ name }}', {{ value }}{{ ',' if not loop.last }}
                    {%- endfor %}
                ),
                {{ ordering }},
                {{ n }}
            ) filter (where {{ condition }})
    end
{%- endmacro %}


{#-
    Number text as a decimal(18, 4), or null: DuckDB's cast, which also
    reads an underscore between two digits as nothing (1_000).
-#}
{% macro cast_to_decimal(text) -%}
    {{ return(adapter.dispatch('cast_to_decimal', 'customer_lifecycle')(text)) }}
{%- endmacro %}

{% macro duckdb__cast_to_decimal(text) -%}
    try_cast({{ text }} as decimal(18, 4))
{%- endmacro %}

{% macro spark__cast_to_decimal(text) -%}
    case
        when not {{ text }} rlike '(^|[^0-9])_|_($|[^0-9])'
            then cast(replace({{ text }}, '_', '') as decimal(18, 4))
    end
{%- endmacro %}


{#-
    Slash dates (12/1/2010 8:26, 2/20/11 11:39) in `date_order` ('dmy' or
    'mdy', a SQL expression) and ISO timestamps; macros/ingestion's
    parse_timestamp says which. Spark accepts what DuckDB's strptime and
    timestamp cast accept: one- or two-digit day, month, hour, minute and
    second, two-digit years 69-99 in the 1900s, ISO dates with a space or
    a T, fractions of a second, an ignored zone or offset, 24:00:00.
-#}
{% macro parse_timestamp_text(text, date_order) -%}
    {{ return(adapter.dispatch('parse_timestamp_text', 'customer_lifecycle')(text, date_order)) }}
{%- endmacro %}

{% macro duckdb__parse_timestamp_text(text, date_order) -%}
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
    The parts are taken by regular expressions and put together by
    make_timestamp, which gives null for a day or time that does not exist.
-#}
{% macro spark__parse_timestamp_text(text, date_order) -%}
    {%- set time = '(?:([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2})' -%}
    {%- set iso = '^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:T| +)' ~ time
        ~ '(?:[.]([0-9]*))?)?)?)? *(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?| *UTC)?$' -%}
    {%- set slash = '^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4}|[0-9]{2})(?: +' ~ time ~ ')?))?$' -%}
    {%- set iso_part = "regexp_extract(" ~ text ~ ", " ~ sql_quote(iso) ~ ", GROUP)" -%}
    {%- set slash_part = "regexp_extract(" ~ text ~ ", " ~ sql_quote(slash) ~ ", GROUP)" -%}
    case
        when instr({{ text }}, '-') = 5 and {{ text }} rlike {{ sql_quote(iso) }}
            then {{ spark_timestamp_from_parts(
                iso_part.replace('GROUP', '1'), iso_part.replace('GROUP', '2'), iso_part.replace('GROUP', '3'),
                iso_part.replace('GROUP', '4'), iso_part.replace('GROUP', '5'), iso_part.replace('GROUP', '6'), iso_part.replace('GROUP', '7'),
                true
            ) }}
        when {{ text }} rlike {{ sql_quote(slash) }}
            then {{ spark_timestamp_from_parts(
                "case when length(" ~ slash_part.replace('GROUP', '3') ~ ") = 2 then "
                ~ "cast(" ~ slash_part.replace('GROUP', '3') ~ " as int)"
                ~ " + case when cast(" ~ slash_part.replace('GROUP', '3') ~ " as int) >= 69 then 1900 else 2000 end"
                ~ " else cast(" ~ slash_part.replace('GROUP', '3') ~ " as int) end",
                "case " ~ date_order ~ " when 'dmy' then " ~ slash_part.replace('GROUP', '2')
                ~ " when 'mdy' then " ~ slash_part.replace('GROUP', '1') ~ " end",
                "case " ~ date_order ~ " when 'dmy' then " ~ slash_part.replace('GROUP', '1')
                ~ " when 'mdy' then " ~ slash_part.replace('GROUP', '2') ~ " end",
                slash_part.replace('GROUP', '4'), slash_part.replace('GROUP', '5'), slash_part.replace('GROUP', '6'), "''",
                false
            ) }}
    end
{%- endmacro %}

{#-
    Empty text for a missing time part. make_timestamp reads second 60 as
    the next minute, which DuckDB rejects; DuckDB's ISO reader (`iso`) takes
    24:00:00 as the next midnight, its strptime no hour 24.
-#}
{% macro spark_timestamp_from_parts(year, month, day, hour, minute, second, fraction, iso) -%}
    case
        when cast({{ second }} as int) >= 60 then null
        {%- if iso %}
        when cast({{ hour }} as int) = 24
            then case
                when cast({{ minute }} as int) = 0 and coalesce(cast({{ second }} as int), 0) = 0
                    and coalesce(cast({{ fraction }} as int), 0) = 0
                    then make_timestamp({{ year }}, {{ month }}, {{ day }}, 0, 0, 0) + interval 1 day
            end
        {%- endif %}
        else make_timestamp(
            cast({{ year }} as int),
            cast({{ month }} as int),
            cast({{ day }} as int),
            coalesce(cast({{ hour }} as int), 0),
            coalesce(cast({{ minute }} as int), 0),
            cast(
                coalesce(nullif({{ second }}, ''), '0') || '.' || left({{ fraction }} || '000000', 6)
                as decimal(8, 6)
            )
        )
    end
{%- endmacro %}


{#-
    The rare customer ids of normalise_customer_id: a number with a point or
    an exponent (13085.0, 1.3085E+04), as the digits of the integer it is,
    or null when it is not one. String arithmetic on the parts, so that no
    id passes through a double.
-#}
{% macro customer_id_from_number_parts(text) -%}
    {{ return(adapter.dispatch('customer_id_from_number_parts', 'customer_lifecycle')(text)) }}
{%- endmacro %}

{% macro duckdb__customer_id_from_number_parts(text) -%}
    {#- Where the decimal point goes, counted back from the end of the digits. -#}
    {%- set shift = "(coalesce(try_cast(id['exponent'] as integer), 0) - length(id['fraction']))" -%}
    {%- set digits = "(id['whole'] || id['fraction'])" -%}
    -- A one-element list, so that the parts are extracted once.
    list_transform(
        [regexp_extract(
            {{ text }},
            '^([+-]?)([0-9]*)[.]?([0-9]*)(?:[eE]([+-]?[0-9]+))?$',
            ['sign', 'whole', 'fraction', 'exponent']
        )],
        lambda id: list_transform(
            [
                regexp_replace(
                    case
                        when {{ shift }} >= 0 then {{ digits }} || repeat('0', {{ shift }})
                        -- Only zeros may fall after the point.
                        when regexp_full_match(right({{ digits }}, -{{ shift }}), '0*')
                            then left({{ digits }}, length({{ digits }}) + {{ shift }})
                    end,
                    '^0+',
                    ''
                )
            ],
            lambda integer_digits: case
                when integer_digits = '' then '0'
                when id['sign'] = '-' then '-' || integer_digits
                else integer_digits
            end
        )[1]
    )[1]
{%- endmacro %}

{#- Spark's right() takes no negative length: the digits after the point are a substring. -#}
{% macro spark__customer_id_from_number_parts(text) -%}
    {%- set pattern = "'^([+-]?)([0-9]*)[.]?([0-9]*)(?:[eE]([+-]?[0-9]+))?$'" -%}
    {%- set shift = "(coalesce(cast(id.exponent as int), 0) - length(id.fraction))" -%}
    {%- set digits = "(id.whole || id.fraction)" -%}
    element_at(transform(
        array(named_struct(
            'sign', regexp_extract({{ text }}, {{ pattern }}, 1),
            'whole', regexp_extract({{ text }}, {{ pattern }}, 2),
            'fraction', regexp_extract({{ text }}, {{ pattern }}, 3),
            'exponent', regexp_extract({{ text }}, {{ pattern }}, 4)
        )),
        id -> element_at(transform(
            array(
                regexp_replace(
                    case
                        when {{ shift }} >= 0 then {{ digits }} || repeat('0', {{ shift }})
                        when substring({{ digits }}, greatest(length({{ digits }}) + {{ shift }} + 1, 1)) rlike '^0*$'
                            then left({{ digits }}, length({{ digits }}) + {{ shift }})
                    end,
                    '^0+',
                    ''
                )
            ),
            integer_digits -> case
                when integer_digits = '' then '0'
                when id.sign = '-' then '-' || integer_digits
                else integer_digits
            end
        ), 1)
    ), 1)
{%- endmacro %}
