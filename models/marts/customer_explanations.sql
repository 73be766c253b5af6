{#-
    The explanations, rendered by int_customer_explanations_rendered with
    the macro generated from the templates in
    python/customer_lifecycle/explain.py, under this mart's contract.
-#}

with

explanations as (

    select * from {{ ref('int_customer_explanations_rendered') }}

)

select
    customer_id,
    as_of_date,
    explanation
from explanations
