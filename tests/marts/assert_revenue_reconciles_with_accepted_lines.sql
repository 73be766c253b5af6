-- Integrity: the accepted product sale and return lines dated before the
-- as-of date add up to customer_features' gross, returned and net revenue,
-- per customer and in total. The features fold the lines through per-file
-- partials and take repeats of other files' lines off again; this test
-- sums the lines themselves. A customer with returns but no sale has no
-- features row and is left out of both sides. Returns a row per customer
-- (and one for the total) whose figures differ.

with

as_of as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}
    where is_current

),

accepted_lines as (

    select accepted.*
    from {{ ref('int_transactions_accepted') }} as accepted
    cross join as_of
    where
        accepted.transaction_type in ('sale', 'return')
        and accepted.invoice_date < as_of.as_of_date

),

from_lines as (

    select
        customer_id,
        cast(sum(line_amount) filter (where transaction_type = 'sale') as decimal(18, 2))
            as gross_revenue,
        cast(
            coalesce(-sum(line_amount) filter (where transaction_type = 'return'), 0)
            as decimal(18, 2)
        ) as returned_revenue
    from accepted_lines
    group by customer_id
    having count(*) filter (where transaction_type = 'sale') > 0

),

features as (

    select
        customer_id,
        gross_revenue,
        returned_revenue,
        net_revenue
    from {{ ref('customer_features') }}

),

per_customer as (

    select
        coalesce(from_lines.customer_id, features.customer_id) as customer_id,
        from_lines.gross_revenue as lines_gross_revenue,
        features.gross_revenue as features_gross_revenue,
        from_lines.returned_revenue as lines_returned_revenue,
        features.returned_revenue as features_returned_revenue,
        from_lines.gross_revenue - from_lines.returned_revenue as lines_net_revenue,
        features.net_revenue as features_net_revenue
    from from_lines
    full outer join features
        on from_lines.customer_id = features.customer_id

),

with_total as (

    select * from per_customer
    union all
    select
        '(total)' as customer_id,
        sum(lines_gross_revenue) as lines_gross_revenue,
        sum(features_gross_revenue) as features_gross_revenue,
        sum(lines_returned_revenue) as lines_returned_revenue,
        sum(features_returned_revenue) as features_returned_revenue,
        sum(lines_net_revenue) as lines_net_revenue,
        sum(features_net_revenue) as features_net_revenue
    from per_customer

)

select *
from with_total
where
    lines_gross_revenue is distinct from features_gross_revenue
    or lines_returned_revenue is distinct from features_returned_revenue
    or lines_net_revenue is distinct from features_net_revenue
