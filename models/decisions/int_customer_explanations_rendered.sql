{#-
    One plain-English explanation paragraph per customer. The expression is
    the macro explanation_sql, generated from the sentence templates of
    python/customer_lifecycle/explain.py (make explanation-macro); the words
    for each code are columns of int_customer_explanation_facts, joined there
    from the label seeds. One projection, no per-row code, on any engine.
-#}

with

facts as (

    select * from {{ ref('int_customer_explanation_facts') }}

),

final as (

    select
        customer_id,
        as_of_date,
        {{ explanation_sql(var('currency_symbol')) }} as explanation
    from facts

)

select * from final
