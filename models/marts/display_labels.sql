{#-
    One row per label of every label dimension: its code as the marts store
    it, its display order, label and colour. The dashboard reads its labels,
    orders and colours here, so a label renamed in a seed is renamed on every
    page with no code change. The `currency` set has one row, the var
    currency_symbol, which every amount is shown with.
-#}

{%- set label_seeds = [
    ('lifecycle_stage', 'lifecycle_stages', 'lifecycle_stage', 'display_label'),
    ('value_segment', 'value_segments', 'value_segment', 'display_label'),
    ('risk_level', 'risk_levels', 'risk_level', 'display_label'),
    ('risk_signal', 'risk_signals', 'risk_signal', 'display_label'),
    ('rfm_segment', 'rfm_segments', 'rfm_segment', 'display_label'),
    ('action', 'action_catalogue', 'action_code', 'action_name'),
    ('rejection_reason', 'rejection_reasons', 'rejection_reason', 'display_label'),
] %}

with

{% for label_set, seed, code, display_label in label_seeds %}
    {{ seed }} as (

        select
            '{{ label_set }}' as label_set,
            {{ code }} as code,
            display_order,
            -- Renders as a self-alias for all but the catalogue (action_name).
            {{ display_label }} as display_label,  -- noqa: AL09
            colour,
            description
        from {{ ref(seed) }}

    ),

{% endfor %}
currency as (

    select
        'currency' as label_set,
        'symbol' as code,
        1 as display_order,
        '{{ var("currency_symbol") }}' as display_label,
        cast(null as {{ dbt.type_string() }}) as colour,
        'The symbol shown before every amount (the var currency_symbol).'
            as description

),

final as (

    {%- for label_set, seed, code, display_label in label_seeds %}
        select * from {{ seed }}
        union all
    {%- endfor %}
    select * from currency

)

select * from final
