{#-
    Lines are read as Latin-1, which never fails: every byte is a character.
    A line that holds bytes above 0x7F and is valid UTF-8 was really UTF-8
    (Latin-1 text that happens to be valid UTF-8 is vanishingly rare), so its
    bytes are rebuilt and decoded again. ASCII lines, the vast majority, skip
    the rebuild, so its per-character cost is only paid where it matters.
-#}
{% macro decode_mixed_encoding(column) -%}
    {%- if var('input_encoding') == 'auto' -%}
    case
        when regexp_matches({{ column }}, '[^\x00-\x7f]')
            then coalesce(
                try(decode(from_hex(list_aggr(
                    list_transform(
                        string_split({{ column }}, ''),
                        lambda character: printf('%02x', unicode(character))
                    ),
                    'string_agg',
                    ''
                )))),
                {{ column }}
            )
        else {{ column }}
    end
    {%- else -%}
    {{ column }}
    {%- endif -%}
{%- endmacro %}
