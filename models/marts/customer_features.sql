{#-
    The current snapshot's rows of int_customers_featurized: the rows for
    the build's own as-of date. Its earlier snapshots are in
    customer_snapshot_history.
-#}

with

as_of as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}
    where is_current

),

features as (

    select * from {{ ref('int_customers_featurized') }}

),

final as (

    select features.*
    from features
    inner join as_of
        on features.as_of_date = as_of.as_of_date

)

select * from final
