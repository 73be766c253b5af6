-- Revenue at risk by country: where the money that may walk away sits.
-- Revenue at risk is the value at stake (the yearly value a customer has
-- shown) of customers flagged is_at_risk (the risk levels flagged in
-- seeds/risk_levels.csv: high and critical as shipped).
-- Run: dbt compile --select revenue_at_risk_by_country, then run the SQL in
-- target/compiled/customer_lifecycle/analyses/ against the warehouse.

with

customers as (

    select * from {{ ref('customer_360') }}

)

select
    country,
    count(*) as customers,
    count(*) filter (where is_at_risk) as customers_at_risk,
    sum(value_at_stake) filter (where is_at_risk) as revenue_at_risk,
    sum(net_revenue) as net_revenue
from customers
group by country
order by revenue_at_risk desc nulls last
