{#-
    One row per snapshot as-of date and customer with at least one product
    sale before it: recency, frequency and monetary facts, rolling windows,
    trends, lifetime value and the BTYD summary, each as of that date. The
    build's own as-of date (is_current in int_as_of_dates_resolved) is the
    current snapshot; the earlier dates are its history, computed by the
    same query. Definitions are in docs/decision_logic.md; every window is
    half-open: "last 90 days" is as_of_date - 90 <= invoice_date < as_of_date.
-#}

{%- set windows = var('feature_window_days') %}
{%- set days_per_year = var('days_per_year') %}

with

customer_days as (

    select * from {{ ref('int_customer_days_aggregated') }}

),

as_of_dates as (

    select as_of_date from {{ ref('int_as_of_dates_resolved') }}

),

first_sale_days as (

    -- The first sale is the same for every snapshot that sees the customer.
    select
        customer_id,
        min(invoice_date) as first_purchase_date
    from customer_days
    where sale_invoices > 0
    group by customer_id

),

days_before_as_of as (

    -- Every customer-day once for each as-of date after it: the set-based
    -- form of computing each snapshot from the days before it.
    select
        customer_days.*,
        as_of_dates.as_of_date,
        first_sale_days.first_purchase_date,
        {{ dbt.datediff('customer_days.invoice_date', 'as_of_dates.as_of_date', 'day') }}
            as days_before_as_of
    from customer_days
    inner join first_sale_days
        on customer_days.customer_id = first_sale_days.customer_id
    inner join as_of_dates
        on
            customer_days.invoice_date < as_of_dates.as_of_date
            and first_sale_days.first_purchase_date < as_of_dates.as_of_date

),

joined as (

    select
        customer_id,
        as_of_date,
        min(first_purchase_date) as first_purchase_date,
        max(invoice_date) filter (where sale_invoices > 0) as last_purchase_date,
        cast(sum(sale_invoices) as bigint) as orders,
        count(*) filter (where sale_invoices > 0) as purchase_days,
        -- Rounded before they are subtracted, so that net revenue is exactly
        -- gross minus returned as the customer sees them.
        cast(sum(gross_revenue) as decimal(18, 2)) as gross_revenue,
        cast(sum(returned_revenue) as decimal(18, 2)) as returned_revenue,
        cast(sum(gross_revenue) as decimal(18, 2))
        - cast(sum(returned_revenue) as decimal(18, 2)) as net_revenue,
        cast(sum(new_products) as bigint) as distinct_products,
        -- The latest sale day's country: two days never share a time, and
        -- the day settled ties between its own lines. Return-only days
        -- have no sale time, and arg_max passes over them.
        {{ arg_max('last_sale_country', 'last_sale_at') }} as country,
        {%- for days in windows %}
        -- Summed as 0 outside the window, so that an empty window is 0.
            cast(sum(
                case when days_before_as_of <= {{ days }} then sale_invoices else 0 end
            ) as bigint) as orders_last_{{ days }}d,
            cast(sum(
                case
                    when days_before_as_of > {{ days }} and days_before_as_of <= {{ 2 * days }}
                        then sale_invoices
                    else 0
                end
            ) as bigint) as orders_prev_{{ days }}d,
            sum(
                case
                    when days_before_as_of <= {{ days }}
                        then gross_revenue - returned_revenue
                    else 0
                end
            ) as net_revenue_last_{{ days }}d,
            sum(
                case
                    when days_before_as_of > {{ days }} and days_before_as_of <= {{ 2 * days }}
                        then gross_revenue - returned_revenue
                    else 0
                end
            ) as net_revenue_prev_{{ days }}d,
        {%- endfor %}
        -- BTYD (lifetimes) monetary value: the mean daily spend over repeat
        -- purchase days, the first purchase day excluded.
        coalesce(
            avg(gross_revenue) filter (
                where sale_invoices > 0 and invoice_date > first_purchase_date
            ),
            0
        ) as btyd_monetary_value
    from days_before_as_of
    group by customer_id, as_of_date

),

dated as (

    select
        *,
        -- dbt.datediff is an int on Spark, a bigint on DuckDB.
        cast(
            {{ dbt.datediff('last_purchase_date', 'as_of_date', 'day') }} as bigint
        ) as recency_days,
        cast(
            {{ dbt.datediff('first_purchase_date', 'as_of_date', 'day') }} as bigint
        ) as tenure_days
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
        -- Decimals are divided as doubles, as DuckDB does and Spark does not.
        {{ double_as_decimal('cast(gross_revenue as double) / orders', 18, 2) }}
            as avg_order_value,
        {{ double_as_decimal(
            'cast(returned_revenue as double) / nullif(gross_revenue, 0)', 9, 4
        ) }} as return_rate,
        distinct_products,
        case
            when purchase_days > 1
                then {{ double_as_decimal(
                    dbt.datediff('first_purchase_date', 'last_purchase_date', 'day')
                    ~ ' / (purchase_days - 1)',
                    9,
                    2
                ) }}
        end as mean_days_between_purchases,
        {%- for days in windows %}
            orders_last_{{ days }}d,
            orders_prev_{{ days }}d,
            cast(net_revenue_last_{{ days }}d as decimal(18, 2)) as net_revenue_last_{{ days }}d,
            cast(net_revenue_prev_{{ days }}d as decimal(18, 2)) as net_revenue_prev_{{ days }}d,
            -- Trend: last window over the one before; null when the one
            -- before had nothing to compare with. A cent of net revenue
            -- before (a purchase nearly all returned) makes the ratio a
            -- hundred times the revenue after it: decimal(9,4) overflowed.
            {{ double_as_decimal(
                'orders_last_' ~ days ~ 'd / nullif(orders_prev_' ~ days ~ 'd, 0)', 18, 4
            ) }} as orders_trend_{{ days }}d,
            -- Divided at the cents shown beside it, so that a reader can
            -- check the ratio, and 0.004 before (shown as 0.00) gives null
            -- rather than a ratio in the thousands.
            {{ double_as_decimal(
                'cast(cast(net_revenue_last_' ~ days ~ 'd as decimal(18, 2)) as double)'
                ~ ' / nullif(cast(net_revenue_prev_' ~ days ~ 'd as decimal(18, 2)), 0)',
                18,
                4
            ) }} as net_revenue_trend_{{ days }}d,
        {%- endfor %}
        cast(net_revenue as decimal(18, 2)) as historical_lifetime_value,
        -- Net revenue of the last year, annualised over the customer's
        -- tenure when it is shorter (but never over fewer than
        -- run_rate_min_days, so one early order is not multiplied by 52).
        {{ double_as_decimal(
            'cast(net_revenue_last_' ~ days_per_year ~ 'd * ' ~ days_per_year ~ ' as double)'
            ~ ' / greatest(least(tenure_days, ' ~ days_per_year ~ '), '
            ~ var('run_rate_min_days') ~ ')',
            18,
            2
        ) }} as run_rate_value_12m,
        purchase_days - 1 as btyd_frequency,
        cast(
            {{ dbt.datediff('first_purchase_date', 'last_purchase_date', 'day') }} as bigint
        ) as btyd_recency,
        tenure_days - 1 as btyd_t,
        -- A double on DuckDB, an exact decimal on Spark.
        {{ double_as_decimal('btyd_monetary_value', 18, 4) }} as btyd_monetary_value
    from dated

)

select * from final
