{#-
    The per-line rejection rules of docs/decision_logic.md, in precedence
    order: a line gets the first reason that applies, and null when it
    passes them all. Duplicates come last and are judged across lines, in
    int_transaction_lines_validated (within a file) and
    int_duplicate_lines_found (across files). Reads the columns of
    stg_retail__lines plus transaction_type.
-#}
{% macro line_rejection_reason() -%}
    case
        when is_blank then 'blank_line'
        when has_unbalanced_quote or not is_well_formed then 'malformed_line'
        when invoice_id is null then 'missing_invoice_id'
        when stock_code is null then 'missing_stock_code'
        when invoiced_at is null then 'unparseable_date'
        when
            invoiced_at < {{ earliest_transaction_date() }}
            or cast(invoiced_at as date) > latest_plausible_date
            then 'implausible_date'
        when quantity is null or unit_price is null then 'unparseable_number'
        when customer_id is null or {{ is_placeholder_customer_id('customer_id') }}
            then 'missing_customer_id'
        when quantity = 0 then 'zero_quantity'
        when transaction_type <> 'adjustment' and unit_price <= 0
            then 'non_positive_price'
        when
            transaction_type = 'sale' and quantity < 0
            or transaction_type = 'return' and quantity > 0
            then 'quantity_sign_mismatch'
    end
{%- endmacro %}


{#- What a user reads beside a rejection `reason` (a column or expression). -#}
{% macro rejection_detail(reason) -%}
    case {{ reason }}
        when 'blank_line' then 'the line is empty'
        when 'malformed_line'
            then
                case
                    when has_unbalanced_quote then 'unbalanced double quote'
                    when header_ends_with_delimiter and field_count = header_field_count - 1
                        then
                            'expected ' || header_field_count || ' fields, found ' || field_count
                            || ': the header line ends with a delimiter, which gives it an empty'
                            || ' last column; remove that delimiter from the header'
                    else 'expected ' || header_field_count || ' fields, found ' || field_count
                end
        when 'missing_invoice_id' then 'no invoice number'
        when 'missing_stock_code' then 'no stock code'
        when 'unparseable_date'
            then
                'invoice date ' || coalesce('"' || invoiced_at_text || '"', 'missing')
                || ' is not a recognised date'
        when 'implausible_date'
            then
                'invoice date ' || invoiced_at || case
                    when invoiced_at < {{ earliest_transaction_date() }}
                        then
                            ' is before earliest_transaction_date '
                            || {{ earliest_transaction_date() }}
                            || '; lower that var if the date is right'
                    {%- if var('latest_transaction_date') is none %}
                    else
                        ' is after ' || latest_plausible_date
                        || ', the day after the file was last modified;'
                        || ' set the var latest_transaction_date if the date is right'
                    {%- else %}
                    else
                        ' is after latest_transaction_date ' || latest_plausible_date
                        || '; raise that var if the date is right'
                    {%- endif %}
                end
        when 'unparseable_number'
            -- Only the fields that failed: naming one that parsed sends the user
            -- looking in the wrong place.
            then
                concat_ws(
                    ' and ',
                    case when quantity is null then {{ number_problem(
                        'quantity', 'quantity_text', 'a whole number'
                    ) }} end,
                    case when unit_price is null then {{ number_problem(
                        'price', 'unit_price_text', 'a number'
                    ) }} end
                )
        when 'missing_customer_id'
            then
                case
                    when customer_id is null then 'no customer id'
                    else
                        'customer id "' || customer_id || '" is a placeholder'
                        || ' (var customer_id_placeholder_pattern), not a customer'
                end
        when 'zero_quantity' then 'quantity is 0'
        when 'non_positive_price' then 'price ' || unit_price || ' is not positive'
        when 'quantity_sign_mismatch'
            then 'quantity ' || quantity || ' on a ' || transaction_type
        when 'duplicate_line' then {{ duplicate_detail('first_line_number') }}
    end
{%- endmacro %}


{#-
    The detail of a duplicate_line: the line it repeats, by number, and by
    file when that is another file (`source_file`, a SQL expression).
-#}
{% macro duplicate_detail(line_number, source_file=none) -%}
    'same text as line ' || {{ line_number }}
    {%- if source_file is not none %} || ' of ' || {{ source_file }}{% endif %}
{%- endmacro %}


{#-
    Why one number field (`label`, its text `text`) could not be read, in
    words: missing, a currency sign to remove (£2.55, 2.55€), or not
    `expected` in the number format of its file (column number_format).
-#}
{% macro number_problem(label, text, expected) -%}
    case
        when {{ text }} is null then 'no {{ label }}'
        when {{ regexp_matches(text, "'^[+-]?[£$€¥]|[£$€¥]$'") }}
            then '{{ label }} "' || {{ text }} || '" has a currency sign; remove it'
        else
            '{{ label }} "' || {{ text }} || '" is not {{ expected }} in '
            || case number_format
                when 'decimal_comma' then 'a file with a decimal comma (1.234,5 or 1234.5)'
                else 'a file with a decimal point (1,234.5 or 1234.5)'
            end
    end
{%- endmacro %}


{#-
    Whether a normalised customer id is a placeholder for "no customer"
    (var customer_id_placeholder_pattern, an RE2 pattern matched against the
    whole id); false for every id when the var is null.
-#}
{% macro is_placeholder_customer_id(customer_id) -%}
    {%- set pattern = var('customer_id_placeholder_pattern') -%}
    {%- if pattern is none -%}
        false
    {%- else -%}
        {{ regexp_full_match(customer_id, sql_quote(pattern)) }}
    {%- endif -%}
{%- endmacro %}


{#- The var earliest_transaction_date as a SQL date: earlier lines are implausible. -#}
{% macro earliest_transaction_date() -%}
    date {{ sql_quote(var('earliest_transaction_date') | string) }}
{%- endmacro %}


{#-
    The last date a line of a file may carry (`modified_at`, the file's
    modification time): the var latest_transaction_date when set, else the
    day after the file was last written, since no transaction is dated after
    its export; the day is slack for time zones, as the time is UTC and
    invoice dates are local. A pure function of the file and the vars, so
    that the landing cache, keyed on both, stays right.
-#}
{% macro latest_plausible_date(modified_at) -%}
    {%- if var('latest_transaction_date') is none -%}
        cast({{ modified_at }} as date) + 1
    {%- else -%}
        date {{ sql_quote(var('latest_transaction_date') | string) }}
    {%- endif -%}
{%- endmacro %}
