{#-
    The closed sets of labels that staging assigns. The data-quality report
    pivots on them. The rejection reasons have a label dimension too, the
    seed rejection_reasons, whose codes
    tests/seeds/assert_rejection_reasons_match_the_macro.sql holds equal to
    this list, so a new reason is caught before it is silently left out.
-#}

{% macro transaction_types() -%}
    {{ return(['sale', 'return', 'adjustment', 'non_product']) }}
{%- endmacro %}


{#- In precedence order: a line gets the first reason that applies. -#}
{% macro rejection_reasons() -%}
    {{ return([
        'blank_line',
        'malformed_line',
        'missing_invoice_id',
        'missing_stock_code',
        'unparseable_date',
        'implausible_date',
        'unparseable_number',
        'missing_customer_id',
        'zero_quantity',
        'non_positive_price',
        'quantity_sign_mismatch',
        'duplicate_line',
    ]) }}
{%- endmacro %}


{#- The canonical input columns, in the Online Retail II order. -#}
{% macro canonical_columns() -%}
    {{ return([
        'invoice_id', 'stock_code', 'description', 'quantity',
        'invoiced_at', 'unit_price', 'customer_id', 'country',
    ]) }}
{%- endmacro %}
