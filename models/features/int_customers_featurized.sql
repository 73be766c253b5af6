{#-
    One row per customer with at least one product sale before the as-of
    date: recency, frequency and monetary facts, rolling windows, trends,
    lifetime value and the BTYD summary. Definitions are in
    docs/decision_logic.md; every window is half-open: "last 90 days" is
    as_of_date - 90 <= invoice_date < as_of_date.
-#}

{%- set windows = [90, 180, 365] %}

with

customer_days as (

    select * from {{ ref('int_customer_days_aggregated') }}

),

profiles as (

    select * from {{ ref('int_customers_profiled') }}

),

sale_days as (

    select * from customer_days
    where sale_invoices > 0

),

first_sale_days as (

    select
        customer_id,
        min(invoice_date) as first_purchase_date
    from sale_days
    group by customer_id

),

purchase_summary as (

    select
        sale_days.customer_id,
        min(sale_days.as_of_date) as as_of_date,
        min(sale_days.invoice_date) as first_purchase_date,
        max(sale_days.invoice_date) as last_purchase_date,
        cast(sum(sale_days.sale_invoices) as bigint) as orders,
        count(*) as purchase_days,
        -- BTYD (lifetimes) monetary value: the mean daily spend over repeat
        -- purchase days, the first purchase day excluded.
        coalesce(
            avg(sale_days.gross_revenue) filter (
                where sale_days.invoice_date > first_sale_days.first_purchase_date
            ),
            0
        ) as btyd_monetary_value
    from sale_days
    inner join first_sale_days
        on sale_days.customer_id = first_sale_days.customer_id
    group by sale_days.customer_id

),

revenue_summary as (

    select
        customer_id,
        -- Rounded before they are subtracted, so that net revenue is exactly
        -- gross minus returned as the customer sees them.
        cast(sum(gross_revenue) as decimal(18, 2)) as gross_revenue,
        cast(sum(returned_revenue) as decimal(18, 2)) as returned_revenue,
    {%- for days in windows %}
        cast(sum(sale_invoices) filter (where days_before_as_of <= {{ days }}) as bigint)
            as orders_last_{{ days }}d,
        cast(sum(sale_invoices) filter (
            where days_before_as_of > {{ days }} and days_before_as_of <= {{ 2 * days }}
            ) as bigint) as orders_prev_{{ days }}d,
        sum(gross_revenue - returned_revenue) filter (where days_before_as_of <= {{ days }})
            as net_revenue_last_{{ days }}d,
        sum(gross_revenue - returned_revenue) filter (
            where days_before_as_of > {{ days }} and days_before_as_of <= {{ 2 * days }}
        ) as net_revenue_prev_{{ days }}d{{ ',' if not loop.last }}
    {%- endfor %}
    from customer_days
    group by customer_id

),

joined as (

    select
        purchase_summary.customer_id,
        purchase_summary.as_of_date,
        profiles.country,
        purchase_summary.first_purchase_date,
        purchase_summary.last_purchase_date,
        purchase_summary.orders,
        purchase_summary.purchase_days,
        revenue_summary.gross_revenue,
        revenue_summary.returned_revenue,
        revenue_summary.gross_revenue - revenue_summary.returned_revenue as net_revenue,
        profiles.distinct_products,
        {%- for days in windows %}
            coalesce(revenue_summary.orders_last_{{ days }}d, 0) as orders_last_{{ days }}d,
            coalesce(revenue_summary.orders_prev_{{ days }}d, 0) as orders_prev_{{ days }}d,
            coalesce(revenue_summary.net_revenue_last_{{ days }}d, 0)
                as net_revenue_last_{{ days }}d,
            coalesce(revenue_summary.net_revenue_prev_{{ days }}d, 0)
                as net_revenue_prev_{{ days }}d,
        {%- endfor %}
        purchase_summary.btyd_monetary_value
    from purchase_summary
    inner join revenue_summary
        on purchase_summary.customer_id = revenue_summary.customer_id
    inner join profiles
        on purchase_summary.customer_id = profiles.customer_id

),

dated as (

    select
        *,
        {{ dbt.datediff('last_purchase_date', 'as_of_date', 'day') }} as recency_days,
        {{ dbt.datediff('first_purchase_date', 'as_of_date', 'day') }} as tenure_days
    from joined

),

final as (

    select
        customer_id,
        as_of_date,
        country,
        first_purchase_date,
        last_purchase_date,
        recency_days,
        tenure_days,
        orders,
        purchase_days,
        cast(gross_revenue as decimal(18, 2)) as gross_revenue,
        cast(returned_revenue as decimal(18, 2)) as returned_revenue,
        cast(net_revenue as decimal(18, 2)) as net_revenue,
        cast(gross_revenue / orders as decimal(18, 2)) as avg_order_value,
        cast(returned_revenue / nullif(gross_revenue, 0) as decimal(9, 4)) as return_rate,
        distinct_products,
        case
            when purchase_days > 1
                then cast(
                    {{ dbt.datediff('first_purchase_date', 'last_purchase_date', 'day') }}
                    / (purchase_days - 1) as decimal(9, 2)
                )
        end as mean_days_between_purchases,
        {%- for days in windows %}
            orders_last_{{ days }}d,
            orders_prev_{{ days }}d,
            cast(net_revenue_last_{{ days }}d as decimal(18, 2)) as net_revenue_last_{{ days }}d,
            cast(net_revenue_prev_{{ days }}d as decimal(18, 2)) as net_revenue_prev_{{ days }}d,
            -- Trend: last window over the one before; null when the one
            -- before had nothing to compare with.
            cast(
                orders_last_{{ days }}d / nullif(orders_prev_{{ days }}d, 0) as decimal(9, 4)
            ) as orders_trend_{{ days }}d,
            cast(
                net_revenue_last_{{ days }}d / nullif(net_revenue_prev_{{ days }}d, 0)
                as decimal(9, 4)
            ) as net_revenue_trend_{{ days }}d,
        {%- endfor %}
        cast(net_revenue as decimal(18, 2)) as historical_lifetime_value,
        -- Net revenue of the last 365 days, annualised over the customer's
        -- tenure when it is shorter (but never over fewer than
        -- run_rate_min_days, so one early order is not multiplied by 52).
        cast(
            net_revenue_last_365d * 365.0
            / greatest(least(tenure_days, 365), {{ var('run_rate_min_days') }})
            as decimal(18, 2)
        ) as run_rate_value_12m,
        purchase_days - 1 as btyd_frequency,
        {{ dbt.datediff('first_purchase_date', 'last_purchase_date', 'day') }} as btyd_recency,
        tenure_days - 1 as btyd_t,
        cast(btyd_monetary_value as decimal(18, 4)) as btyd_monetary_value
    from dated

)

select * from final
